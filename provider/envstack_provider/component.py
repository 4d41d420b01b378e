"""``EnvironmentStack``: one environment's serverless data stack as one resource.

The class's annotated attributes are its outputs; Pulumi's analyzer reads them
and the docstring under each to infer the schema, which is why they are
declared at class level and why this module avoids
``from __future__ import annotations`` (it would turn them into strings).
"""

import pulumi

from .args import EnvironmentStackArgs
from .function import create_processing
from .iam import create_role
from .messaging import create_messaging
from .settings import resolve
from .storage import create_storage
from .table import create_table

TYPE_TOKEN = "envstack:index:EnvironmentStack"


class EnvironmentStack(pulumi.ComponentResource):
    """One environment's serverless data stack: an encrypted, versioned S3 bucket, a DynamoDB table with a timestamp index and point-in-time recovery, an SQS queue with a dead-letter queue feeding a Lambda function, an SNS topic, and a least-privilege IAM role. Every physical name carries the environment suffix, and every resource can be destroyed."""

    bucket_name: pulumi.Output[str]
    """Name of the S3 bucket that stores each message body."""
    bucket_arn: pulumi.Output[str]
    """ARN of the S3 bucket."""
    table_name: pulumi.Output[str]
    """Name of the DynamoDB table that records each message."""
    table_arn: pulumi.Output[str]
    """ARN of the DynamoDB table."""
    function_name: pulumi.Output[str]
    """Name of the Lambda function that processes the queue."""
    function_arn: pulumi.Output[str]
    """ARN of the Lambda function."""
    queue_url: pulumi.Output[str]
    """URL of the ingest SQS queue; producers send messages here."""
    queue_arn: pulumi.Output[str]
    """ARN of the ingest SQS queue."""
    dlq_url: pulumi.Output[str]
    """URL of the dead-letter queue that receives messages which failed too often."""
    dlq_arn: pulumi.Output[str]
    """ARN of the dead-letter queue."""
    topic_arn: pulumi.Output[str]
    """ARN of the SNS topic that announces each processed message."""
    role_arn: pulumi.Output[str]
    """ARN of the function's IAM role."""

    def __init__(
        self,
        name: str,
        args: EnvironmentStackArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        # Validate first: a bad input must fail before this component or any
        # child is registered, so nothing is left half-created.
        settings = resolve(args)
        super().__init__(TYPE_TOKEN, name, None, opts)

        storage = create_storage(name, settings, self)
        table = create_table(name, settings, self)
        messaging = create_messaging(name, settings, self)
        role = create_role(name, settings, self)
        processing = create_processing(
            name, settings, self, role=role, bucket=storage.bucket, table=table, messaging=messaging
        )

        self.bucket_name = storage.bucket.bucket
        self.bucket_arn = storage.bucket.arn
        self.table_name = table.name
        self.table_arn = table.arn
        self.function_name = processing.function.name
        self.function_arn = processing.function.arn
        self.queue_url = messaging.queue.url
        self.queue_arn = messaging.queue.arn
        self.dlq_url = messaging.dlq.url
        self.dlq_arn = messaging.dlq.arn
        self.topic_arn = messaging.topic.arn
        self.role_arn = role.arn
        self.register_outputs(
            {
                "bucket_name": self.bucket_name,
                "bucket_arn": self.bucket_arn,
                "table_name": self.table_name,
                "table_arn": self.table_arn,
                "function_name": self.function_name,
                "function_arn": self.function_arn,
                "queue_url": self.queue_url,
                "queue_arn": self.queue_arn,
                "dlq_url": self.dlq_url,
                "dlq_arn": self.dlq_arn,
                "topic_arn": self.topic_arn,
                "role_arn": self.role_arn,
            }
        )
