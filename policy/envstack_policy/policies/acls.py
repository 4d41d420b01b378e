"""S3 ACLs that make a bucket public, judged at preview.

A public access block with ``ignorePublicAcls`` makes S3 ignore such grants
(``envstack-s3-public-access-block`` asks for one), but the block is a
separate resource that a program can drop, and the grant then takes effect
the moment the bucket exists. This policy reads what the program asks for:
the bucket's canned ``acl`` and ``grants`` inputs, and the canned ACL and
grants of an ``aws.s3.BucketAcl``/``BucketAclV2``.

A second policy asks that ownership controls, where a program declares them,
disable ACLs altogether (``BucketOwnerEnforced``, S3's default for new buckets
since April 2023): ``ObjectWriter`` or ``BucketOwnerPreferred`` turns ACLs back
on, and with them every grant the first policy looks for.
"""

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
from ..readers.messages import message
from ..readers.values import UNKNOWN, as_list, items, lookup

PUBLIC_CANNED_ACLS: Final = {
    "public-read": "lets everyone (AllUsers) list and read the bucket",
    "public-read-write": "lets everyone (AllUsers) list, read and write the bucket",
    "authenticated-read": "lets any AWS account (AuthenticatedUsers) list and read the bucket",
}
"""Canned ACLs that grant the AllUsers or AuthenticatedUsers group access, with what each grants."""

CANNED_ACLS: Final = frozenset(
    {
        "private",
        "public-read",
        "public-read-write",
        "aws-exec-read",
        "authenticated-read",
        "bucket-owner-read",
        "bucket-owner-full-control",
        "log-delivery-write",
    }
)
"""The canned ACLs S3 defines (its API's ``x-amz-acl`` values); S3 refuses any other ``acl``."""

PUBLIC_GROUPS: Final = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "everyone (AllUsers)",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "any AWS account (AuthenticatedUsers)",
}
"""The grantee group URIs that make a grant public, with how a message names them."""


def _grant_findings(grants: list[Any], uri_path: tuple[str, ...], permission_key: str) -> list[str]:
    """Each public grant, as 'PERMISSION to who'; grants not known yet are skipped."""
    found: list[str] = []
    for grant in grants:
        uri = lookup(grant, *uri_path)
        who = PUBLIC_GROUPS.get(uri) if isinstance(uri, str) else None
        if who is not None:
            permissions = [p for p in as_list(lookup(grant, permission_key)) if isinstance(p, str)]
            found.append(f"{'/'.join(permissions) or 'access'} to {who}")
    return found


def public_acl_findings(args: ResourceValidationArgs) -> list[str]:
    """What a bucket or bucket ACL resource grants the public, as sentences."""
    findings: list[str] = []
    canned = lookup(args.props, "acl")
    if isinstance(canned, str) and canned in PUBLIC_CANNED_ACLS:
        findings.append(f"acl '{canned}' {PUBLIC_CANNED_ACLS[canned]}")
    elif isinstance(canned, str) and canned and canned not in CANNED_ACLS:
        findings.append(f"acl {canned!r} is not a canned ACL S3 has, so what it grants cannot be judged")
    if args.resource_type in tokens.BUCKETS:
        grants = items(lookup(args.props, "grants"))
        findings += [f"grants give {g}" for g in _grant_findings(grants, ("uri",), "permissions")]
    else:
        grants = items(lookup(args.props, "accessControlPolicy", "grants"))
        findings += [
            f"accessControlPolicy grants {g}"
            for g in _grant_findings(grants, ("grantee", "uri"), "permission")
        ]
    return findings


def validate_s3_public_acl(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """No canned ACL or grant opens the bucket to AllUsers or AuthenticatedUsers."""
    if args.resource_type not in tokens.BUCKETS and args.resource_type not in tokens.BUCKET_ACLS:
        return
    for finding in public_acl_findings(args):
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"{finding}.",
                "use acl 'private' (or none) with BucketOwnershipControls objectOwnership"
                " 'BucketOwnerEnforced', and grant access through a bucket policy that names the principals.",
            ),
            None,
        )


s3_public_acl = ResourceValidationPolicy(
    name="envstack-s3-public-acl",
    **compliance.of("envstack-s3-public-acl"),
    description="S3 bucket ACLs do not grant access to AllUsers or AuthenticatedUsers.",
    validate=validate_s3_public_acl,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "Remove public-read, public-read-write and authenticated-read canned ACLs and grants to the AllUsers"
        " or AuthenticatedUsers groups; disable ACLs with BucketOwnershipControls (BucketOwnerEnforced)."
    ),
)

ACLS_DISABLED: Final = "BucketOwnerEnforced"


def validate_s3_acls_disabled(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """A bucket's ownership controls set ``BucketOwnerEnforced``, which turns ACLs off."""
    if args.resource_type != tokens.BUCKET_OWNERSHIP_CONTROLS:
        return
    ownership = lookup(args.props, "rule", "objectOwnership")
    if ownership is UNKNOWN or ownership == ACLS_DISABLED:
        return
    report_violation(
        message(
            args.name,
            args.resource_type,
            f"sets rule.objectOwnership to {ownership!r}, which leaves the bucket's ACLs on.",
            f"set rule.objectOwnership to '{ACLS_DISABLED}' and grant access with the bucket policy.",
        ),
        None,
    )


s3_acls_disabled = ResourceValidationPolicy(
    name="envstack-s3-acls-disabled",
    **compliance.of("envstack-s3-acls-disabled"),
    description="S3 bucket ownership controls disable ACLs (BucketOwnerEnforced).",
    validate=validate_s3_acls_disabled,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "Set the aws.s3.BucketOwnershipControls rule's objectOwnership to BucketOwnerEnforced; move any"
        " access the ACLs granted into the bucket policy."
    ),
)

POLICIES: list[Policy] = [s3_public_acl, s3_acls_disabled]
