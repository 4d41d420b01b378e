"""Exposure: public endpoints, invocations without a pinned source, secrets in plain configuration.

Each is a Checkov check the pack lacked (see the matrix in policy/README.md):
CKV_AWS_17 (an RDS instance reachable from the internet), CKV_AWS_258 (a
function URL anyone can call without signing), CKV_AWS_364 (a Lambda
permission for an AWS service with no source: any account's bucket, topic or
rule of that service could then invoke the function, the confused-deputy
problem AWS's Lambda documentation warns of) and CKV_AWS_45 (credentials in a
function's environment variables, which anyone who may read the function's
configuration sees, and which the state file and every preview carry in clear),
CKV_AWS_302 (a DB snapshot shared with every AWS account) and CKV_AWS_392 (an S3
access point whose own public access block is turned off).
"""

import re
from collections.abc import Mapping

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
from ..readers.values import UNKNOWN, as_list, lookup, truthy

ACCESS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b")
"""An AWS access key id, as AWS's own secret scanners and detect-secrets recognise one."""
SECRET_NAME = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL", re.IGNORECASE)
"""A variable name that says it holds a secret."""
REFERENCE = re.compile(r"^(?:arn:|/|\{\{resolve:|https?://)")
"""A value that points at a secret kept elsewhere (an ARN, a parameter path, a URL) rather than being one."""
MIN_SECRET_LENGTH = 8

_RDS_INSTANCES = frozenset({tokens.RDS_INSTANCE, tokens.RDS_CLUSTER_INSTANCE})


def validate_rds_public(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """An RDS instance does not get a public IP address."""
    if args.resource_type in _RDS_INSTANCES and truthy(lookup(args.props, "publiclyAccessible")):
        report_violation(
            message(
                args.name,
                args.resource_type,
                "sets publiclyAccessible, so the database gets an address reachable from the internet.",
                "set publiclyAccessible to false and reach the database from inside its VPC.",
            ),
            None,
        )


rds_public = ResourceValidationPolicy(
    name="envstack-rds-public",
    **compliance.of("envstack-rds-public"),
    description="RDS instances are not publicly accessible.",
    validate=validate_rds_public,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Set publiclyAccessible=false; connect through the VPC, a bastion or RDS Proxy.",
)


URL_AUTHORIZATION_TYPES = ("AWS_IAM", "NONE")
"""The authorization types Lambda has for a function URL; it refuses any other."""


def validate_lambda_url_auth(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """A function URL requires signed (IAM) requests; a type Lambda does not have is reported too."""
    if args.resource_type != tokens.FUNCTION_URL:
        return
    authorization = lookup(args.props, "authorizationType")
    if isinstance(authorization, str) and authorization not in URL_AUTHORIZATION_TYPES:
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"has authorizationType {authorization!r}, which is not one Lambda has (AWS_IAM or NONE), so"
                " who may invoke the function cannot be judged.",
                "set authorizationType to AWS_IAM (callers sign their requests with SigV4).",
            ),
            None,
        )
    elif authorization == "NONE":
        report_violation(
            message(
                args.name,
                args.resource_type,
                "has authorizationType NONE, so anyone on the internet who has the URL can invoke the"
                " function.",
                "set authorizationType to AWS_IAM (callers sign their requests with SigV4).",
            ),
            None,
        )


lambda_url_auth = ResourceValidationPolicy(
    name="envstack-lambda-url-auth",
    **compliance.of("envstack-lambda-url-auth"),
    description="Lambda function URLs require IAM authorization.",
    validate=validate_lambda_url_auth,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Set the aws.lambda.FunctionUrl's authorizationType to AWS_IAM.",
)


def validate_lambda_service_permission(
    args: ResourceValidationArgs, report_violation: ReportViolation
) -> None:
    """A permission for an AWS service principal names the source ARN or account."""
    if args.resource_type != tokens.LAMBDA_PERMISSION:
        return
    principal = lookup(args.props, "principal")
    if not isinstance(principal, str) or not principal.endswith(".amazonaws.com"):
        return
    sources = [lookup(args.props, "sourceArn"), lookup(args.props, "sourceAccount")]
    if any(value is UNKNOWN or value for value in sources):
        return
    report_violation(
        message(
            args.name,
            args.resource_type,
            f"lets the service {principal} invoke the function on behalf of any account's resources"
            " (no sourceArn or sourceAccount).",
            "set sourceArn to the bucket, topic, rule or API that calls the function (and sourceAccount to"
            " its account).",
        ),
        None,
    )


lambda_service_permission = ResourceValidationPolicy(
    name="envstack-lambda-service-permission",
    **compliance.of("envstack-lambda-service-permission"),
    description="Lambda permissions for AWS services are limited by source ARN or source account.",
    validate=validate_lambda_service_permission,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Set sourceArn (and sourceAccount) on each aws.lambda.Permission for a service.",
)


def _secret_variables(variables: object) -> list[str]:
    """The names of the variables whose literal value is, or is named as, a credential."""
    if not isinstance(variables, Mapping):
        return []
    found = []
    for name in list(variables):
        value = lookup(variables, name)
        if not isinstance(value, str):
            continue
        named = (
            bool(SECRET_NAME.search(name)) and len(value) >= MIN_SECRET_LENGTH and not REFERENCE.match(value)
        )
        if named or ACCESS_KEY_ID.search(value):
            found.append(name)
    return found


def validate_lambda_env_secrets(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """A function's environment variables hold no credentials."""
    if args.resource_type != tokens.FUNCTION:
        return
    names = _secret_variables(lookup(args.props, "environment", "variables"))
    if names:
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"has what looks like a credential in environment variable(s) {', '.join(sorted(names))},"
                " readable by anyone who may read the function's configuration and stored in clear in the"
                " stack's state.",
                "keep the secret in Secrets Manager or SSM Parameter Store, pass its ARN or name instead, and"
                " read it at run time (or use the function's role instead of access keys).",
            ),
            None,
        )


lambda_env_secrets = ResourceValidationPolicy(
    name="envstack-lambda-env-secrets",
    **compliance.of("envstack-lambda-env-secrets"),
    description="Lambda environment variables hold no credentials.",
    validate=validate_lambda_env_secrets,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Move secrets to Secrets Manager or SSM Parameter Store; pass their ARNs or names.",
)


def validate_rds_snapshot_public(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """A DB or cluster snapshot is not shared with ``all``, which restores it in any AWS account."""
    if args.resource_type not in tokens.RDS_SNAPSHOTS:
        return
    shared = as_list(lookup(args.props, "sharedAccounts"))
    if any(isinstance(account, str) and account.lower() == "all" for account in shared):
        report_violation(
            message(
                args.name,
                args.resource_type,
                "shares the snapshot with 'all', so any AWS account can copy it and restore the database.",
                "list the account IDs that need the snapshot in sharedAccounts, or leave it unshared.",
            ),
            None,
        )


rds_snapshot_public = ResourceValidationPolicy(
    name="envstack-rds-snapshot-public",
    **compliance.of("envstack-rds-snapshot-public"),
    description="RDS snapshots are not shared with every AWS account.",
    validate=validate_rds_snapshot_public,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Remove 'all' from the snapshot's sharedAccounts; name the accounts instead.",
)

_ACCESS_POINT_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def validate_s3_access_point_public(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """An access point leaves every flag of its public access block on (each defaults to true)."""
    if args.resource_type != tokens.S3_ACCESS_POINT:
        return
    block = lookup(args.props, "publicAccessBlockConfiguration")
    off = [flag for flag in _ACCESS_POINT_FLAGS if lookup(block, flag) is False]
    if off:
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"turns {', '.join(off)} off in its publicAccessBlockConfiguration, so the access point may"
                " serve the bucket publicly.",
                "leave publicAccessBlockConfiguration unset (every flag defaults to true) or set all four"
                " flags true.",
            ),
            None,
        )


s3_access_point_public = ResourceValidationPolicy(
    name="envstack-s3-access-point-public",
    **compliance.of("envstack-s3-access-point-public"),
    description="S3 access points keep all four public access block flags on.",
    validate=validate_s3_access_point_public,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to"
    " true in the access point's publicAccessBlockConfiguration, or leave it unset.",
)

POLICIES: list[Policy] = [
    rds_public,
    lambda_url_auth,
    lambda_service_permission,
    lambda_env_secrets,
    rds_snapshot_public,
    s3_access_point_public,
]
