"""``envstack-policy baseline``: a stack's current findings, recorded as exemptions in its config file.

Rolling the pack out on a stack that already exists: every mandatory and
advisory finding of one run becomes an exemption under
``envstack-policy:exemptions`` in ``Pulumi.<stack>.yaml`` (id
``baseline-<n>``, the finding's exact URN, reason ``baseline of <date>``, the
expiry the team chose), so from then on only new findings fail and fixed ones
show up as stale entries to delete.

The file is edited as text, only where the exemptions list ends, so its
comments, secure values, key order and earlier entries stay as they were; the
result is parsed again and must equal the old content with the list extended,
else nothing is written and the entries are printed for a hand edit.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .events import BASELINE_ID, BASELINE_REASON, EXEMPTIONS_POLICY, EventLog, Finding

KEY = "envstack-policy:exemptions"
MAX_DAYS = 365
"""The furthest expiry the pack accepts by default (its ``maxDays``)."""

_KEY_LINE = re.compile(r"""^(?P<indent>\s+)["']?envstack-policy:exemptions["']?\s*:""")
_CONFIG_LINE = re.compile(r"^config\s*:\s*(#.*)?$")
_ANY_CONFIG_LINE = re.compile(r"""^["']?config["']?\s*:""")


class BaselineError(ValueError):
    """The baseline cannot be written: the message names the file or option, the value and the rule."""


@dataclass(frozen=True)
class Baseline:
    """What ``baseline`` recorded and what it left out, and why."""

    added: list[dict[str, str]]
    already_listed: list[Finding]
    no_resource: list[Finding]


def parse_expiry(value: str, today: datetime.date, max_days: int = MAX_DAYS) -> datetime.date:
    """The ``--expires`` date: ISO, after today and no further ahead than the pack accepts."""
    try:
        expires = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise BaselineError(f"--expires {value!r}: not a date in the form YYYY-MM-DD") from error
    if len(value) != len("YYYY-MM-DD"):
        raise BaselineError(f"--expires {value!r}: not a date in the form YYYY-MM-DD")
    if expires <= today:
        raise BaselineError(f"--expires {value}: must be after today ({today.isoformat()})")
    if (expires - today).days > max_days:
        raise BaselineError(
            f"--expires {value}: more than {max_days} days ahead, which the pack refuses (maxDays {max_days})"
        )
    return expires


def _load(text: str, path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise BaselineError(f"{path}: not YAML: {error}") from error
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise BaselineError(f"{path}: a stack config file is a mapping, found {type(document).__name__}")
    config = document.get("config", {})
    if not isinstance(config, dict):
        raise BaselineError(f"{path}: 'config' is {type(config).__name__}, not a mapping")
    entries = config.get(KEY, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise BaselineError(f"{path}: config {KEY!r} is not a list of exemption entries")
    return document


def _next_number(entries: Sequence[dict[str, Any]]) -> int:
    numbers = [
        int(tail)
        for e in entries
        if str(e.get("id", "")).startswith(BASELINE_ID)
        and (tail := str(e["id"])[len(BASELINE_ID) :]).isdigit()
    ]
    return max(numbers, default=0) + 1


def _block(entries: list[Any], indent: str) -> list[str]:
    dumped = yaml.safe_dump({KEY: entries}, sort_keys=False, default_flow_style=False, width=10_000)
    return [indent + line for line in dumped.splitlines()]


def _config_end(lines: list[str], start: int) -> int:
    """The index after the config mapping's last line (comments and blank lines after it excluded)."""
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t#"):
        end += 1
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _items(entries: list[Any], indent: str) -> list[str]:
    dumped = yaml.safe_dump(entries, sort_keys=False, default_flow_style=False, width=10_000)
    return [indent + line for line in dumped.splitlines()]


def edit_stack_config(text: str, existing: list[Any], added: list[Any]) -> str:
    """``text`` with ``added`` after the exemptions list's ``existing`` entries under ``config``.

    A list written as a block sequence keeps its lines, comments included, and gains the new
    items after its last one; a list written any other way (``[]``, empty) is written anew.
    """
    lines = text.splitlines()
    config = next((i for i, line in enumerate(lines) if _CONFIG_LINE.match(line)), None)
    if config is None:
        if any(_ANY_CONFIG_LINE.match(line) for line in lines):
            raise BaselineError("'config' is not written as a block mapping (config: on a line of its own)")
        return "\n".join([*lines, "config:", *_block(added, "  ")]) + "\n"
    end = _config_end(lines, config)
    key = next((i for i in range(config + 1, end) if _KEY_LINE.match(lines[i])), None)
    if key is None:
        child = next((line for line in lines[config + 1 : end] if line.strip() and line[0] in " \t"), "  ")
        indent = child[: len(child) - len(child.lstrip())]
        return "\n".join([*lines[:end], *_block(added, indent), *lines[end:]]) + "\n"
    match = _KEY_LINE.match(lines[key])
    assert match is not None
    indent = match["indent"]
    stop = key + 1
    while stop < end:
        line = lines[stop]
        depth = len(line) - len(line.lstrip())
        inside = depth > len(indent) or (depth == len(indent) and line.lstrip().startswith(("- ", "#")))
        if line.strip() and not inside:
            break
        stop += 1
    while stop > key + 1 and (not lines[stop - 1].strip() or lines[stop - 1].lstrip().startswith("#")):
        stop -= 1
    item = next((line for line in lines[key + 1 : stop] if line.lstrip().startswith("- ")), None)
    if item is None:
        return "\n".join([*lines[:key], *_block([*existing, *added], indent), *lines[stop:]]) + "\n"
    item_indent = item[: len(item) - len(item.lstrip())]
    return "\n".join([*lines[:stop], *_items(added, item_indent), *lines[stop:]]) + "\n"


def record_baseline(
    log: EventLog, stack_config: Path, expires: datetime.date, today: datetime.date
) -> Baseline:
    """Add the log's findings that count to ``stack_config`` as baseline exemptions."""
    try:
        text = stack_config.read_text(encoding="utf-8")
    except OSError as error:
        raise BaselineError(f"{stack_config}: cannot read: {error.strerror}") from error
    document = _load(text, stack_config)
    existing: list[dict[str, Any]] = document.get("config", {}).get(KEY, [])
    listed = {(str(e.get("policy")), str(e.get("urn"))) for e in existing}
    number = _next_number(existing)
    added: list[dict[str, str]] = []
    already: list[Finding] = []
    no_resource: list[Finding] = []
    for finding in log.findings:
        if not finding.counts or finding.policy == EXEMPTIONS_POLICY:
            continue
        if not finding.urn:
            no_resource.append(finding)
        elif (finding.policy, finding.urn) in listed:
            already.append(finding)
        else:
            listed.add((finding.policy, finding.urn))
            added.append(
                {
                    "id": f"{BASELINE_ID}{number}",
                    "policy": finding.policy,
                    "urn": finding.urn,
                    "reason": f"{BASELINE_REASON}{today.isoformat()}",
                    "expires": expires.isoformat(),
                }
            )
            number += 1
    if added:
        entries = [*existing, *added]
        edited = edit_stack_config(text, existing, added)
        expected = {**document, "config": {**document.get("config", {}), KEY: entries}}
        if _load(edited, stack_config) != expected:
            raise BaselineError(
                f"{stack_config}: cannot add the baseline without changing the file's other content; "
                f"add these entries under config {KEY!r} by hand:\n" + "\n".join(_block(added, "  "))
            )
        stack_config.write_text(edited, encoding="utf-8")
    return Baseline(added, already, no_resource)
