"""``EnvironmentStack``: one environment's serverless data stack as one resource.

The class's annotated attributes are its outputs; Pulumi's analyzer reads them
and the docstring under each to infer the schema, which is why they are
declared at class level and why this module avoids
``from __future__ import annotations`` (it would turn them into strings).
"""

import inspect

import pulumi
from pulumi.provider.experimental.util import camel_case

from .args import EnvironmentStackArgs
from .settings import resolve

TYPE_TOKEN = "envstack:index:EnvironmentStack"
"""The component's type token: the schema's resource name and every SDK's."""


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

        # Imported here so that serving the schema never loads pulumi-aws.
        from .children import create_children  # noqa: PLC0415

        outputs = create_children(name, settings, self)
        for key, value in outputs.items():
            setattr(self, key, value)
        # The state keeps what is registered here, so it takes the schema's names (bucketName),
        # the names every SDK and `pulumi stack export` readers see, not the Python attributes'.
        self.register_outputs({camel_case(key): value for key, value in outputs.items()})


OUTPUT_NAMES: tuple[str, ...] = tuple(inspect.get_annotations(EnvironmentStack))
"""The component's outputs by their Python names, in the order the schema documents them: its annotations."""
