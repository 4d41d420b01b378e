"""The processing function, its log group and its SQS trigger.

The function's role and its policy come in ready-made (``iam.py``, wired by
``children.py``): this module creates what runs, never what grants.
"""

from pathlib import Path

import pulumi
import pulumi_aws as aws

from .messaging import Messaging
from .settings import Settings

HANDLER_FILE = Path(__file__).parent / "handler" / "processor.py"
"""The handler's source, shipped with the provider and zipped as the function's code."""

HANDLER = "processor.handler"
BATCH_SIZE = 10


def handler_archive() -> pulumi.AssetArchive:
    """The function's deployment package: the handler module alone."""
    return pulumi.AssetArchive({"processor.py": pulumi.FileAsset(str(HANDLER_FILE))})


def create_log_group(name: str, settings: Settings, parent: pulumi.Resource) -> aws.cloudwatch.LogGroup:
    """Create the function's log group with the environment's retention, under the customer's key if given."""
    return aws.cloudwatch.LogGroup(
        f"{name}-logs",
        name=settings.names.log_group,
        retention_in_days=settings.log_retention_days,
        kms_key_id=settings.kms_key_arn,
        tags=dict(settings.tags),
        opts=pulumi.ResourceOptions(parent=parent),
    )


def create_processing(
    name: str,
    settings: Settings,
    parent: pulumi.Resource,
    *,
    role: aws.iam.Role,
    policy: aws.iam.RolePolicy,
    log_group: aws.cloudwatch.LogGroup,
    bucket: aws.s3.Bucket,
    table: aws.dynamodb.Table,
    messaging: Messaging,
) -> aws.lambda_.Function:
    """Create the function, once its role's policy and its log group exist, and its trigger."""
    function = aws.lambda_.Function(
        f"{name}-function",
        name=settings.names.function,
        role=role.arn,
        runtime=settings.lambda_runtime,
        handler=HANDLER,
        code=handler_archive(),
        memory_size=settings.lambda_memory_mb,
        timeout=settings.lambda_timeout_seconds,
        environment=aws.lambda_.FunctionEnvironmentArgs(
            variables={
                "BUCKET_NAME": bucket.bucket,
                "TABLE_NAME": table.name,
                "TOPIC_ARN": messaging.topic.arn,
                "QUEUE_URL": messaging.queue.url,
                "ENVIRONMENT": settings.environment,
            }
        ),
        logging_config=aws.lambda_.FunctionLoggingConfigArgs(log_format="JSON", log_group=log_group.name),
        # With the customer's key, Lambda encrypts the environment variables with it instead of its own.
        kms_key_arn=settings.kms_key_arn,
        tags=dict(settings.tags),
        # The log group must exist first, or Lambda creates one of its own
        # that never expires and that ``pulumi destroy`` does not know about.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[log_group, policy]),
    )
    aws.lambda_.EventSourceMapping(
        f"{name}-trigger",
        event_source_arn=messaging.queue.arn,
        function_name=function.arn,
        batch_size=BATCH_SIZE,
        function_response_types=["ReportBatchItemFailures"],
        tags=dict(settings.tags),
        opts=pulumi.ResourceOptions(parent=function),
    )
    return function
