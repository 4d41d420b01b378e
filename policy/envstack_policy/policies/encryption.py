"""Encryption at rest: S3, DynamoDB, SQS, SNS and Lambda environment variables."""

from collections.abc import Mapping, MutableMapping
from typing import Any, cast

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from .. import compliance
from ..readers import config, tokens
from ..readers.links import link, of_types
from ..readers.messages import message
from ..readers.values import UNKNOWN, items, lookup, output, truthy

_DEFAULT_KEYS = ("applyServerSideEncryptionByDefault", "applyServerSideEncryptionByDefaults")
"""A rule's default-encryption block: an object on ``Bucket`` and the configuration resources, a list on
``BucketV2``."""

_INLINE_KEYS = (
    ("serverSideEncryptionConfiguration", "rule"),
    ("serverSideEncryptionConfigurations", "rules"),
)
"""A bucket's inline configuration and its rules: ``Bucket`` has one object with one ``rule``, ``BucketV2``
a list of configurations, each with a list of ``rules``."""


SSE_ALGORITHMS = frozenset({"AES256", "aws:kms", "aws:kms:dsse"})
"""The default-encryption algorithms S3 has; it refuses any other ``sseAlgorithm``."""


def _rule_encrypts(rule: Any, wrong: list[str]) -> bool:
    """A rule sets a default algorithm S3 has (an unknown one is given the benefit of the doubt).

    An algorithm S3 does not have is added to ``wrong`` and does not count: AWS would refuse it.
    """
    for key in _DEFAULT_KEYS:
        block = lookup(rule, key)
        if block is UNKNOWN:
            return True
        for default in items(block):
            algorithm = lookup(default, "sseAlgorithm")
            if algorithm is UNKNOWN or algorithm in SSE_ALGORITHMS:
                return True
            if algorithm not in (None, ""):
                wrong.append(f"{key}.sseAlgorithm {algorithm!r}")
    return False


def _inline_encryption(bucket: PolicyResource, wrong: list[str]) -> bool:
    """The bucket's own (deprecated in v7, still accepted) inline configuration, in either token's shape."""
    for key, rules_key in _INLINE_KEYS:
        block = output(bucket, key)
        if block is UNKNOWN:
            return True
        for configuration in items(block):
            rules = lookup(configuration, rules_key)
            if rules is UNKNOWN or any([_rule_encrypts(rule, wrong) for rule in items(rules)]):
                return True
    return False


def validate_s3_encryption(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Every bucket has default encryption, inline or from a configuration resource that targets it."""
    buckets = of_types(args.resources, tokens.BUCKETS)
    links = link(buckets, ("bucket", "id"), of_types(args.resources, tokens.BUCKET_ENCRYPTION), "bucket")
    for bucket in buckets:
        wrong: list[str] = []
        if _inline_encryption(bucket, wrong):
            continue
        configs = links.of(bucket)
        if any([_rule_encrypts(rule, wrong) for c in configs for rule in items(lookup(c.props, "rules"))]):
            continue
        if links.unresolved and not wrong:
            continue
        problem = (
            f"has no default server-side encryption: {', '.join(wrong)} is not an algorithm S3 has"
            " ('AES256', 'aws:kms' or 'aws:kms:dsse'), so AWS would refuse it."
            if wrong
            else "has no default server-side encryption."
        )
        report_violation(
            message(
                bucket.name,
                bucket.resource_type,
                problem,
                "add an aws.s3.BucketServerSideEncryptionConfiguration with bucket=<this bucket>.id and a"
                " rule whose applyServerSideEncryptionByDefault.sseAlgorithm is 'aws:kms' or 'AES256'.",
            ),
            bucket.urn,
        )


s3_encryption = StackValidationPolicy(
    name="envstack-s3-encryption",
    **compliance.of("envstack-s3-encryption"),
    description="S3 buckets have default server-side encryption.",
    validate=validate_s3_encryption,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "Create an aws.s3.BucketServerSideEncryptionConfiguration (or ...V2) whose bucket is the"
        " bucket's id, with sseAlgorithm 'aws:kms' (and a kmsMasterKeyId) or 'AES256'."
    ),
)


def _aws_managed(key: Any) -> bool:
    """Whether a KMS key reference is an AWS-managed key's alias (``alias/aws/<service>``, or its ARN).

    AWS makes and owns those keys; a customer cannot set their policy or rotation, which is what
    ``requireKmsKey`` asks to be able to do (Trivy AWS-0025 fails ``alias/aws/dynamodb`` too).
    """
    return isinstance(key, str) and (key.startswith("alias/aws/") or ":alias/aws/" in key)


def validate_dynamodb_encryption(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """SSE is not switched off; with ``requireKmsKey``, a customer-managed KMS key is named."""
    if args.resource_type != tokens.TABLE:
        return
    require_key = config.flag(args.get_config(), "requireKmsKey")
    enabled = lookup(args.props, "serverSideEncryption", "enabled")
    key = lookup(args.props, "serverSideEncryption", "kmsKeyArn")
    if enabled is False:
        report_violation(
            message(
                args.name,
                args.resource_type,
                "sets serverSideEncryption.enabled to false, so the table falls back to an AWS-owned key.",
                "set serverSideEncryption.enabled to true (optionally with kmsKeyArn).",
            ),
            None,
        )
    elif require_key and enabled is not UNKNOWN and key is not UNKNOWN and not (truthy(enabled) and key):
        report_violation(
            message(
                args.name,
                args.resource_type,
                "is not encrypted with a customer-managed KMS key, which this pack's config requires.",
                "set serverSideEncryption.enabled to true and serverSideEncryption.kmsKeyArn to your"
                " key's ARN.",
            ),
            None,
        )
    elif require_key and _aws_managed(key):
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"names the AWS-managed key {key!r}, not a customer-managed one, which this pack's config"
                " requires.",
                "set serverSideEncryption.enabled to true and serverSideEncryption.kmsKeyArn to your"
                " key's ARN.",
            ),
            None,
        )


dynamodb_encryption = ResourceValidationPolicy(
    name="envstack-dynamodb-encryption",
    **compliance.of("envstack-dynamodb-encryption"),
    description="DynamoDB tables keep server-side encryption on, with a KMS key when config requires one.",
    validate=validate_dynamodb_encryption,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    config_schema=PolicyConfigSchema(
        properties={
            "requireKmsKey": {
                "type": "boolean",
                "default": False,
                "description": "Require serverSideEncryption.kmsKeyArn (a customer-managed key).",
            }
        }
    ),
    remediation_steps="Set serverSideEncryption.enabled=true and, if required, its kmsKeyArn.",
)


def _queue_unencrypted(props: Mapping[str, Any]) -> bool:
    """Neither SSE-SQS nor a KMS key is set (unknown values count as set)."""
    managed = lookup(props, "sqsManagedSseEnabled")
    key = lookup(props, "kmsMasterKeyId")
    if managed is UNKNOWN or key is UNKNOWN:
        return False
    return not truthy(managed) and not key


def validate_sqs_encryption(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """The queue uses SSE-SQS or a KMS key."""
    if args.resource_type == tokens.QUEUE and _queue_unencrypted(args.props):
        report_violation(
            message(
                args.name,
                args.resource_type,
                "is not encrypted at rest.",
                "set sqsManagedSseEnabled to true, or kmsMasterKeyId to a KMS key.",
            ),
            None,
        )


def remediate_sqs_encryption(args: ResourceValidationArgs) -> Mapping[str, Any] | None:
    """Turn on SSE-SQS: safe, free, and invisible to producers and consumers."""
    if args.resource_type != tokens.QUEUE or not _queue_unencrypted(args.props):
        return None
    props = cast(MutableMapping[str, Any], args.props)
    props["sqsManagedSseEnabled"] = True
    return props


sqs_encryption = ResourceValidationPolicy(
    name="envstack-sqs-encryption",
    **compliance.of("envstack-sqs-encryption"),
    description="SQS queues are encrypted at rest with SSE-SQS or a KMS key.",
    validate=validate_sqs_encryption,
    # pulumi-policy types remediate as returning an awaitable, but it accepts a plain mapping too.
    remediate=remediate_sqs_encryption,  # type: ignore[arg-type]
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Set sqsManagedSseEnabled=true (the remediate level does this) or kmsMasterKeyId.",
)


def validate_sns_encryption(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """The topic names a KMS key."""
    if args.resource_type != tokens.TOPIC:
        return
    key = lookup(args.props, "kmsMasterKeyId")
    if key is not UNKNOWN and not key:
        report_violation(
            message(
                args.name,
                args.resource_type,
                "is not encrypted at rest.",
                "set kmsMasterKeyId, e.g. to 'alias/aws/sns' or your own key's ARN.",
            ),
            None,
        )


sns_encryption = ResourceValidationPolicy(
    name="envstack-sns-encryption",
    **compliance.of("envstack-sns-encryption"),
    description="SNS topics are encrypted at rest with a KMS key.",
    validate=validate_sns_encryption,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="Set kmsMasterKeyId to 'alias/aws/sns' or a customer-managed key.",
)


def validate_lambda_env_encryption(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """With ``requireKmsKey``, a function with environment variables names a KMS key for them."""
    if args.resource_type != tokens.FUNCTION:
        return
    if not config.flag(args.get_config(), "requireKmsKey"):
        args.not_applicable("requireKmsKey is not set in this policy's config")
    variables = lookup(args.props, "environment", "variables")
    key = lookup(args.props, "kmsKeyArn")
    if variables is UNKNOWN or key is UNKNOWN or not variables or key:
        return
    report_violation(
        message(
            args.name,
            args.resource_type,
            "has environment variables encrypted only with the AWS-managed key.",
            "set kmsKeyArn to a customer-managed KMS key (and allow the role kms:Decrypt on it).",
        ),
        None,
    )


lambda_env_encryption = ResourceValidationPolicy(
    name="envstack-lambda-env-encryption",
    **compliance.of("envstack-lambda-env-encryption"),
    description="Lambda environment variables use a customer-managed KMS key, when config asks for one.",
    validate=validate_lambda_env_encryption,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    config_schema=PolicyConfigSchema(
        properties={
            "requireKmsKey": {
                "type": "boolean",
                "default": False,
                "description": "Require kmsKeyArn on every function that has environment variables.",
            }
        }
    ),
    remediation_steps="Set the function's kmsKeyArn to a customer-managed key.",
)

POLICIES = [s3_encryption, dynamodb_encryption, sqs_encryption, sns_encryption, lambda_env_encryption]
