"""Who a policy statement lets in: the reading shared by trust policies and resource policies.

A resource policy (queue, topic, bucket) or a role's trust policy that
allows ``Principal: "*"`` lets any AWS account in, unless a condition pins
the caller down to an account, an organization, a source resource or a
network. Checkov and cdk-nag accept such a statement only with a
condition; this pack asks for one of the condition keys that actually
narrow who may call (``NARROWING_CONDITION_KEYS``), because a condition
such as ``aws:SecureTransport`` leaves everyone in.

A value not known yet (preview) counts as narrowing, so nothing is
reported until it is known: ``pulumi up`` analyzes again.
"""

from collections.abc import Mapping
from typing import Any, Final

from .values import UNKNOWN, as_list, labelled_statements, lookup

NARROWING_CONDITION_KEYS: Final = frozenset(
    {
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:sourceowner",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceip",
        "aws:userid",
        "aws:username",
    }
)
"""Global condition keys (lower case, as IAM compares them) that limit the callers to known ones."""

_EVERYONE_KEYS = ("AWS", "CanonicalUser")


def _everyone(principal: Any) -> bool:
    """``"*"``, or ``{"AWS": "*"}`` (alone or in a list); an unknown principal is not judged."""
    if principal == "*":
        return True
    if not isinstance(principal, Mapping):
        return False
    return any("*" in as_list(lookup(principal, key)) for key in _EVERYONE_KEYS)


def narrowed(condition: Any) -> bool:
    """Whether a statement's ``Condition`` names a key that limits who may call (unknown counts)."""
    if condition is UNKNOWN:
        return True
    if not isinstance(condition, Mapping):
        return False
    for operator in condition:
        clauses = lookup(condition, operator)
        if clauses is UNKNOWN:
            return True
        if isinstance(clauses, Mapping) and any(
            isinstance(key, str) and key.lower() in NARROWING_CONDITION_KEYS for key in clauses
        ):
            return True
    return False


def public_statements(document: Any) -> list[str]:
    """The labels (``Sid`` or ``#index``) of Allow statements open to anyone, with no narrowing condition.

    ``NotPrincipal`` in an Allow statement lets in everyone but those it names, so it counts as open.
    """
    found: list[str] = []
    for label, statement in labelled_statements(document):
        if lookup(statement, "Effect") != "Allow":
            continue
        open_to_all = _everyone(lookup(statement, "Principal")) or lookup(statement, "NotPrincipal") not in (
            None,
            UNKNOWN,
        )
        if open_to_all and not narrowed(lookup(statement, "Condition")):
            found.append(label)
    return found
