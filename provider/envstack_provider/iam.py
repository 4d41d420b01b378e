"""The processing function's role and its least-privilege inline policy.

``policy_document`` is a pure function of the stack's own ARNs so the exact
document can be pinned in tests: every action is named (no wildcards) and
every resource is one of this stack's resources. The handler's needs define
the list; an action added here without a use in ``handler/processor.py`` is a
privilege nobody asked for.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from .settings import Settings

LAMBDA_TRUST_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    },
    sort_keys=True,
)
"""Only the Lambda service may assume the function's role."""


@dataclass(frozen=True)
class PolicyArns:
    """The ARNs the function's policy grants access to."""

    bucket_arn: str
    table_arn: str
    topic_arn: str
    queue_arn: str
    log_group_arn: str
    kms_key_arn: str | None = None


def _statement(sid: str, actions: Sequence[str], resources: Sequence[str]) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": list(actions), "Resource": list(resources)}


def policy_document(arns: PolicyArns) -> dict[str, Any]:
    """The function's permissions, one statement per resource it touches."""
    statements = [
        _statement("StoreMessageBodies", ["s3:PutObject"], [f"{arns.bucket_arn}/*"]),
        _statement(
            "RecordMessages",
            ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
            [arns.table_arn],
        ),
        _statement("AnnounceMessages", ["sns:Publish"], [arns.topic_arn]),
        _statement(
            "ConsumeQueue",
            [
                "sqs:ChangeMessageVisibility",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:ReceiveMessage",
            ],
            [arns.queue_arn],
        ),
        _statement(
            "WriteLogs",
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            [f"{arns.log_group_arn}:*"],
        ),
    ]
    if arns.kms_key_arn:
        statements.append(
            _statement("UseDataKey", ["kms:Decrypt", "kms:GenerateDataKey"], [arns.kms_key_arn])
        )
    return {"Version": "2012-10-17", "Statement": statements}


def create_role(name: str, settings: Settings, parent: pulumi.Resource) -> aws.iam.Role:
    """Create the function's role; its policy is attached once the ARNs exist."""
    return aws.iam.Role(
        f"{name}-role",
        name=settings.names.role,
        assume_role_policy=LAMBDA_TRUST_POLICY,
        tags=dict(settings.tags),
        opts=pulumi.ResourceOptions(parent=parent),
    )


def attach_policy(
    name: str,
    settings: Settings,
    role: aws.iam.Role,
    *,
    bucket_arn: pulumi.Output[str],
    table_arn: pulumi.Output[str],
    topic_arn: pulumi.Output[str],
    queue_arn: pulumi.Output[str],
    log_group_arn: pulumi.Output[str],
) -> aws.iam.RolePolicy:
    """Attach the inline least-privilege policy to the role."""
    document = pulumi.Output.all(
        bucket_arn=bucket_arn,
        table_arn=table_arn,
        topic_arn=topic_arn,
        queue_arn=queue_arn,
        log_group_arn=log_group_arn,
        kms_key_arn=settings.kms_key_arn,
    ).apply(lambda arns: json.dumps(policy_document(PolicyArns(**arns)), sort_keys=True))
    return aws.iam.RolePolicy(
        f"{name}-role-policy",
        name=settings.names.role_policy,
        role=role.id,
        policy=document,
        opts=pulumi.ResourceOptions(parent=role),
    )
