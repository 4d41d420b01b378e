"""Exemptions: one policy waived for one resource (or a pattern of them), with a reason and an expiry.

A platform team rolls the pack out over stacks that already break some of its
rules. Turning a policy off for everyone hides every later breach too, so an
exemption names exactly what it waives: the policy, the resource (its URN, or
``fnmatch`` globs on its type token and name), why (``reason``, at least 10
characters), until when (``expires``, an ISO date no further ahead than
``maxDays``), and optionally who approved it and the ticket.

They come from two places, read the same way:

- the pack config, under this module's stack policy ``envstack-exemptions``
  (``{"envstack-exemptions": {"exemptions": [...], "forbidden": [...],
  "maxDays": 365}}``), which the platform team reviews; ``forbidden`` lists
  the policies no exemption may waive;
- the stack's config file, key ``envstack-policy:exemptions`` (a list of the
  same entries), reviewed with the program. The v3.274.1 engine decrypts the
  stack's config and hands every key to the pack in ``ConfigureStack``, a
  structured value as its JSON text (``engine/update.go``,
  ``plugin.PolicyAnalyzerOptions``). ``pulumi policy analyze`` starts the pack
  without ``ConfigureStack``, so there only the pack config's exemptions exist.

Nothing is dropped or ignored: a finding an exemption matches is still
reported, at advisory level with the exemption's reason
(``acknowledged``); once the exemption has expired the finding keeps its
policy's level and says which exemption expired (``expired``); an exemption
for this stack that matched nothing by the end of the run is reported as
stale (advisory; ``Exemption.concerns`` says which entries a run can judge);
a malformed or forbidden one is a mandatory violation that names the field,
the value and the rule, and waives nothing.

The server (``server.py``) consults ``current()`` as each policy reports, and
the stack policy ``envstack-exemptions``, which the server runs after every
other stack policy, reports the invalid and stale entries.
"""

import fnmatch
import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from .readers.stack import StackInfo

POLICY_NAME = "envstack-exemptions"
STACK_CONFIG_KEY = "envstack-policy:exemptions"
PACK_SOURCE = "pack-config"
STACK_SOURCE = "stack-config"
DEFAULT_MAX_DAYS = 365
LONGEST_MAX_DAYS = 3650
SHORTEST_REASON = 10
SECRET = "[secret]"

ENTRY_FIELDS = ("id", "policy", "urn", "type", "name", "reason", "expires", "approvedBy", "ticket")
"""Every field an exemption entry may carry; any other is a mistake worth a violation."""

_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?: 00:00:00 \+0000 UTC)?")
"""An ISO date, or the text the engine makes of one: ``expires: 2027-03-31`` unquoted in a stack
file reaches the pack as ``"2027-03-31 00:00:00 +0000 UTC"`` (the CLI's YAML reader makes it a
timestamp and its config JSON prints that; seen under the pinned v3.274.1 engine)."""
_LONGEST_VALUE = 120

ACKNOWLEDGED_PATTERN = re.compile(
    r'^ACKNOWLEDGED by exemption "(?P<id>[^"]+)" \(expires (?P<expires>\d{4}-\d{2}-\d{2}); '
    r"approved by (?P<approver>[^;]*); ticket (?P<ticket>[^)]*)\): (?P<reason>.*?)\. "
    r"Finding: (?P<finding>.*)$",
    re.S,
)
"""How a report reads an acknowledged finding's message back (``reports.acknowledged`` parses with it)."""
NOBODY_NAMED = "nobody named"
"""What an acknowledged message says in place of an approver the entry does not name."""
NO_TICKET = "none"
"""What an acknowledged message says in place of a ticket the entry does not name."""
STALE_PATTERN = re.compile(r'^STALE exemption "(?P<id>[^"]+)":')
"""How a report recognises a stale entry's message (see ``stale``)."""


@dataclass(frozen=True)
class Exemption:
    """One valid exemption entry."""

    id: str
    policy: str
    reason: str
    expires: date
    urn: str | None = None
    type: str | None = None
    name: str | None = None
    approved_by: str | None = None
    ticket: str | None = None
    source: str = PACK_SOURCE

    def concerns(self, stacks: frozenset[str]) -> bool:
        """Whether this run can tell the entry is stale: it names one of the run's stacks.

        A stack's own entries always do. The pack config is shared by every
        stack the team runs it on, so its entry for another stack's URN is not
        stale here, and a type/name pattern spans stacks: no single run can
        call it stale (the reports over many runs can).
        """
        if self.source == STACK_SOURCE:
            return True
        return self.urn is not None and stack_prefix(self.urn) in stacks

    def matches_names(self, type_token: str, name: str) -> bool:
        """Whether a glob entry names this resource: both globs match (a missing one matches all).

        Entries by URN are matched by the session's dictionary, never here.
        """
        return fnmatch.fnmatchcase(type_token, self.type or "*") and fnmatch.fnmatchcase(
            name, self.name or "*"
        )

    def expired(self, today: date) -> bool:
        """An exemption holds through its expiry date and no longer the day after."""
        return today > self.expires

    def target(self) -> str:
        """The resource or pattern the entry names, for a stale entry's message."""
        if self.urn is not None:
            return self.urn
        return f"type {self.type or '*'} and name {self.name or '*'}"


def acknowledged(exemption: Exemption, finding: str) -> str:
    """The message of a finding a valid exemption matched (parsed back by ``ACKNOWLEDGED_PATTERN``)."""
    return (
        f'ACKNOWLEDGED by exemption "{exemption.id}" (expires {exemption.expires.isoformat()}; '
        f"approved by {exemption.approved_by or NOBODY_NAMED}; ticket {exemption.ticket or NO_TICKET}): "
        f"{exemption.reason}. Finding: {finding}"
    )


def expired(exemption: Exemption, finding: str) -> str:
    """The message of a finding whose exemption has expired: the finding, then which exemption lapsed."""
    return (
        f'{finding} (exemption "{exemption.id}" expired on {exemption.expires.isoformat()} '
        "and no longer applies)"
    )


def stale(exemption: Exemption) -> str:
    """The message of an exemption that matched no finding in the run."""
    return (
        f'STALE exemption "{exemption.id}": no finding of {exemption.policy} on {exemption.target()} '
        "in this run; delete the entry once what it waived is fixed"
    )


def invalid(entry_id: str, field_name: str, value: str, rule: str) -> str:
    """The message of a malformed or forbidden entry: which one, which field, its value, the rule."""
    return f'INVALID exemption "{entry_id}": field {field_name} = {value}: {rule}'


def _shown(value: object, secret: bool) -> str:
    """A value as a message shows it: JSON, shortened, or ``[secret]`` for secret stack config."""
    if secret:
        return SECRET
    if value is _MISSING:
        return "(missing)"
    text = json.dumps(value, default=str)
    return text if len(text) <= _LONGEST_VALUE else text[: _LONGEST_VALUE - 3] + "..."


_MISSING = object()


@dataclass(frozen=True)
class Rules:
    """What the pack config allows: the pack's policies, the forbidden ones, the furthest expiry, today."""

    policies: frozenset[str]
    forbidden: frozenset[str] = frozenset()
    max_days: int = DEFAULT_MAX_DAYS
    today: date = field(default_factory=lambda: datetime.now(UTC).date())


@dataclass
class _Entry:
    """One entry being read: its id and the problems found so far."""

    id: str
    raw: Mapping[str, Any]
    secret: bool
    problems: list[str] = field(default_factory=list)

    def problem(self, field_name: str, rule: str) -> None:
        self.problems.append(
            invalid(self.id, field_name, _shown(self.raw.get(field_name, _MISSING), self.secret), rule)
        )

    def text(self, field_name: str, *, required: bool, banned: str = "") -> str | None:
        """A string field: present when required, non-empty, on one line, without ``banned`` characters."""
        value = self.raw.get(field_name, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.problem(field_name, "is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(field_name, "must be a non-empty string")
            return None
        if "\n" in value or "\r" in value:
            self.problem(field_name, "must be on one line")
            return None
        for character in banned:
            if character in value:
                self.problem(field_name, f"must not contain {character!r}")
                return None
        return value


def _read_entry(
    index: int, raw: object, source: str, rules: Rules, secret: bool
) -> tuple[Exemption | None, list[str]]:
    default_id = f"{source}[{index}]"
    if not isinstance(raw, Mapping):
        return None, [
            invalid(default_id, "entry", _shown(raw, secret), "must be a mapping of exemption fields")
        ]
    entry = _Entry(default_id, raw, secret)
    entry.id = entry.text("id", required=False, banned='"') or default_id
    for unknown in sorted(set(raw) - set(ENTRY_FIELDS), key=str):
        entry.problems.append(
            invalid(
                entry.id,
                str(unknown),
                _shown(raw[unknown], secret),
                f"is not a field of an exemption ({', '.join(ENTRY_FIELDS)})",
            )
        )
    policy = entry.text("policy", required=True)
    if policy is not None:
        if policy == POLICY_NAME or policy in rules.forbidden:
            entry.problem("policy", "exemptions for this policy are forbidden by the pack config")
        elif policy not in rules.policies:
            entry.problem("policy", "is not a policy of the pack")
    urn = entry.text("urn", required=False)
    type_glob = entry.text("type", required=False)
    name_glob = entry.text("name", required=False)
    if urn is not None and (type_glob is not None or name_glob is not None):
        entry.problem("urn", "name the resource by urn or by type and name, not both")
    elif urn is not None and not urn.startswith("urn:pulumi:"):
        entry.problem("urn", "must be a Pulumi URN (urn:pulumi:...)")
    elif (
        urn is None
        and type_glob is None
        and name_glob is None
        and not any(f in raw for f in ("urn", "type", "name"))
    ):
        entry.problem("urn", "an exemption names its resource by urn, or by type and/or name globs")
    reason = entry.text("reason", required=True)
    if reason is not None and len(reason.strip()) < SHORTEST_REASON:
        entry.problem("reason", f"must be at least {SHORTEST_REASON} characters")
    expires = _read_expiry(entry, rules)
    approved_by = entry.text("approvedBy", required=False, banned=";")
    ticket = entry.text("ticket", required=False, banned=")")
    if entry.problems or policy is None or reason is None or expires is None:
        return None, entry.problems
    return (
        Exemption(
            entry.id, policy, reason.strip(), expires, urn, type_glob, name_glob, approved_by, ticket, source
        ),
        [],
    )


def _read_expiry(entry: _Entry, rules: Rules) -> date | None:
    value = entry.raw.get("expires", _MISSING)
    if isinstance(value, date):  # a YAML reader may already have made it a date
        found: date | None = value
    elif isinstance(value, str) and (iso := _ISO_DATE.fullmatch(value)):
        try:
            found = date.fromisoformat(iso.group(1))
        except ValueError:
            found = None
    elif value is _MISSING or value is None:
        entry.problem("expires", "is required (an ISO date, YYYY-MM-DD)")
        return None
    else:
        found = None
    if found is None:
        entry.problem("expires", "must be an ISO date (YYYY-MM-DD)")
        return None
    furthest = rules.today + timedelta(days=rules.max_days)
    if found > furthest:
        entry.problem(
            "expires", f"must be no later than {furthest.isoformat()} ({rules.max_days} days ahead)"
        )
        return None
    return found


def read_entries(
    entries: object, source: str, rules: Rules, *, secret: bool = False
) -> tuple[list[Exemption], list[str]]:
    """The valid exemptions of one source, and a message for each problem of the others."""
    if not isinstance(entries, Sequence) or isinstance(entries, str):
        return [], [invalid(source, "exemptions", _shown(entries, secret), "must be a list of exemptions")]
    found: list[Exemption] = []
    problems: list[str] = []
    for index, raw in enumerate(entries):
        exemption, entry_problems = _read_entry(index, raw, source, rules, secret)
        problems.extend(entry_problems)
        if exemption is not None:
            found.append(exemption)
    return found, problems


def read_rules(
    config: Mapping[str, Any], policies: Iterable[str], today: date | None = None
) -> tuple[Rules, list[str]]:
    """The pack config's ``forbidden`` and ``maxDays``; a wrong value is reported, the default kept."""
    names = frozenset(policies)
    problems: list[str] = []
    forbidden_value = config.get("forbidden", [])
    forbidden: set[str] = set()
    if not isinstance(forbidden_value, list) or not all(isinstance(p, str) for p in forbidden_value):
        problems.append(
            invalid(
                PACK_SOURCE, "forbidden", _shown(forbidden_value, False), "must be a list of policy names"
            )
        )
    else:
        for policy in forbidden_value:
            if policy not in names:
                problems.append(
                    invalid(PACK_SOURCE, "forbidden", _shown(policy, False), "is not a policy of the pack")
                )
            forbidden.add(policy)
    max_days_value = config.get("maxDays", DEFAULT_MAX_DAYS)
    max_days = DEFAULT_MAX_DAYS
    # Configure hands numbers over as floats (protobuf's Struct); a whole one is a whole number of days.
    if (
        isinstance(max_days_value, bool)
        or not isinstance(max_days_value, int | float)
        or max_days_value != int(max_days_value)
        or not 1 <= max_days_value <= LONGEST_MAX_DAYS
    ):
        problems.append(
            invalid(
                PACK_SOURCE,
                "maxDays",
                _shown(max_days_value, False),
                f"must be a whole number of days from 1 to {LONGEST_MAX_DAYS}",
            )
        )
    else:
        max_days = int(max_days_value)
    rules = Rules(names, frozenset(forbidden), max_days, today or datetime.now(UTC).date())
    return rules, problems


@dataclass(frozen=True)
class Verdict:
    """What an exemption makes of one finding."""

    exemption: Exemption
    expired: bool

    def message(self, finding: str) -> str:
        """The finding's message as the engine will show it."""
        return expired(self.exemption, finding) if self.expired else acknowledged(self.exemption, finding)


class Session:
    """The exemptions of one analyzer run: which are valid, which matched, which are stale.

    Matching is a dict lookup for exact URNs and a short list of globs per
    policy, so a thousand exemptions cost next to nothing per finding; only
    findings (not every resource) are ever matched.
    """

    def __init__(self, exemptions: Sequence[Exemption], problems: Sequence[str], today: date) -> None:
        self.exemptions = tuple(exemptions)
        self.problems = tuple(problems)
        self.today = today
        self._exact: dict[tuple[str, str], Exemption] = {}
        self._globs: dict[str, list[Exemption]] = {}
        for exemption in self.exemptions:
            if exemption.urn is not None:
                self._exact.setdefault((exemption.policy, exemption.urn), exemption)
            else:
                self._globs.setdefault(exemption.policy, []).append(exemption)
        self._used: set[str] = set()
        self._lock = threading.Lock()

    def match(self, policy: str, urn: str) -> Verdict | None:
        """The exemption of this policy's finding on this resource, if any, noted as used."""
        exemption = self._exact.get((policy, urn))
        if exemption is None:
            type_token, name = resource_of(urn)
            exemption = next(
                (e for e in self._globs.get(policy, ()) if e.matches_names(type_token, name)), None
            )
        if exemption is None:
            return None
        with self._lock:
            self._used.add(exemption.id)
        return Verdict(exemption, exemption.expired(self.today))

    def stale(self, stacks: frozenset[str]) -> list[Exemption]:
        """The valid exemptions for these stacks that matched no finding so far."""
        with self._lock:
            return [e for e in self.exemptions if e.id not in self._used and e.concerns(stacks)]


def stack_prefix(urn: str) -> str:
    """The ``urn:pulumi:<stack>::<project>`` a URN starts with: which stack of which project it is in."""
    return "::".join(urn.split("::", 2)[:2])


def resource_of(urn: str) -> tuple[str, str]:
    """A URN's type token (the last of its type chain) and name; empty for a finding without a URN."""
    parts = urn.split("::", 3)
    if len(parts) < 4:
        return "", ""
    return parts[2].rsplit("$", 1)[-1], parts[3]


def session_for(
    pack_config: Mapping[str, Any] | None,
    stack_info: StackInfo | None,
    policies: Iterable[str],
    secret_keys: Iterable[str] = (),
    today: date | None = None,
) -> Session:
    """Read both sources into one session; every problem becomes a message, nothing is dropped."""
    config = pack_config or {}
    rules, problems = read_rules(config, policies, today)
    found, pack_problems = read_entries(config.get("exemptions", []), PACK_SOURCE, rules)
    problems.extend(pack_problems)
    text = stack_info.config.get(STACK_CONFIG_KEY) if stack_info is not None else None
    if text is not None:
        secret = STACK_CONFIG_KEY in set(secret_keys)
        try:
            entries: object = json.loads(text)
        except ValueError:
            entries = text
        stack_found, stack_problems = read_entries(entries, STACK_SOURCE, rules, secret=secret)
        found.extend(stack_found)
        problems.extend(stack_problems)
    seen: set[str] = set()
    unique: list[Exemption] = []
    for exemption in found:
        if exemption.id in seen:
            problems.append(
                invalid(exemption.id, "id", _shown(exemption.id, False), "must be unique across both sources")
            )
            continue
        seen.add(exemption.id)
        unique.append(exemption)
    return Session(unique, problems, rules.today)


_current: Session | None = None
_building = threading.Lock()


def current(build: Callable[[], Session]) -> Session:
    """This run's session, built once by ``build`` on first use (after Configure and ConfigureStack)."""
    global _current  # noqa: PLW0603 - one analyzer process judges one stack
    found = _current
    if found is not None:  # every policy of every Analyze asks: no lock once it is built
        return found
    with _building:  # another thread may have built it while this one waited
        _current = _current or build()
        return _current


def forget() -> None:
    """Drop the session: the pack or stack config changed, so the next use reads them again."""
    global _current  # noqa: PLW0603 - one analyzer process judges one stack
    with _building:
        _current = None


def built() -> Session | None:
    """The session if one was built, for the stack policy that reports on it."""
    return _current


def _report(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Report every invalid entry, then each of this stack's that matched nothing (this runs last)."""
    session = built()
    if session is None:
        args.not_applicable("no exemption was read in this run")  # raises
    assert session is not None
    for problem in session.problems:
        report_violation(problem, None)
    stacks = frozenset(stack_prefix(resource.urn) for resource in args.resources)
    for exemption in session.stale(stacks):
        report_violation(stale(exemption), None)


POLICY = StackValidationPolicy(
    name=POLICY_NAME,
    description="Exemptions are well formed, allowed, and still waive a finding.",
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "Fix the field the message names (reason of 10 characters or more, an ISO expiry within "
        "maxDays, a policy of the pack that the pack config does not forbid, a urn or type/name globs); "
        "delete a stale entry, since what it waived is fixed or gone."
    ),
    validate=_report,
    config_schema=PolicyConfigSchema(
        properties={
            "exemptions": {
                "type": "array",
                "items": {"type": "object"},
                "default": [],
                "description": (
                    "Findings waived per resource: policy, urn (or type/name globs), reason, "
                    "expires (YYYY-MM-DD), approvedBy, ticket."
                ),
            },
            "forbidden": {
                "type": "array",
                "items": {"type": "string"},
                "default": [],
                "description": "Policies no exemption may waive.",
            },
            "maxDays": {
                "type": "integer",
                "default": DEFAULT_MAX_DAYS,
                "description": "How many days ahead an exemption may expire at most.",
            },
        }
    ),
)
"""The stack policy that reports invalid and stale exemptions (the server lowers stale ones to advisory)."""

POLICIES = [POLICY]
