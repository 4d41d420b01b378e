"""Retention: CloudWatch log groups expire their events.

A log group without ``retentionInDays`` (or with 0) keeps every event
forever, and is billed for it for as long as the account lives; destroying
the stack removes it, but a long-lived environment accumulates logs no one
reads and that may hold personal data past any retention rule.
"""

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
from ..readers.values import UNKNOWN, lookup


def validate_log_retention(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """The log group sets a retention period (0 means never expire, as AWS reads it)."""
    if args.resource_type != tokens.LOG_GROUP:
        return
    days = lookup(args.props, "retentionInDays")
    if days is UNKNOWN or (isinstance(days, int | float) and not isinstance(days, bool) and days > 0):
        return
    report_violation(
        message(
            args.name,
            args.resource_type,
            "keeps its log events forever (no retentionInDays).",
            "set retentionInDays to one of the periods CloudWatch Logs accepts, e.g. 30 or 365.",
        ),
        None,
    )


logs_retention = ResourceValidationPolicy(
    name="envstack-logs-retention",
    **compliance.of("envstack-logs-retention"),
    description="CloudWatch log groups set a retention period.",
    validate=validate_log_retention,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.LOW,
    remediation_steps="Set retentionInDays (1, 3, 5, 7, 14, 30, 60, 90, ... 3653) on the log group.",
)

POLICIES: list[Policy] = [logs_retention]
