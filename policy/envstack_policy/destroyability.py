"""Destroyability: ``pulumi destroy`` must be able to remove every resource.

Checked here: the ``protect`` option, S3 ``forceDestroy``, S3 Object Lock,
DynamoDB deletion protection and the deletion- or termination-protection
flags of the other pulumi-aws v7 types listed in ``PROTECTION_FLAGS``.

Not checked, because CrossGuard can't see it: ``retainOnDelete``. The
analyzer protocol's resource options carry ``protect`` but not
``retainOnDelete`` (nor ``deletedWith``), so a retained resource passes this
pack; the component's own tests pin that it never sets them.
"""

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, cast

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from . import tokens
from .messages import message
from .values import UNKNOWN, lookup, truthy


def validate_no_protect(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """The resource is not protected from deletion by Pulumi itself."""
    if args.opts.protect:
        report_violation(
            message(
                args.name,
                args.resource_type,
                "has the protect option set, so pulumi destroy stops at it.",
                "remove protect=True from its resource options (or run 'pulumi state unprotect').",
            ),
            None,
        )


no_protect = ResourceValidationPolicy(
    name="envstack-resource-no-protect",
    description="Resources are not protected, so every environment can be destroyed.",
    validate=validate_no_protect,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="Drop the protect resource option; use separate stacks for data that must outlive one.",
)


def _force_destroy_missing(args: ResourceValidationArgs) -> bool:
    value = lookup(args.props, "forceDestroy")
    return args.resource_type in tokens.BUCKETS and value is not UNKNOWN and not truthy(value)


def validate_force_destroy(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """A bucket can be deleted while it still holds objects and versions."""
    if _force_destroy_missing(args):
        report_violation(
            message(
                args.name,
                args.resource_type,
                "does not set forceDestroy, so destroy fails while the bucket holds objects.",
                "set forceDestroy to true.",
            ),
            None,
        )


def remediate_force_destroy(args: ResourceValidationArgs) -> Mapping[str, Any] | None:
    """Set ``forceDestroy``: it only matters at deletion, which this pack requires to succeed."""
    if not _force_destroy_missing(args):
        return None
    props = cast(MutableMapping[str, Any], args.props)
    props["forceDestroy"] = True
    return props


s3_force_destroy = ResourceValidationPolicy(
    name="envstack-s3-force-destroy",
    description="S3 buckets set forceDestroy, so destroy can empty them.",
    validate=validate_force_destroy,
    # pulumi-policy types remediate as returning an awaitable, but it accepts a plain mapping too.
    remediate=remediate_force_destroy,  # type: ignore[arg-type]
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="Set forceDestroy=true (the remediate level does this).",
)


def validate_no_object_lock(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """No Object Lock: locked object versions can't be deleted until their retention ends."""
    locked = False
    if args.resource_type in tokens.BUCKETS:
        locked = truthy(lookup(args.props, "objectLockEnabled")) or (
            lookup(args.props, "objectLockConfiguration", "objectLockEnabled") == "Enabled"
        )
    elif args.resource_type in tokens.BUCKET_OBJECT_LOCK:
        locked = True
    if locked:
        report_violation(
            message(
                args.name,
                args.resource_type,
                "turns on S3 Object Lock, which keeps object versions (and so the bucket) past destroy.",
                "remove objectLockEnabled/objectLockConfiguration and any BucketObjectLockConfiguration.",
            ),
            None,
        )


s3_no_object_lock = ResourceValidationPolicy(
    name="envstack-s3-no-object-lock",
    description="S3 buckets do not use Object Lock.",
    validate=validate_no_object_lock,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="Remove Object Lock; keep legally retained data outside disposable environments.",
)


def validate_dynamodb_deletion_protection(
    args: ResourceValidationArgs, report_violation: ReportViolation
) -> None:
    """Deletion protection on a table or replica makes destroy fail."""
    if args.resource_type in (tokens.TABLE, tokens.TABLE_REPLICA) and truthy(
        lookup(args.props, "deletionProtectionEnabled")
    ):
        report_violation(
            message(
                args.name,
                args.resource_type,
                "has deletionProtectionEnabled set, so destroy fails.",
                "set deletionProtectionEnabled to false.",
            ),
            None,
        )


dynamodb_deletion_protection = ResourceValidationPolicy(
    name="envstack-dynamodb-deletion-protection",
    description="DynamoDB tables have deletion protection off.",
    validate=validate_dynamodb_deletion_protection,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="Set deletionProtectionEnabled=false.",
)


@dataclass(frozen=True)
class ProtectionFlag:
    """One type's deletion-protection input and the values that turn it on."""

    prop: str
    on: frozenset[Any]
    on_when_absent: bool = False
    """AWS's own default is protected (QLDB), so leaving the input out protects the resource."""


_TRUE = frozenset({True, "true"})

PROTECTION_FLAGS: Mapping[str, ProtectionFlag] = {
    tokens.RDS_INSTANCE: ProtectionFlag("deletionProtection", _TRUE),
    tokens.RDS_CLUSTER: ProtectionFlag("deletionProtection", _TRUE),
    tokens.RDS_GLOBAL_CLUSTER: ProtectionFlag("deletionProtection", _TRUE),
    tokens.DOCDB_CLUSTER: ProtectionFlag("deletionProtection", _TRUE),
    tokens.DOCDB_GLOBAL_CLUSTER: ProtectionFlag("deletionProtection", _TRUE),
    tokens.NEPTUNE_CLUSTER: ProtectionFlag("deletionProtection", _TRUE),
    tokens.NEPTUNE_GLOBAL_CLUSTER: ProtectionFlag("deletionProtection", _TRUE),
    tokens.NEPTUNE_GRAPH: ProtectionFlag("deletionProtection", _TRUE),
    tokens.EKS_CLUSTER: ProtectionFlag("deletionProtection", _TRUE),
    tokens.QLDB_LEDGER: ProtectionFlag("deletionProtection", _TRUE, on_when_absent=True),
    tokens.DSQL_CLUSTER: ProtectionFlag("deletionProtectionEnabled", _TRUE),
    tokens.LOG_GROUP: ProtectionFlag("deletionProtectionEnabled", _TRUE),
    tokens.LB_LOAD_BALANCER: ProtectionFlag("enableDeletionProtection", _TRUE),
    tokens.ALB_LOAD_BALANCER: ProtectionFlag("enableDeletionProtection", _TRUE),
    tokens.COGNITO_USER_POOL: ProtectionFlag("deletionProtection", frozenset({"ACTIVE"})),
    tokens.VERIFIED_PERMISSIONS_POLICY_STORE: ProtectionFlag("deletionProtection", frozenset({"ENABLED"})),
    tokens.EC2_INSTANCE: ProtectionFlag("disableApiTermination", _TRUE),
    tokens.SMS_VOICE_POOL: ProtectionFlag("deletionProtectionEnabled", _TRUE),
    tokens.SMS_VOICE_PHONE_NUMBER: ProtectionFlag("deletionProtectionEnabled", _TRUE),
    tokens.SMS_VOICE_SENDER_ID: ProtectionFlag("deletionProtectionEnabled", _TRUE),
}
"""Deletion- and termination-protection inputs of pulumi-aws v7 types (DynamoDB has its own policy)."""


def validate_deletion_protection(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """No known deletion-protection flag is on."""
    flag = PROTECTION_FLAGS.get(args.resource_type)
    if flag is None:
        return
    value = lookup(args.props, flag.prop)
    if value is UNKNOWN:
        return
    if (isinstance(value, bool | str) and value in flag.on) or (value is None and flag.on_when_absent):
        shown = "left unset (AWS defaults it on)" if value is None else f"set to {value!r}"
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"has {flag.prop} {shown}, so destroy fails.",
                f"set {flag.prop} to its off value (false, INACTIVE or DISABLED).",
            ),
            None,
        )


deletion_protection = ResourceValidationPolicy(
    name="envstack-aws-deletion-protection",
    description="RDS, DocumentDB, Neptune, EKS, load balancers and other known types have deletion"
    " protection off.",
    validate=validate_deletion_protection,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="Turn the type's deletion- or termination-protection input off.",
)

POLICIES = [
    no_protect,
    s3_force_destroy,
    s3_no_object_lock,
    dynamodb_deletion_protection,
    deletion_protection,
]
