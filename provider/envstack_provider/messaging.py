"""The ingest queue, its dead-letter queue and the notification topic.

Each of the three carries a resource policy that refuses requests made
without TLS (``transport``), as the bucket does. The topic's policy also lets
CloudWatch publish the stack's own alarms (``topic_policy``), the one grant
no IAM policy can make. A queue or topic policy is
a child of what it guards, so ``pulumi destroy`` removes it first.
"""

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from . import transport
from .settings import Settings

SNS_MANAGED_KEY = "alias/aws/sns"
"""The AWS-managed key that encrypts the topic at rest when no ``kmsKeyArn`` is given."""


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


def queue_tls_policy(queue_arn: str) -> str:
    """A queue's policy document: every SQS action is refused unless made over TLS."""
    return transport.deny_insecure_transport("sqs:*", [queue_arn])


def topic_tls_policy(topic_arn: str) -> str:
    """The topic's policy document: the topic's actions are refused unless made over TLS."""
    return transport.deny_insecure_transport(
        transport.TOPIC_ACTIONS, [topic_arn], policy_id="DenyInsecureTransport"
    )


def topic_policy(topic_arn: str, alarm_suffix: str | None = None) -> str:
    """The topic's policy: TLS only, and with ``alarm_suffix`` CloudWatch may publish this stack's alarms.

    CloudWatch publishes an alarm's notification as the service principal
    ``cloudwatch.amazonaws.com``, which no IAM policy of the account can
    grant: only the topic's own policy can. The grant is narrowed to this
    account and to alarms named as the component names them
    (``envstack-*-<suffix>``), as AWS advises against the confused deputy.
    """
    document = json.loads(topic_tls_policy(topic_arn))
    if alarm_suffix is not None:
        _, partition, _, region, account, _ = topic_arn.split(":", 5)
        alarms = f"arn:{partition}:cloudwatch:{region}:{account}:alarm:envstack-*-{alarm_suffix}"
        document["Statement"].append(
            {
                "Sid": "AllowStackAlarms",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": "SNS:Publish",
                "Resource": [topic_arn],
                "Condition": {
                    "ArnLike": {"aws:SourceArn": alarms},
                    "StringEquals": {"aws:SourceAccount": account},
                },
            }
        )
    return json.dumps(document, sort_keys=True)


def _require_tls(name: str, queue: aws.sqs.Queue) -> None:
    aws.sqs.QueuePolicy(
        f"{name}-policy",
        queue_url=queue.url,
        policy=queue.arn.apply(queue_tls_policy),
        opts=pulumi.ResourceOptions(parent=queue),
    )


def queue_encryption(settings: Settings) -> dict[str, Any]:
    """A queue's encryption inputs: the customer's key when given, else SQS-managed keys (SSE-SQS).

    SQS refuses both at once, so exactly one is set.
    """
    if settings.kms_key_arn is not None:
        return {"kms_master_key_id": settings.kms_key_arn}
    return {"sqs_managed_sse_enabled": True}


def create_messaging(name: str, settings: Settings, parent: pulumi.Resource) -> Messaging:
    """Create the encrypted, TLS-only queues with redrive in both directions, and the TLS-only topic."""
    opts = pulumi.ResourceOptions(parent=parent)
    dlq = aws.sqs.Queue(
        f"{name}-dlq",
        name=settings.names.dlq,
        message_retention_seconds=settings.message_retention_seconds,
        **queue_encryption(settings),
        tags=dict(settings.tags),
        opts=opts,
    )
    queue = aws.sqs.Queue(
        f"{name}-queue",
        name=settings.names.queue,
        message_retention_seconds=settings.message_retention_seconds,
        visibility_timeout_seconds=settings.visibility_timeout_seconds,
        **queue_encryption(settings),
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
    _require_tls(f"{name}-dlq", dlq)
    _require_tls(f"{name}-queue", queue)
    topic = aws.sns.Topic(
        f"{name}-topic",
        name=settings.names.topic,
        kms_master_key_id=settings.kms_key_arn if settings.kms_key_arn is not None else SNS_MANAGED_KEY,
        tags=dict(settings.tags),
        opts=opts,
    )
    aws.sns.TopicPolicy(
        f"{name}-topic-policy",
        arn=topic.arn,
        # The stack's alarms notify this topic unless they are off or sent elsewhere (alarmTopicArn).
        policy=topic.arn.apply(
            lambda arn: topic_policy(
                arn, settings.suffix if settings.alarms_enabled and settings.alarm_topic_arn is None else None
            )
        ),
        opts=pulumi.ResourceOptions(parent=topic),
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
