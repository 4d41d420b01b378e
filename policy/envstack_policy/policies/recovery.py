"""Recovery: DynamoDB tables keep point-in-time recovery.

A pack that insists every environment can be destroyed might be expected
to frown on backups; point-in-time recovery is not in the way: deleting a
table with PITR on succeeds at once (AWS keeps a system backup for 35 days,
which the account owner may restore or let lapse), unlike deletion
protection, which ``envstack-dynamodb-deletion-protection`` forbids. So
the pack asks for it, as Checkov and cdk-nag do.

A legacy global table (``dynamodb.GlobalTable``, version 2017.11.29) has no
recovery setting of its own: pulumi-aws gives it only a name and replica
regions, and AWS layers it on a table of that name in each region, whose
own ``pointInTimeRecovery`` decides. So
``envstack-dynamodb-global-table-pitr`` (a stack policy) asks that the stack
declare a table of the global table's name for each replica region and that
each has PITR on: a replica the stack does not declare can't be vouched for.
"""

from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from .. import compliance
from ..readers import tokens
from ..readers.links import of_types
from ..readers.messages import message
from ..readers.values import UNKNOWN, items, lookup, output, truthy


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
    **compliance.of("envstack-dynamodb-pitr"),
    description="DynamoDB tables have point-in-time recovery on (it does not stop destroy).",
    validate=validate_dynamodb_pitr,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "Set the table's pointInTimeRecovery.enabled to true (a TableReplica's pointInTimeRecovery to true);"
        " it costs per GB stored and does not block pulumi destroy."
    ),
)


def _tables_of(global_table: PolicyResource, tables_by_name: dict[str, list[PolicyResource]]) -> Any:
    """The stack's tables a global table is made of (by name), or ``UNKNOWN`` while its name is not known."""
    name = lookup(global_table.props, "name")
    dependencies = (global_table.property_dependencies or {}).get("name", [])
    named = {lookup(d.props, "name") for d in dependencies if d.resource_type == tokens.TABLE}
    if name is not UNKNOWN:
        named.add(name)
    if UNKNOWN in named or not named:
        return UNKNOWN
    return [t for n in named if isinstance(n, str) for t in tables_by_name.get(n, [])]


def _global_table_problems(global_table: PolicyResource, tables: list[PolicyResource]) -> list[str]:
    """Why the global table's replicas are not all known to keep point-in-time recovery."""
    problems: list[str] = []
    for table in tables:
        enabled = lookup(output(table, "pointInTimeRecovery"), "enabled")
        if enabled is not UNKNOWN and not truthy(enabled):
            problems.append(f"its table {table.name} does not have point-in-time recovery on.")
    regions = {lookup(r, "regionName") for r in items(lookup(global_table.props, "replicas"))}
    if UNKNOWN not in regions and len(tables) < len(regions):
        problems.append(
            f"it has {len(regions)} replica regions but the stack declares {len(tables)} table(s) of its"
            " name, so the recovery of the others can't be checked."
        )
    return problems


def validate_dynamodb_global_table_pitr(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Every replica of a legacy global table is a table of the stack with point-in-time recovery on."""
    tables_by_name: dict[str, list[PolicyResource]] = {}
    for table in of_types(args.resources, (tokens.TABLE,)):
        name = lookup(table.props, "name")
        if isinstance(name, str):
            tables_by_name.setdefault(name, []).append(table)
    for global_table in of_types(args.resources, (tokens.DYNAMODB_GLOBAL_TABLE,)):
        tables = _tables_of(global_table, tables_by_name)
        if tables is UNKNOWN or lookup(global_table.props, "replicas") is UNKNOWN:
            continue
        for problem in _global_table_problems(global_table, tables):
            report_violation(
                message(
                    global_table.name,
                    global_table.resource_type,
                    f"is a legacy global table without recovery everywhere: {problem}",
                    "declare each replica region's aws.dynamodb.Table of the same name in this stack with"
                    " pointInTimeRecovery {'enabled': True}, or replace the legacy global table with the"
                    " table's replicas input (version 2019.11.21), each replica with pointInTimeRecovery.",
                ),
                global_table.urn,
            )


dynamodb_global_table_pitr = StackValidationPolicy(
    name="envstack-dynamodb-global-table-pitr",
    **compliance.of("envstack-dynamodb-global-table-pitr"),
    description="Legacy DynamoDB global tables are made of the stack's tables, with point-in-time recovery.",
    validate=validate_dynamodb_global_table_pitr,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "A legacy aws.dynamodb.GlobalTable has no PITR setting: declare its table in every replica region in"
        " the same stack with pointInTimeRecovery.enabled=true, or move to aws.dynamodb.Table replicas"
        " (global tables version 2019.11.21), whose replicas set pointInTimeRecovery themselves."
    ),
)

POLICIES: list[Policy] = [dynamodb_pitr, dynamodb_global_table_pitr]
