r"""The engine's event log, read for what the policy packs said.

``pulumi preview --event-log FILE`` (likewise ``up``) writes one JSON engine
event per line (``apitype.EngineEvent`` in the Pulumi SDK). Pulumi CLI
v3.274.1 registers the flag only when ``PULUMI_DEBUG_COMMANDS=true``, which
the Automation API sets for its own runs. Three kinds of event matter here:

- ``policyEvent``: one per violation, with the resource's URN, the policy, the
  pack, the enforcement level and severity, and the message the engine built
  as ``<policy description>\n<violation message>\n``; ``exceptions`` lists
  the engine's own policy-pack exceptions that matched it;
- ``policyAnalyzeSummaryEvent``: per resource, the resource policies that
  passed and failed; ``policyAnalyzeStackSummaryEvent``: the stack policies'.
  Together they are the checks that were made, which JUnit needs;
- ``summaryEvent``: the run finished; a log without one is cut short, and a
  report of it would claim less than the run found.

The event log does not carry a resource's source position (the engine keeps
``sourcePosition`` in the state, not in step events), so a report can point at
a resource's URN only.
"""

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import exemptions
from .acknowledged import Acknowledgement, parse_acknowledged

LEVELS = ("mandatory", "advisory")
"""The enforcement levels a violation is reported at (``remediate`` and ``disabled`` report none)."""

EXEMPTIONS_POLICY = exemptions.POLICY_NAME
"""The pack's stack policy that reports stale and malformed exemptions."""

BASELINE_ID = "baseline-"
BASELINE_REASON = "baseline of "

_COLOR_CODES = re.compile(r"\x1b\[[0-9;]*m|<\{%[a-z-]*%\}>")
"""ANSI escapes and Pulumi's colour tags, which a ``--color always`` run leaves in messages."""


class EventLogError(ValueError):
    """The event log cannot be reported on: the message names the file, the line and why."""


@dataclass(frozen=True)
class Finding:
    """One violation, as the engine recorded it."""

    policy: str
    pack: str
    pack_version: str
    urn: str
    """The resource's URN; empty for a stack policy's finding that names no resource."""
    level: str
    severity: str
    """``low``, ``medium``, ``high``, ``critical``, or empty when the policy declares none."""
    text: str
    """The violation's own message (the policy's description, which the engine puts first, removed)."""
    acknowledged: Acknowledgement | None = None

    @property
    def counts(self) -> bool:
        """Whether the finding is one a gate counts (an acknowledged one does not)."""
        return self.acknowledged is None

    @property
    def fix(self) -> str | None:
        """The fix the message names after ``Fix:`` (every envstack message does)."""
        _, found, fix = self.text.partition(" Fix: ")
        return fix if found else None

    @property
    def resource_name(self) -> str:
        """The resource's name, the URN's last part."""
        return self.urn.rsplit("::", 1)[-1]

    @property
    def resource_type(self) -> str:
        """The resource's type token, from the URN."""
        parts = self.urn.split("::")
        return parts[2].rsplit("$", 1)[-1] if len(parts) == 4 else ""

    @property
    def stale_exemption(self) -> str | None:
        """The id of the exemption this finding says is stale, for the pack's exemptions policy."""
        match = exemptions.STALE_PATTERN.match(self.text) if self.policy == EXEMPTIONS_POLICY else None
        return match["id"] if match else None


@dataclass(frozen=True)
class Check:
    """One policy judging one resource (``urn``), or a stack policy judging the stack (``urn`` empty)."""

    pack: str
    policy: str
    urn: str


@dataclass
class EventLog:
    """What the policy packs said in one engine run."""

    path: Path
    findings: list[Finding] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    packs: dict[str, str] = field(default_factory=dict)
    """Each pack's name and version, as the engine recorded them."""
    preview: bool = True
    result: str = ""

    @property
    def baseline_remaining(self) -> list[str]:
        """Ids of baseline entries that still acknowledge a finding (one entry may acknowledge several)."""
        return sorted(
            {
                f.acknowledged.id
                for f in self.findings
                if f.acknowledged and f.acknowledged.reason.startswith(BASELINE_REASON)
            }
        )

    @property
    def baseline_stale(self) -> list[str]:
        """Ids of baseline entries that match nothing any more: delete them from the stack's config."""
        return [i for f in self.findings if (i := f.stale_exemption) and i.startswith(BASELINE_ID)]


def _plain(message: str) -> str:
    """The violation's own message: colour codes, the description line and the trailing newline removed."""
    text = _COLOR_CODES.sub("", message).strip("\n")
    _, newline, rest = text.partition("\n")
    return rest if newline else text


def _finding(event: Mapping[str, Any]) -> Finding:
    text = _plain(str(event["message"]))
    acknowledged: Acknowledgement | None = None
    parsed = parse_acknowledged(text)
    if parsed is not None:
        acknowledged, text = parsed
    exceptions = event.get("exceptions") or []
    if exceptions and acknowledged is None:
        first = exceptions[0]
        acknowledged = Acknowledgement(
            id=str(first["id"]),
            reason=str(first.get("reason", "")),
            expires=None,
            approved_by=None,
            ticket=None,
            source="engine",
        )
    return Finding(
        policy=str(event["policyName"]),
        pack=str(event["policyPackName"]),
        pack_version=str(event.get("policyPackVersion", "")),
        urn=str(event.get("resourceUrn", "")),
        level=str(event["enforcementLevel"]),
        severity=str(event.get("severity", "")),
        text=text,
        acknowledged=acknowledged,
    )


def _checks(pack: str, urn: str, summary: Mapping[str, Any]) -> Iterable[Check]:
    for policy in [*summary.get("passed", []), *summary.get("failed", [])]:
        yield Check(pack, str(policy), urn)


@dataclass
class _Reader:
    """An event log being read: what it holds so far, and what was seen (an ``up`` logs its preview too)."""

    log: EventLog
    seen_findings: set[Finding] = field(default_factory=set)
    seen_checks: set[Check] = field(default_factory=set)
    finished: bool = False

    def violation(self, event: Mapping[str, Any]) -> None:
        finding = _finding(event)
        if finding.level not in LEVELS:
            raise ValueError(f"enforcementLevel {finding.level!r} is not one of {', '.join(LEVELS)}")
        self.log.packs.setdefault(finding.pack, finding.pack_version)
        if finding not in self.seen_findings:
            self.seen_findings.add(finding)
            self.log.findings.append(finding)

    def summary(self, summary: Mapping[str, Any], urn: str) -> None:
        pack = str(summary["policyPackName"])
        self.log.packs.setdefault(pack, str(summary.get("policyPackVersion", "")))
        for check in _checks(pack, urn, summary):
            if check not in self.seen_checks:
                self.seen_checks.add(check)
                self.log.checks.append(check)

    def event(self, event: Any) -> None:
        if not isinstance(event, dict) or "sequence" not in event:
            raise ValueError("not an engine event (no 'sequence')")
        if violation := event.get("policyEvent"):
            self.violation(violation)
        if summary := event.get("policyAnalyzeSummaryEvent"):
            self.summary(summary, str(summary["resourceUrn"]))
        if summary := event.get("policyAnalyzeStackSummaryEvent"):
            self.summary(summary, "")
        if (done := event.get("summaryEvent")) is not None:
            self.finished = True
            self.log.preview = bool(done.get("isPreview", False))
            self.log.result = str(done.get("result", ""))


def parse_events(path: Path, lines: Iterable[str]) -> EventLog:
    """The findings and checks of an event log's lines; fails on a line that is not an engine event."""
    reader = _Reader(EventLog(path))
    log = reader.log
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            reader.event(json.loads(line))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            detail = f"missing field {error}" if isinstance(error, KeyError) else str(error)
            raise EventLogError(f"{path}:{number}: {detail}") from error
    if not reader.finished:
        raise EventLogError(
            f"{path}: no summaryEvent: the run did not finish, so its findings would be incomplete"
        )
    if not log.packs:
        raise EventLogError(
            f"{path}: no policy pack ran in this run: pass --policy-pack to pulumi preview or up"
        )
    return log


def read_event_log(path: Path) -> EventLog:
    """Read ``pulumi preview --event-log`` output from ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise EventLogError(f"{path}: cannot read the event log: {error.strerror}") from error
    return parse_events(path, text.splitlines())
