"""Read and check IAM policy documents: the one owner of "can this document be judged at all".

A guardrail must never pass what it could not read. A document that does not
parse (a trailing comma), or whose shape AWS refuses (a ``Principal`` given as
a bare list, a statement without ``Effect``), used to read as "no document",
so every policy that looks for a bad statement found none and passed it,
while the same document without the typo was reported. ``read`` tells the four
cases apart: unset (``None``), not known yet in a preview (``UNKNOWN``, which
still defers to ``pulumi up``), unreadable (``Unreadable``, with what is
wrong) and a document a policy can judge. ``report_unreadable`` is the one
message every policy reports, at its own enforcement level, for the third.

The shape rules are IAM's policy grammar, as IAM, S3, SQS, SNS and KMS
enforce it when the document is put: a JSON object with ``Statement`` (one
object or a list of them); each statement with ``Effect`` ``Allow`` or
``Deny``, exactly one of ``Action``/``NotAction`` (strings), a ``Condition``
that is an object of objects; a principal only where the kind of document
takes one (``Principal``: ``"*"`` or an object of ``AWS``, ``Service``,
``Federated``, ``CanonicalUser``); a resource where it must have one. A value
not known yet inside the document is never a problem: it is judged later.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final

from pulumi_policy import ReportViolation

from .messages import message
from .values import UNKNOWN, Unknown, as_list, lookup


class Kind(Enum):
    """What a document is for, which decides the elements it must and may not have."""

    IDENTITY = "identity policy"
    """Attached to a user, group or role: no principal, a resource required."""
    RESOURCE = "resource policy"
    """On a bucket, queue, topic or key: a principal required."""
    TRUST = "trust policy"
    """A role's assumeRolePolicy: a principal required, no resource."""


@dataclass(frozen=True)
class Unreadable:
    """A document that is set but that no policy can judge, and why (never the document itself)."""

    problem: str


VERSIONS: Final = frozenset({"2012-10-17", "2008-10-17"})
"""The policy language versions AWS accepts."""
EFFECTS: Final = ("Allow", "Deny")
PRINCIPAL_KEYS: Final = frozenset({"AWS", "Service", "Federated", "CanonicalUser"})
"""The kinds of principal IAM's grammar has."""

Document = Mapping[str, Any]


def _strings(value: Any) -> bool:
    """A string or a non-empty list of strings (unknowns count as fine: judged later)."""
    values = as_list(value)
    return bool(values) and all(isinstance(v, str) or v is UNKNOWN for v in values)


def _principal_problem(field: str, principal: Any) -> str | None:
    if principal == "*" or principal is UNKNOWN:
        return None
    if not isinstance(principal, Mapping):
        return f"{field} is {type(principal).__name__}, not '*' or an object such as {{\"AWS\": [...]}}"
    for key in principal:
        if key not in PRINCIPAL_KEYS:
            return f"{field} has key {key!r}, not one of {', '.join(sorted(PRINCIPAL_KEYS))}"
        if not _strings(lookup(principal, key)):
            return f"{field}.{key} is not a string or a list of strings"
    return None


def _one_of(statement: Any, fields: tuple[str, str], required: bool) -> str | None:
    present = [f for f in fields if lookup(statement, f) is not None]
    if len(present) > 1:
        return f"has both {fields[0]} and {fields[1]}"
    if required and not present:
        return f"has neither {fields[0]} nor {fields[1]}"
    return None


def _statement_problem(statement: Any, kind: Kind) -> str | None:
    """What is wrong with one statement, or ``None``."""
    if not isinstance(statement, Mapping):
        return "is not an object"
    effect = lookup(statement, "Effect")
    if effect is not UNKNOWN and effect not in EFFECTS:
        return "has no Effect" if effect is None else f"has Effect {effect!r}, not 'Allow' or 'Deny'"
    checks: list[str | None] = [_one_of(statement, ("Action", "NotAction"), True)]
    checks += [
        f"{f} is not a string or a list of strings"
        for f in ("Action", "NotAction", "Resource", "NotResource")
        if lookup(statement, f) is not None and not _strings(lookup(statement, f))
    ]
    principals = ("Principal", "NotPrincipal")
    if kind is Kind.IDENTITY:
        checks += [f"has a {f}, which an identity policy may not" for f in principals if f in statement]
        checks.append(_one_of(statement, ("Resource", "NotResource"), True))
    else:
        checks.append(_one_of(statement, principals, True))
        checks += [_principal_problem(f, lookup(statement, f)) for f in principals if f in statement]
    if kind is Kind.TRUST:
        resources = ("Resource", "NotResource")
        checks += [f"has a {f}, which a trust policy may not" for f in resources if f in statement]
    condition = lookup(statement, "Condition")
    if condition not in (None, UNKNOWN) and not (
        isinstance(condition, Mapping)
        and all(isinstance(lookup(condition, op), Mapping | Unknown) for op in condition)
    ):
        checks.append("has a Condition that is not an object of {operator: {key: value}}")
    return next((c for c in checks if c), None)


def problem(document: Any, kind: Kind) -> str | None:
    """What makes ``document`` one AWS would refuse as a ``kind``, or ``None`` when it is well formed."""
    if not isinstance(document, Mapping):
        return f"is a JSON {type(document).__name__}, not an object"
    version = lookup(document, "Version")
    if version not in (None, UNKNOWN) and version not in VERSIONS:
        return f"has Version {version!r}, not '2012-10-17'"
    found = lookup(document, "Statement")
    if found is UNKNOWN:
        return None
    listed = as_list(found)
    if not listed:
        return "has no Statement"
    for index, statement in enumerate(listed):
        if statement is UNKNOWN:
            continue
        wrong = _statement_problem(statement, kind)
        if wrong:
            label = lookup(statement, "Sid") if isinstance(statement, Mapping) else None
            return f"statement {label or f'#{index}'} {wrong}"
    return None


def read(value: Any, kind: Kind) -> Document | Unknown | Unreadable | None:
    """A document property as one of: unset, not known yet, unreadable (with why) or the document.

    ``value`` is what ``values.lookup`` (or ``values.output``) returned. An empty string is unset,
    as the AWS provider treats it.
    """
    if value is None or value is UNKNOWN or value == "":
        return value if value is UNKNOWN else None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as error:
            return Unreadable(f"is not JSON ({error})")
    wrong = problem(value, kind)
    return Unreadable(wrong) if wrong else value


def unreadable_message(name: str, type_token: str, where: str, kind: Kind, unreadable: Unreadable) -> str:
    """The violation for a document the policy could not read: the resource, the input and why."""
    return message(
        name,
        type_token,
        f"{where} cannot be judged: the {kind.value} {unreadable.problem}, so AWS would refuse it and"
        " this policy cannot tell what it allows.",
        f"write {where} as a JSON {kind.value} in IAM's grammar (Version '2012-10-17', each statement"
        " with Effect, Action" + (", Principal" if kind is not Kind.IDENTITY else ", Resource") + ").",
    )


def judged(
    args: Any, report: ReportViolation, kind: Kind, where: str, value: Any, *, urn: str | None = None
) -> Document | Unknown | None:
    """``read``, reporting an unreadable document on ``args`` (a resource or a stack resource).

    Returns the document, ``UNKNOWN`` (not known yet) or ``None`` (unset, or unreadable and reported).
    """
    found = read(value, kind)
    if isinstance(found, Unreadable):
        report(unreadable_message(args.name, args.resource_type, where, kind, found), urn)
        return None
    return found


def typed_document(
    args: Any, report_violation: ReportViolation, inputs: Mapping[str, str], kind: Kind
) -> tuple[str, Document] | None:
    """The document input of a type that carries one (``inputs``: type token -> input), and the document.

    ``None`` for other types, while the document is not known (a preview) or unset, and when it is
    unreadable, which is reported on the resource.
    """
    key = inputs.get(args.resource_type)
    if key is None:
        return None
    found = judged(args, report_violation, kind, key, lookup(args.props, key))
    return None if found is None or isinstance(found, Unknown) else (key, found)
