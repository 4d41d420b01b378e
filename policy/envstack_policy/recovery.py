"""Recovery: DynamoDB tables keep point-in-time recovery.

A pack that insists every environment can be destroyed might be expected
to frown on backups; point-in-time recovery is not in the way: deleting a
table with PITR on succeeds at once (AWS keeps a system backup for 35 days,
which the account owner may restore or let lapse), unlike deletion
protection, which ``envstack-dynamodb-deletion-protection`` forbids. So
the pack asks for it, as Checkov and cdk-nag do.
"""

from typing import Any

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


def _pitr(args: ResourceValidationArgs) -> Any:
    """The PITR setting: a table has a ``pointInTimeRecovery`` block, a replica a plain boolean."""
    value = lookup(args.props, "pointInTimeRecovery")
    if args.resource_type == tokens.TABLE and value is not UNKNOWN:
        return lookup(value, "enabled")
    return value


def validate_dynamodb_pitr(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """The table (or replica) has point-in-time recovery on."""
    if args.resource_type not in (tokens.TABLE, tokens.TABLE_REPLICA):
        return
    enabled = _pitr(args)
    if enabled is UNKNOWN or truthy(enabled):
        return
    fix = (
        "set pointInTimeRecovery to {'enabled': True}."
        if args.resource_type == tokens.TABLE
        else "set pointInTimeRecovery to true."
    )
    report_violation(
        message(
            args.name,
            args.resource_type,
            "does not have point-in-time recovery on, so a bad write or delete can't be undone.",
            fix,
        ),
        None,
    )


dynamodb_pitr = ResourceValidationPolicy(
    name="envstack-dynamodb-pitr",
    description="DynamoDB tables have point-in-time recovery on (it does not stop destroy).",
    validate=validate_dynamodb_pitr,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "Set the table's pointInTimeRecovery.enabled to true (a TableReplica's pointInTimeRecovery to true);"
        " it costs per GB stored and does not block pulumi destroy."
    ),
)

POLICIES: list[Policy] = [dynamodb_pitr]
