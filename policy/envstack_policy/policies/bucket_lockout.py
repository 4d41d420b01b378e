"""S3 bucket policies that lock everyone out of the policy itself (Checkov CKV_AWS_93).

A Deny statement without a condition that applies to every principal and
covers ``s3:PutBucketPolicy`` leaves the bucket's policy changeable by the
account's root user alone: AWS exempts the root user of the owning account
from such a deny and no one else. The role that deploys the stack is then
locked out of its own bucket, and ``pulumi up`` (or ``pulumi destroy``, where
the deny covers deletion too) fails until someone signs in as root. "Every
principal" is ``Principal: "*"``, ``{"AWS": "*"}``, or ``NotPrincipal`` (deny
everyone but the few it names: the usual way to write "all but root").

The TLS deny that ``envstack-s3-tls-only`` asks for has a condition
(``aws:SecureTransport`` false), so it never counts here.
"""

from collections.abc import Mapping
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
from ..readers import tokens
from ..readers.action_patterns import covers
from ..readers.documents import Kind, typed_document
from ..readers.messages import message
from ..readers.values import UNKNOWN, as_list, labelled_statements, lookup

POLICY_CHANGE: Final = "s3:PutBucketPolicy"
"""The action whose denial to everyone leaves the policy to the root user (Checkov's test too)."""

_POLICY_INPUTS: Final[Mapping[str, str]] = {
    **dict.fromkeys(tokens.BUCKETS, "policy"),
    tokens.BUCKET_POLICY: "policy",
}


def _everyone(statement: Any) -> bool:
    """Whether a Deny statement applies to every principal, or to all but the few ``NotPrincipal`` names."""
    if lookup(statement, "NotPrincipal") not in (None, UNKNOWN):
        return True
    principal = lookup(statement, "Principal")
    if principal == "*":
        return True
    return isinstance(principal, Mapping) and "*" in as_list(lookup(principal, "AWS"))


def _denies_policy_change(statement: Any) -> bool:
    """Whether the statement's actions include changing the bucket policy."""
    not_action = lookup(statement, "NotAction")
    if not_action is UNKNOWN:
        return False
    if not_action is not None:
        return not covers(not_action, POLICY_CHANGE)
    return covers(lookup(statement, "Action"), POLICY_CHANGE)


def lockout_statements(document: Any) -> list[str]:
    """The labels (``Sid`` or ``#index``) of unconditional Deny statements that lock out all but root."""
    found: list[str] = []
    for label, statement in labelled_statements(document):
        if lookup(statement, "Effect") != "Deny" or lookup(statement, "Condition") not in (None, {}):
            continue
        if _everyone(statement) and _denies_policy_change(statement):
            found.append(label)
    return found


def validate_s3_policy_lockout(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """No statement of a bucket policy denies changing the policy to everyone without a condition."""
    found = typed_document(args, report_violation, _POLICY_INPUTS, Kind.RESOURCE)
    if found is None:
        return
    prop, document = found
    for label in lockout_statements(document):
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"{prop}: statement {label} denies {POLICY_CHANGE} to every principal with no condition, so"
                " only the account's root user can change the policy again (the deploying role can't).",
                "add a condition that exempts the roles that manage the bucket (e.g. StringNotLike on"
                " aws:PrincipalArn), or deny only requests that fail a condition (aws:SecureTransport"
                " false), or leave s3:PutBucketPolicy out of the denied actions.",
            ),
            None,
        )


s3_policy_lockout = ResourceValidationPolicy(
    name="envstack-s3-policy-lockout",
    **compliance.of("envstack-s3-policy-lockout"),
    description="S3 bucket policies do not deny changing the policy to everyone but the root user.",
    validate=validate_s3_policy_lockout,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "In the bucket's policy (aws.s3.BucketPolicy or the bucket's policy input), give every Deny"
        " statement that covers s3:PutBucketPolicy (s3:*, s3:Put*, *) and applies to Principal '*' or uses"
        " NotPrincipal a condition that exempts the deploying and administering roles; a bucket already"
        " locked out is fixed by the account's root user deleting the policy."
    ),
)

POLICIES: list[Policy] = [s3_policy_lockout]
