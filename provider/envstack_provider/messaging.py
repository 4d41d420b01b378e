"""The ingest queue, its dead-letter queue and the notification topic."""

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .settings import Settings

SNS_MANAGED_KEY = "alias/aws/sns"
"""The AWS-managed key that encrypts the topic at rest."""


@dataclass(frozen=True)
class Messaging:
    """The queues and the topic of one environment."""

    queue: aws.sqs.Queue
    dlq: aws.sqs.Queue
    topic: aws.sns.Topic


def redrive_policy(dlq_arn: str, max_receive_count: int) -> str:
    """The source queue's redrive policy: after N receives, move to the DLQ."""
    return json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})


def redrive_allow_policy(source_queue_arn: str) -> str:
    """The DLQ's redrive-allow policy: only our own queue may use it."""
    return json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": [source_queue_arn]})


def create_messaging(name: str, settings: Settings, parent: pulumi.Resource) -> Messaging:
    """Create the encrypted queues with redrive in both directions, and the topic."""
    opts = pulumi.ResourceOptions(parent=parent)
    dlq = aws.sqs.Queue(
        f"{name}-dlq",
        name=settings.names.dlq,
        message_retention_seconds=settings.message_retention_seconds,
        sqs_managed_sse_enabled=True,
        tags=dict(settings.tags),
        opts=opts,
    )
    queue = aws.sqs.Queue(
        f"{name}-queue",
        name=settings.names.queue,
        message_retention_seconds=settings.message_retention_seconds,
        visibility_timeout_seconds=settings.visibility_timeout_seconds,
        sqs_managed_sse_enabled=True,
        redrive_policy=dlq.arn.apply(lambda arn: redrive_policy(arn, settings.max_receive_count)),
        tags=dict(settings.tags),
        opts=opts,
    )
    aws.sqs.RedriveAllowPolicy(
        f"{name}-dlq-redrive-allow",
        queue_url=dlq.url,
        redrive_allow_policy=queue.arn.apply(redrive_allow_policy),
        opts=pulumi.ResourceOptions(parent=dlq),
    )
    topic = aws.sns.Topic(
        f"{name}-topic",
        name=settings.names.topic,
        kms_master_key_id=SNS_MANAGED_KEY,
        tags=dict(settings.tags),
        opts=opts,
    )
    if settings.notification_email is not None:
        aws.sns.TopicSubscription(
            f"{name}-topic-email",
            topic=topic.arn,
            protocol="email",
            endpoint=settings.notification_email,
            opts=pulumi.ResourceOptions(parent=topic),
        )
    return Messaging(queue=queue, dlq=dlq, topic=topic)
