"""Destroyability: ``pulumi destroy`` must be able to remove every resource.

Checked here: the ``protect`` option, S3 ``forceDestroy``, S3 Object Lock,
DynamoDB deletion protection and the deletion- or termination-protection
flags of the other pulumi-aws v7 types listed in ``PROTECTION_FLAGS``; and,
in ``envstack-destroy-leaves-nothing``, the inputs of the in-scope services
that make a destroy fail or leave something behind in AWS (``LEFT_BEHIND``):
``skipDestroy`` (log groups, functions, layers, provisioned concurrency, RDS
option and parameter groups, public access blocks), RDS final snapshots and
retained automated backups, and KMS deletion windows longer than AWS's 7-day
minimum.

Surveyed and not reported, with why: an IAM role's ``forceDetachPolicies``
and a user's ``forceDestroy`` matter only for attachments and keys made
outside the stack (the stack's own are destroyed first); an RDS global
cluster's ``forceDestroy`` likewise; a function's
``replaceSecurityGroupsOnDestroy`` only shortens the wait for a VPC
function's network interfaces; SQS and SNS have no such input.

Not checked, because CrossGuard can't see it: ``retainOnDelete``. The
analyzer protocol's resource options carry ``protect`` but not
``retainOnDelete`` (nor ``deletedWith``), so a retained resource passes this
pack; the component's own tests pin that it never sets them.
"""

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, cast

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from .. import compliance
from ..readers import tokens
from ..readers.messages import message
from ..readers.values import UNKNOWN, lookup, truthy


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
    **compliance.of("envstack-resource-no-protect"),
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
    **compliance.of("envstack-s3-force-destroy"),
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
    **compliance.of("envstack-s3-no-object-lock"),
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
    **compliance.of("envstack-dynamodb-deletion-protection"),
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
    tokens.NETWORK_FIREWALL: ProtectionFlag("deleteProtection", _TRUE),
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
    **compliance.of("envstack-aws-deletion-protection"),
    description="RDS, DocumentDB, Neptune, EKS, load balancers and other known types have deletion"
    " protection off.",
    validate=validate_deletion_protection,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="Turn the type's deletion- or termination-protection input off.",
)


@dataclass(frozen=True)
class LeftBehind:
    """One input that makes destroy fail or leave something in AWS, and how to tell it is set."""

    prop: str
    bad: Callable[[Any], bool]
    problem: str
    fix: str


def _set(value: Any) -> bool:
    return truthy(value)


def _not_set(value: Any) -> bool:
    return not truthy(value)


def _explicitly_false(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")


def _longer_than_minimum(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and value > KMS_MINIMUM_WINDOW_DAYS)


KMS_MINIMUM_WINDOW_DAYS = 7
"""The shortest waiting period AWS allows before it deletes a KMS key (the default is 30 days)."""

_SKIP_DESTROY = LeftBehind(
    "skipDestroy",
    _set,
    "sets skipDestroy, so pulumi destroy drops it from the stack but leaves it in AWS.",
    "remove skipDestroy (or set it to false).",
)
_FINAL_SNAPSHOT = LeftBehind(
    "skipFinalSnapshot",
    _not_set,
    "does not set skipFinalSnapshot, so destroy fails without a finalSnapshotIdentifier, and with one"
    " leaves a snapshot that is billed until someone deletes it.",
    "set skipFinalSnapshot to true.",
)
_KMS_WINDOW = LeftBehind(
    "deletionWindowInDays",
    _longer_than_minimum,
    "leaves the key in AWS, unusable and pending deletion, for deletionWindowInDays after destroy"
    " (30 days when unset).",
    f"set deletionWindowInDays to {KMS_MINIMUM_WINDOW_DAYS}, the shortest AWS allows.",
)

LEFT_BEHIND: Mapping[str, tuple[LeftBehind, ...]] = {
    tokens.LOG_GROUP: (_SKIP_DESTROY,),
    tokens.FUNCTION: (_SKIP_DESTROY,),
    "aws:lambda/layerVersion:LayerVersion": (_SKIP_DESTROY,),
    "aws:lambda/layerVersionPermission:LayerVersionPermission": (_SKIP_DESTROY,),
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": (_SKIP_DESTROY,),
    "aws:rds/optionGroup:OptionGroup": (_SKIP_DESTROY,),
    "aws:rds/parameterGroup:ParameterGroup": (_SKIP_DESTROY,),
    tokens.BUCKET_PUBLIC_ACCESS_BLOCK: (_SKIP_DESTROY,),
    tokens.RDS_INSTANCE: (
        _FINAL_SNAPSHOT,
        LeftBehind(
            "deleteAutomatedBackups",
            _explicitly_false,
            "sets deleteAutomatedBackups to false, so its automated backups stay (and are billed) after"
            " destroy.",
            "remove deleteAutomatedBackups (AWS's default deletes them with the instance).",
        ),
    ),
    tokens.RDS_CLUSTER: (_FINAL_SNAPSHOT,),
    tokens.KMS_KEY: (_KMS_WINDOW,),
    "aws:kms/replicaKey:ReplicaKey": (_KMS_WINDOW,),
    "aws:kms/externalKey:ExternalKey": (_KMS_WINDOW,),
    "aws:kms/replicaExternalKey:ReplicaExternalKey": (_KMS_WINDOW,),
}
"""The inputs of the in-scope pulumi-aws types that make destroy fail or leave data or cost behind."""


def validate_leaves_nothing(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """Destroy removes the resource and everything it keeps."""
    for rule in LEFT_BEHIND.get(args.resource_type, ()):
        value = lookup(args.props, rule.prop)
        if value is not UNKNOWN and rule.bad(value):
            report_violation(message(args.name, args.resource_type, rule.problem, rule.fix), None)


leaves_nothing = ResourceValidationPolicy(
    name="envstack-destroy-leaves-nothing",
    **compliance.of("envstack-destroy-leaves-nothing"),
    description="pulumi destroy leaves no snapshot, backup, skipped resource or pending key behind.",
    validate=validate_leaves_nothing,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "Drop skipDestroy, set skipFinalSnapshot=true, keep RDS's default of deleting automated backups,"
        " and give KMS keys the 7-day deletion window."
    ),
)


POLICIES = [
    no_protect,
    s3_force_destroy,
    s3_no_object_lock,
    dynamodb_deletion_protection,
    deletion_protection,
    leaves_nothing,
]
