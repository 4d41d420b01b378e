"""Encryption at rest for RDS instances, Aurora and RDS clusters, and global clusters.

The pack already knows these types, for deletion protection; it also asks
that their storage be encrypted. ``storageEncrypted`` defaults to false for
all of them except Aurora Serverless v1 (``engineMode: serverless``), which
is always encrypted. A read replica, a cross-region replica cluster and a
global cluster made from an existing cluster take their encryption from
their source, which is judged where it is declared, so they are skipped.
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

from . import tokens
from .messages import message
from .values import UNKNOWN, lookup, truthy

INHERITED_FROM: Final[Mapping[str, str]] = {
    tokens.RDS_INSTANCE: "replicateSourceDb",
    tokens.RDS_CLUSTER: "replicationSourceIdentifier",
    tokens.RDS_GLOBAL_CLUSTER: "sourceDbClusterIdentifier",
}
"""Each type, with the input that makes it a copy whose encryption follows its source."""


def _encrypted_by_default(args: ResourceValidationArgs) -> Any:
    """Aurora Serverless v1 clusters are always encrypted; ``UNKNOWN`` when the engine mode is not known."""
    if args.resource_type != tokens.RDS_CLUSTER:
        return False
    mode = lookup(args.props, "engineMode")
    return mode if mode is UNKNOWN else mode == "serverless"


def validate_rds_storage_encryption(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """The database's storage is encrypted, unless it inherits its encryption from a source."""
    source_input = INHERITED_FROM.get(args.resource_type)
    if source_input is None:
        return
    source = lookup(args.props, source_input)
    encrypted = lookup(args.props, "storageEncrypted")
    if source is UNKNOWN or source or encrypted is UNKNOWN or truthy(encrypted):
        return
    default = _encrypted_by_default(args)
    if default is UNKNOWN or default:
        return
    report_violation(
        message(
            args.name,
            args.resource_type,
            "does not encrypt its storage at rest.",
            "set storageEncrypted to true (and kmsKeyId to a customer-managed key if you need one); an"
            " existing database is encrypted by restoring an encrypted copy of its snapshot.",
        ),
        None,
    )


rds_storage_encryption = ResourceValidationPolicy(
    name="envstack-rds-storage-encryption",
    description="RDS instances, Aurora and RDS clusters and global clusters encrypt their storage.",
    validate=validate_rds_storage_encryption,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "Set storageEncrypted=true (optionally kmsKeyId). Encryption can't be switched on in place: for an"
        " existing database, snapshot it, copy the snapshot with encryption and restore from the copy."
    ),
)

POLICIES: list[Policy] = [rds_storage_encryption]
