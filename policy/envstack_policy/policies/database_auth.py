"""Database sign-in: RDS instances and clusters accept IAM authentication.

With IAM database authentication a workload signs in with a short-lived
token from its role instead of a password that sits in configuration or a
secret and never expires; the password still exists, but nothing needs to
hold it. Checkov CKV_AWS_161 (instances) and CKV_AWS_162 (clusters), and
cdk-nag AwsSolutions-RDS6 (Aurora clusters) ask for it.
"""

from typing import Final

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
from ..readers.values import UNKNOWN, lookup, truthy

IAM_AUTH_INSTANCE_ENGINES: Final = frozenset({"mysql", "postgres", "mariadb"})
"""The RDS instance engines that support IAM database authentication (not Oracle, SQL Server, Db2)."""


def _supports_iam_auth(args: ResourceValidationArgs) -> bool:
    if args.resource_type == tokens.RDS_INSTANCE:
        return lookup(args.props, "engine") in IAM_AUTH_INSTANCE_ENGINES
    # Every cluster engine supports it except Aurora Serverless v1.
    return args.resource_type == tokens.RDS_CLUSTER and lookup(args.props, "engineMode") != "serverless"


def validate_rds_iam_auth(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """An RDS instance of an engine that supports it, or a cluster, enables IAM database authentication."""
    if not _supports_iam_auth(args):
        return
    enabled = lookup(args.props, "iamDatabaseAuthenticationEnabled")
    if enabled is UNKNOWN or truthy(enabled):
        return
    report_violation(
        message(
            args.name,
            args.resource_type,
            "does not set iamDatabaseAuthenticationEnabled, so every client signs in with a long-lived"
            " password.",
            "set iamDatabaseAuthenticationEnabled to true and let workloads sign in with tokens from their"
            " role (rds-db:connect).",
        ),
        None,
    )


rds_iam_auth = ResourceValidationPolicy(
    name="envstack-rds-iam-auth",
    **compliance.of("envstack-rds-iam-auth"),
    description="RDS instances and clusters enable IAM database authentication.",
    validate=validate_rds_iam_auth,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "Set iamDatabaseAuthenticationEnabled=true on the aws.rds.Instance or aws.rds.Cluster and grant"
        " rds-db:connect to the roles that connect."
    ),
)

POLICIES: list[Policy] = [rds_iam_auth]
