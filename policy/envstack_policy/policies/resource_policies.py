"""Resource policies that let anyone in, or that grant a queue's every action.

The services: SQS queues, SNS topics, S3 buckets, KMS keys, Lambda permissions.

A resource policy is the one place AWS lets a principal of another account
act on a resource without anything in that account's own IAM, so
``Principal: "*"`` there means "any AWS account", and for S3 even anonymous
callers on the internet. Each service gets its own policy, so a team that
really publishes a bucket can turn that one off without losing the others.
Both the resource's inline ``policy`` input and the separate policy
resource are read; see ``principals`` for what counts as narrowing.
"""

from collections.abc import Callable, Mapping

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
from ..readers.documents import Kind, typed_document
from ..readers.messages import message
from ..readers.principals import public_statements
from ..readers.values import UNKNOWN, as_list, labelled_statements, lookup

_NARROW_HINT = "aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID"


def _document_validator(
    policy_inputs: Mapping[str, str], service: str
) -> Callable[[ResourceValidationArgs, ReportViolation], None]:
    """A validate function for the types in ``policy_inputs`` (type token -> its policy document input)."""

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        found = typed_document(args, report_violation, policy_inputs, Kind.RESOURCE)
        if found is None:
            return
        prop, document = found
        for label in public_statements(document):
            report_violation(
                message(
                    args.name,
                    args.resource_type,
                    f"{prop}: statement {label} allows any principal ('*') to use the {service} without a"
                    " condition that narrows who may call.",
                    f"name the accounts, roles or service principals that need access, or add a condition on"
                    f" {_NARROW_HINT}.",
                ),
                None,
            )

    validate.__doc__ = (
        f"No statement of a {service} policy lets in any principal without a narrowing condition."
    )
    return validate


validate_sqs_public_policy = _document_validator(
    {tokens.QUEUE: "policy", tokens.QUEUE_POLICY: "policy"}, "queue"
)

sqs_public_policy = ResourceValidationPolicy(
    name="envstack-sqs-public-policy",
    **compliance.of("envstack-sqs-public-policy"),
    description="SQS queue policies do not allow any principal without a condition that narrows it.",
    validate=validate_sqs_public_policy,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "In the queue's policy (aws.sqs.QueuePolicy or the queue's policy input), replace Principal '*' with"
        f" the principals that send or receive, or add a condition on {_NARROW_HINT} (e.g. the SNS topic's"
        " ARN as aws:SourceArn)."
    ),
)

validate_sns_public_policy = _document_validator(
    {tokens.TOPIC: "policy", tokens.TOPIC_POLICY: "policy"}, "topic"
)

sns_public_policy = ResourceValidationPolicy(
    name="envstack-sns-public-policy",
    **compliance.of("envstack-sns-public-policy"),
    description="SNS topic policies do not allow any principal without a condition that narrows it.",
    validate=validate_sns_public_policy,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "In the topic's policy (aws.sns.TopicPolicy or the topic's policy input), replace Principal '*' with"
        f" the publishing accounts or services, or add a condition on {_NARROW_HINT}."
    ),
)

validate_s3_public_policy = _document_validator(
    {**dict.fromkeys(tokens.BUCKETS, "policy"), tokens.BUCKET_POLICY: "policy"}, "bucket"
)

s3_public_policy = ResourceValidationPolicy(
    name="envstack-s3-public-policy",
    **compliance.of("envstack-s3-public-policy"),
    description="S3 bucket policies do not allow any principal without a condition that narrows it.",
    validate=validate_s3_public_policy,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "In the aws.s3.BucketPolicy, replace Principal '*' in Allow statements with the readers' accounts or"
        f" roles, or add a condition on {_NARROW_HINT}; serve public content through CloudFront with origin"
        " access control instead."
    ),
)

validate_kms_public_policy = _document_validator(
    {tokens.KMS_KEY: "policy", tokens.KMS_KEY_POLICY: "policy"}, "key"
)

kms_public_policy = ResourceValidationPolicy(
    name="envstack-kms-public-policy",
    **compliance.of("envstack-kms-public-policy"),
    description="KMS key policies do not allow any principal without a condition that narrows it.",
    validate=validate_kms_public_policy,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "In the key's policy (aws.kms.KeyPolicy or the key's policy input), replace Principal '*' with the"
        f" account root or the roles that use the key, or add a condition on {_NARROW_HINT}."
    ),
)

# --- SQS: every action ----------------------------------------------------------------------

_ALL_SQS_ACTIONS = frozenset({"*", "sqs:*"})
"""The actions that grant everything a queue policy can grant (IAM compares actions ignoring case)."""


def all_action_statements(document: object) -> list[str]:
    """The labels of Allow statements that grant every SQS action, by ``*``, ``sqs:*`` or ``NotAction``."""
    found: list[str] = []
    for label, statement in labelled_statements(document):
        if lookup(statement, "Effect") != "Allow":
            continue
        actions = as_list(lookup(statement, "Action"))
        wild = any(isinstance(a, str) and a.lower() in _ALL_SQS_ACTIONS for a in actions)
        if wild or lookup(statement, "NotAction") is not None:
            found.append(label)
    return found


_QUEUE_POLICY_INPUTS = {tokens.QUEUE: "policy", tokens.QUEUE_POLICY: "policy"}


def validate_sqs_all_actions(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """No statement of a queue policy allows every SQS action, whoever the principal is.

    Even a named account with ``sqs:*`` may delete the queue, purge it or rewrite its policy, which
    a sender or a consumer never needs; ``envstack-sqs-public-policy`` judges who, this judges what.
    """
    found = typed_document(args, report_violation, _QUEUE_POLICY_INPUTS, Kind.RESOURCE)
    if found is None:
        return
    prop, document = found
    for label in all_action_statements(document):
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"{prop}: statement {label} allows every SQS action ('*', 'sqs:*' or NotAction).",
                "name the actions each principal needs, e.g. sqs:SendMessage for a producer, or"
                " sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes for a consumer.",
            ),
            None,
        )


sqs_all_actions = ResourceValidationPolicy(
    name="envstack-sqs-all-actions",
    **compliance.of("envstack-sqs-all-actions"),
    description="SQS queue policies name their actions: no '*', 'sqs:*' or NotAction in an Allow statement.",
    validate=validate_sqs_all_actions,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "In the queue's policy (aws.sqs.QueuePolicy or the queue's policy input), replace '*' or 'sqs:*'"
        " with the actions each principal uses (sqs:SendMessage, sqs:ReceiveMessage, ...)."
    ),
)

# --- Lambda permissions ------------------------------------------------------------------------

_PERMISSION_NARROWING = ("sourceArn", "sourceAccount", "principalOrgId")
"""The inputs of ``lambda.Permission`` that narrow a ``*`` principal (AWS adds them as conditions)."""


def validate_lambda_public_permission(
    args: ResourceValidationArgs, report_violation: ReportViolation
) -> None:
    """A permission for principal ``*`` names a source ARN, source account or organization."""
    if args.resource_type != tokens.LAMBDA_PERMISSION:
        return
    principal = lookup(args.props, "principal")
    if principal != "*":
        return
    narrowing = [lookup(args.props, prop) for prop in _PERMISSION_NARROWING]
    if any(value is UNKNOWN or value for value in narrowing):
        return
    report_violation(
        message(
            args.name,
            args.resource_type,
            "lets any principal ('*') invoke the function, with no sourceArn, sourceAccount or"
            " principalOrgId.",
            "set principal to the calling service (e.g. 's3.amazonaws.com') or account, and sourceArn or"
            " sourceAccount to the resource that calls it.",
        ),
        None,
    )


lambda_public_permission = ResourceValidationPolicy(
    name="envstack-lambda-public-permission",
    **compliance.of("envstack-lambda-public-permission"),
    description="Lambda permissions do not let any principal invoke a function without a narrowing source.",
    validate=validate_lambda_public_permission,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "Give the aws.lambda.Permission a specific principal (a service principal or account ID) and set"
        " sourceArn or sourceAccount; for a function URL, use authorizationType AWS_IAM."
    ),
)

POLICIES: list[Policy] = [
    sqs_public_policy,
    sqs_all_actions,
    sns_public_policy,
    s3_public_policy,
    kms_public_policy,
    lambda_public_permission,
]
