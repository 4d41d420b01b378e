"""Identity policies that grant risky actions on any resource: escalation, credentials, data, writes.

``envstack-iam-no-wildcards`` asks every Allow statement to name its
actions and resources, but its allow-lists (``allowedStarResourceActions``)
let a statement keep ``Resource: "*"`` for actions a team says need it. This
policy judges what such a statement actually grants, as Checkov's
CKV_AWS_286 to CKV_AWS_290 do through cloudsplaining, with the same IAM
action data (``iam_action_data``, generated from the versions Checkov pins):

- privilege escalation: every action of one of Rhino Security Labs' methods
  (``iam:CreateAccessKey``; ``iam:PassRole`` with ``lambda:CreateFunction``
  and ``lambda:InvokeFunction``; ...), across the document's statements;
- credentials exposure: actions whose answer carries credentials
  (``sts:AssumeRole``, ``iam:CreateLoginProfile``, ...);
- data exfiltration: ``s3:GetObject``, ``ssm:GetParameter*``,
  ``secretsmanager:GetSecretValue``;
- permissions management and writes: actions of those IAM access levels.

Each counts only where a resource ARN could have narrowed it and the
statement has ``Resource: "*"`` and no ``Condition`` (an action no ARN can
narrow counts for the first three whatever its resource), as cloudsplaining
reads it. A Deny statement of the document takes its actions back when it
too applies to every resource without a condition; cloudsplaining takes a
Deny's actions back whatever its resource (a Deny on one bucket would hide
``s3:GetObject`` on all the others) and never for the last two. Wildcard
actions are expanded (``iam:Put*``), but a grant of a whole service or of
every action (``s3:*``, ``*``, ``NotAction``) is left to
``envstack-iam-no-wildcards``, which reports it as such: listing the hundreds
of risky actions it holds would bury that finding.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from .. import compliance
from ..readers.action_patterns import pattern as action_pattern
from ..readers.messages import message
from ..readers.values import as_list, labelled_statements, lookup
from .access import identity_documents

SHOWN: Final = 6
"""How many actions a message names before it says how many more there are."""


@dataclass(frozen=True)
class Actions:
    """The action table, by lower-case name (IAM compares actions ignoring case)."""

    spelling: Mapping[str, str]
    """Every action the rule knows -> AWS's spelling."""
    write: frozenset[str]
    permissions: frozenset[str]
    escalation: Mapping[str, frozenset[str]]
    credentials: frozenset[str]
    exfiltration: frozenset[str]
    unrestrictable: frozenset[str]
    by_service: Mapping[str, tuple[str, ...]]


def _spelled(table: Mapping[str, str]) -> dict[str, str]:
    """A generated per-service table as lower-case action -> AWS's spelling."""
    pairs = ((prefix, name) for prefix, names in table.items() for name in names.split())
    return {f"{prefix}:{name}".lower(): f"{prefix}:{name}" for prefix, name in pairs}


def _lower(actions: Iterable[str]) -> frozenset[str]:
    return frozenset(action.lower() for action in actions)


@cache
def actions() -> Actions:
    """The table, read once, on the first identity policy the pack meets.

    Imported here, not at the top: its 7,000 names cost a few milliseconds that a preview whose
    policy documents are all still unknown (the component's, built from ARNs) need not pay.
    """
    from ..data import iam_action_data as data  # noqa: PLC0415

    write = _spelled(data.WRITE)
    permissions = _spelled(data.PERMISSIONS_MANAGEMENT)
    escalation = {method: data.PRIVILEGE_ESCALATION[method].split() for method in data.PRIVILEGE_ESCALATION}
    listed = [*data.CREDENTIALS_EXPOSURE, *data.DATA_EXFILTRATION]
    listed += [action for method in escalation.values() for action in method]
    spelling = {**write, **permissions, **{action.lower(): action for action in listed}}
    by_service: dict[str, list[str]] = {}
    for lower in sorted(spelling):
        by_service.setdefault(lower.partition(":")[0], []).append(lower)
    return Actions(
        spelling=spelling,
        write=frozenset(write),
        permissions=frozenset(permissions),
        escalation={method: _lower(names) for method, names in escalation.items()},
        credentials=_lower(data.CREDENTIALS_EXPOSURE),
        exfiltration=_lower(data.DATA_EXFILTRATION),
        unrestrictable=_lower(data.UNRESTRICTABLE),
        by_service={service: tuple(names) for service, names in by_service.items()},
    )


def _whole_service(action: str) -> bool:
    """``*`` or ``<service>:*``: a grant that ``envstack-iam-no-wildcards`` reports as every action."""
    return action == "*" or action.partition(":")[2] == "*"


def expand(patterns: Iterable[str], table: Actions) -> set[str]:
    """The known actions (lower case) that ``patterns`` name, with IAM's ``*`` and ``?`` wildcards."""
    found: set[str] = set()
    for pattern in (p.lower() for p in patterns):
        if "*" not in pattern and "?" not in pattern:
            found.update({pattern} & table.spelling.keys())
            continue
        service = pattern.partition(":")[0]
        wild_service = "*" in service or "?" in service
        candidates = table.spelling if wild_service else table.by_service.get(service, ())
        shape = action_pattern(pattern)
        found.update(action for action in candidates if shape.fullmatch(action))
    return found


@dataclass
class Findings:
    """What one policy document grants on any resource, by risk, with the statements that grant it."""

    escalation: list[str] = field(default_factory=list)
    """The methods whose every action the document allows."""
    credentials: set[str] = field(default_factory=set)
    exfiltration: set[str] = field(default_factory=set)
    permissions: dict[str, set[str]] = field(default_factory=dict)
    """Statement label -> its permissions-management actions on ``*``."""
    write: dict[str, set[str]] = field(default_factory=dict)
    granted_by: dict[str, str] = field(default_factory=dict)
    """Action -> the label of the first statement that grants it unconstrained."""


def _strings(value: Any) -> list[str]:
    return [item for item in as_list(value) if isinstance(item, str)]


def findings(document: Any, table: Actions) -> Findings:
    """Judge one identity policy document as cloudsplaining does (see the module's docstring)."""
    found = Findings()
    unconstrained: set[str] = set()
    denied: set[str] = set()
    for label, statement in labelled_statements(document):
        effect = lookup(statement, "Effect")
        named = _strings(lookup(statement, "Action"))
        anywhere = "*" in _strings(lookup(statement, "Resource"))
        if lookup(statement, "Condition") or effect not in ("Allow", "Deny"):
            continue
        if effect == "Deny":
            denied |= expand(named, table) if anywhere else set()
            continue
        granted = expand([a for a in named if not _whole_service(a)], table)
        free = granted if anywhere else granted & table.unrestrictable
        for action in sorted(free):
            found.granted_by.setdefault(action, label)
        unconstrained |= free
        if anywhere:
            for risk, level in ((found.permissions, table.permissions), (found.write, table.write)):
                if granted & level:
                    risk.setdefault(label, set()).update(granted & level)
    for by_statement in (found.permissions, found.write):
        for label in list(by_statement):
            by_statement[label] -= denied
            if not by_statement[label]:
                del by_statement[label]
    allowed = unconstrained - denied
    found.escalation = [method for method, needs in table.escalation.items() if needs <= allowed]
    found.credentials = allowed & table.credentials
    found.exfiltration = allowed & table.exfiltration
    return found


def _named(actions_found: Iterable[str], table: Actions) -> str:
    shown = sorted(table.spelling[a] for a in actions_found)
    more = f" and {len(shown) - SHOWN} more" if len(shown) > SHOWN else ""
    return ", ".join(shown[:SHOWN]) + more


def _with_statements(actions_found: Iterable[str], found: Findings, table: Actions) -> str:
    return ", ".join(f"{table.spelling[a]} (statement {found.granted_by[a]})" for a in sorted(actions_found))


def problems(found: Findings, table: Actions) -> list[str]:
    """One sentence per risk the document carries, naming the statements and the actions."""
    sentences: list[str] = []
    if found.escalation:
        needed = set().union(*(table.escalation[m] for m in found.escalation))
        sentences.append(
            f"allows privilege escalation ({', '.join(found.escalation)}) on any resource:"
            f" {_with_statements(needed, found, table)}."
        )
    for risky, what in ((found.credentials, "return credentials"), (found.exfiltration, "read data out")):
        if risky:
            sentences.append(
                f"allows actions that {what} on any resource: {_with_statements(risky, found, table)}."
            )
    for by_statement, level in ((found.permissions, "permissions-management"), (found.write, "write")):
        sentences.extend(
            f"statement {label} allows {level} actions on any resource: {_named(granted, table)}."
            for label, granted in by_statement.items()
        )
    return sentences


_FIX = (
    "name in Resource the ARNs of the resources the workload uses (or narrow the statement with a"
    " Condition); grant iam:PassRole, sts:AssumeRole and credential actions only on the roles and users"
    " meant, and drop the actions the workload never calls."
)


def validate_iam_risky_actions(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """No identity policy grants escalation, credentials, data, permissions or writes on any resource."""
    documents = identity_documents(args, report_violation)
    if not documents:
        return
    table = actions()
    for where, document in documents:
        for problem in problems(findings(document, table), table):
            report_violation(message(args.name, args.resource_type, f"{where}: {problem}", _FIX), None)


iam_risky_actions = ResourceValidationPolicy(
    name="envstack-iam-risky-actions",
    **compliance.of("envstack-iam-risky-actions"),
    description=(
        "IAM policies do not allow privilege escalation, credentials, data reads, permissions management"
        " or writes on any resource."
    ),
    validate=validate_iam_risky_actions,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "Scope each action the message names to the ARNs of the resources the workload uses, or narrow the"
        " statement with a Condition; remove actions (iam:PassRole, sts:AssumeRole, iam:CreateAccessKey,"
        " ...) that the workload does not call."
    ),
)

POLICIES: list[Policy] = [iam_risky_actions]
