"""The processing function, its log group and its SQS trigger."""

from dataclasses import dataclass
from pathlib import Path

import pulumi
import pulumi_aws as aws

from .iam import attach_policy
from .messaging import Messaging
from .settings import Settings

HANDLER_FILE = Path(__file__).parent / "handler" / "processor.py"
"""The handler's source, shipped with the provider and zipped as the function's code."""

HANDLER = "processor.handler"
BATCH_SIZE = 10


@dataclass(frozen=True)
class Processing:
    """The function and what feeds and records it."""

    function: aws.lambda_.Function
    log_group: aws.cloudwatch.LogGroup
    event_source_mapping: aws.lambda_.EventSourceMapping


def handler_archive() -> pulumi.AssetArchive:
    """The function's deployment package: the handler module alone."""
    return pulumi.AssetArchive({"processor.py": pulumi.FileAsset(str(HANDLER_FILE))})


def create_processing(
    name: str,
    settings: Settings,
    parent: pulumi.Resource,
    *,
    role: aws.iam.Role,
    bucket: aws.s3.Bucket,
    table: aws.dynamodb.Table,
    messaging: Messaging,
) -> Processing:
    """Create the log group, the least-privilege policy, the function and its trigger."""
    opts = pulumi.ResourceOptions(parent=parent)
    log_group = aws.cloudwatch.LogGroup(
        f"{name}-logs",
        name=settings.names.log_group,
        retention_in_days=settings.log_retention_days,
        tags=dict(settings.tags),
        opts=opts,
    )
    policy = attach_policy(
        name,
        settings,
        role,
        bucket_arn=bucket.arn,
        table_arn=table.arn,
        topic_arn=messaging.topic.arn,
        queue_arn=messaging.queue.arn,
        log_group_arn=log_group.arn,
    )
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
        tags=dict(settings.tags),
        # The log group must exist first, or Lambda creates one of its own
        # that never expires and that ``pulumi destroy`` does not know about.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[log_group, policy]),
    )
    mapping = aws.lambda_.EventSourceMapping(
        f"{name}-trigger",
        event_source_arn=messaging.queue.arn,
        function_name=function.arn,
        batch_size=BATCH_SIZE,
        function_response_types=["ReportBatchItemFailures"],
        tags=dict(settings.tags),
        opts=pulumi.ResourceOptions(parent=function),
    )
    return Processing(function=function, log_group=log_group, event_source_mapping=mapping)
