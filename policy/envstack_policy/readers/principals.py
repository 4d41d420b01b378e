"""Who a policy statement lets in: the reading shared by trust policies and resource policies.

A resource policy (queue, topic, bucket, key) or a role's trust policy that
allows ``Principal: "*"`` lets any AWS account in, unless a condition pins
the caller down to an account, an organization, a source resource or a
network. Checkov and cdk-nag accept such a statement only with a
condition; this pack asks for one of the condition keys that actually
narrow who may call (``narrowing_condition_keys``), because a condition
such as ``aws:SecureTransport`` leaves everyone in.

A condition narrows only when it could exclude someone: its operator asks
for a match (not ``StringNotEquals``, not ``...IfExists``, which passes a
request that lacks the key, not ``Null``), and none of its values is a
wildcard where the caller is named (``aws:SourceAccount: "*"``,
``aws:PrincipalArn: "arn:aws:iam::*:role/x"``, ``aws:SourceIp:
"0.0.0.0/0"``). Likewise a principal ARN whose account is a wildcard
(``arn:aws:iam::*:role/x``) is anyone's role of that name: anyone.

A value not known yet (preview) counts as narrowing, so nothing is
reported until it is known: ``pulumi up`` analyzes again.
"""

import ipaddress
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from .condition_keys import GLOBAL_NARROWING
from .values import UNKNOWN, as_list, labelled_statements, lookup


@cache
def narrowing_condition_keys() -> frozenset[str]:
    """Condition keys (lower case, as IAM compares them) that limit the callers to known ones.

    The global keys and each service's caller keys (``condition_keys``); read on the first
    condition judged, as the IAM action table is.
    """
    from ..data.iam_action_data import CALLER_CONDITION_KEYS  # noqa: PLC0415

    return frozenset(key.lower() for key in (*GLOBAL_NARROWING, *CALLER_CONDITION_KEYS))


_EVERYONE_KEYS = ("AWS", "CanonicalUser")
_WILDCARD = re.compile(r"[*?]")
_ARN = re.compile(r"^arn:[^:]*:[^:]*:[^:]*:(?P<account>[^:]*):(?P<resource>.*)$")


def wildcard_arn(value: str) -> bool:
    """Whether an ARN leaves its account open (``arn:aws:iam::*:role/x``), or has no account and no name.

    An ARN without an account (an S3 bucket's) is narrow when its name is; any value that is not an
    ARN is judged by its first segment (``o-*``, ``vpce-*``, ``12345*`` are open; ``AROA...:*`` is not).
    """
    match = _ARN.match(value)
    if match is None:
        first = re.split(r"[:/]", value, maxsplit=1)[0]
        return bool(_WILDCARD.search(first)) or not first
    account = match.group("account")
    if account:
        return bool(_WILDCARD.search(account))
    return wildcard_arn(match.group("resource"))


def _open_value(key: str, value: Any) -> bool:
    """Whether one condition value lets any caller through (an unknown value is judged later)."""
    if not isinstance(value, str):
        return value is not UNKNOWN and not isinstance(value, bool | int)
    if key == "aws:sourceip":
        try:
            return ipaddress.ip_network(value, strict=False).prefixlen == 0
        except ValueError:
            return True
    return wildcard_arn(value)


def _positive(operator: str) -> bool:
    """Whether an operator can only pass requests whose key matches (IAM compares operators ignoring case)."""
    name = operator.lower().removeprefix("forallvalues:").removeprefix("foranyvalue:")
    return (
        not operator.lower().startswith("forallvalues:")
        and not name.endswith("ifexists")
        and "not" not in name
        and name != "null"
    )


def _everyone(principal: Any) -> bool:
    """``"*"``, ``{"AWS": "*"}`` (alone or in a list), or an ARN in any account; an unknown is not judged."""
    if principal == "*":
        return True
    if not isinstance(principal, Mapping):
        return False
    named = [p for key in _EVERYONE_KEYS for p in as_list(lookup(principal, key))]
    return any(p == "*" or (isinstance(p, str) and _ARN.match(p) and wildcard_arn(p)) for p in named)


def narrowed(condition: Any) -> bool:
    """Whether a statement's ``Condition`` pins the caller down with a narrowing key (unknown counts)."""
    if condition is UNKNOWN:
        return True
    if not isinstance(condition, Mapping):
        return False
    for operator in condition:
        clauses = lookup(condition, operator)
        if clauses is UNKNOWN:
            return True
        if not isinstance(clauses, Mapping) or not _positive(str(operator)):
            continue
        for key in clauses:
            lower = str(key).lower()
            values = as_list(lookup(clauses, key))
            narrowing = lower in narrowing_condition_keys()
            if narrowing and values and not any(_open_value(lower, v) for v in values):
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
