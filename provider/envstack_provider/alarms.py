"""The CloudWatch alarms that tell people when the stack is failing.

AWS's serverless guidance asks for an alarm on each way this stack fails
quietly: messages that exhausted their retries wait in the dead-letter queue,
the function errors or is throttled, and messages wait in the ingest queue
longer than one run of the function takes. Each alarm notifies a topic (the
stack's own unless the user passes one) both when it goes off and when it
recovers, so nobody has to watch a console.

``ALARMS`` describes each alarm as data, so a test (and the policy pack's
advisory check) can name what the component watches without building it.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .messaging import Messaging
from .settings import Settings

SHORT_PERIOD_SECONDS = 60
"""SQS sends its metrics every minute: the queues' alarms look at one minute."""
FUNCTION_PERIOD_SECONDS = 300
"""Errors and throttles are counted over five minutes, as the thresholds' descriptions say."""


@dataclass(frozen=True)
class AlarmSpec:
    """One alarm: what it watches, how, and which setting holds its threshold."""

    key: str
    """The alarm's logical name suffix and its ``PhysicalNames`` field (``<key>_alarm``)."""
    namespace: str
    metric_name: str
    dimension: str
    """``QueueName`` or ``FunctionName``: which of the stack's resources the metric belongs to."""
    statistic: str
    period: int
    threshold_setting: str
    description: str


ALARMS: tuple[AlarmSpec, ...] = (
    AlarmSpec(
        key="dlq",
        namespace="AWS/SQS",
        metric_name="ApproximateNumberOfMessagesVisible",
        dimension="QueueName",
        statistic="Maximum",
        period=SHORT_PERIOD_SECONDS,
        threshold_setting="dlq_alarm_threshold",
        description="Messages wait in the dead-letter queue: each failed every retry and needs a person.",
    ),
    AlarmSpec(
        key="errors",
        namespace="AWS/Lambda",
        metric_name="Errors",
        dimension="FunctionName",
        statistic="Sum",
        period=FUNCTION_PERIOD_SECONDS,
        threshold_setting="function_errors_alarm_threshold",
        description="The processing function is failing.",
    ),
    AlarmSpec(
        key="throttles",
        namespace="AWS/Lambda",
        metric_name="Throttles",
        dimension="FunctionName",
        statistic="Sum",
        period=FUNCTION_PERIOD_SECONDS,
        threshold_setting="function_throttles_alarm_threshold",
        description="The processing function is throttled: its or the account's concurrency limit is hit.",
    ),
    AlarmSpec(
        key="queue_age",
        namespace="AWS/SQS",
        metric_name="ApproximateAgeOfOldestMessage",
        dimension="QueueName",
        statistic="Maximum",
        period=SHORT_PERIOD_SECONDS,
        threshold_setting="queue_age_alarm_seconds",
        description="The ingest queue's oldest message has waited longer than the function's timeout.",
    ),
)
"""Every alarm one environment gets while ``alarms_enabled`` is true."""


def create_alarms(
    name: str,
    settings: Settings,
    parent: pulumi.Resource,
    *,
    messaging: Messaging,
    function: aws.lambda_.Function,
) -> dict[str, aws.cloudwatch.MetricAlarm]:
    """Create the alarms (none when ``alarms_enabled`` is false), each notifying the alarm topic."""
    if not settings.alarms_enabled:
        return {}
    topic = settings.alarm_topic_arn if settings.alarm_topic_arn is not None else messaging.topic.arn
    dimensions: Mapping[str, pulumi.Input[str]] = {
        "dlq": messaging.dlq.name,
        "queue_age": messaging.queue.name,
        "errors": function.name,
        "throttles": function.name,
    }
    alarms = {}
    for spec in ALARMS:
        alarms[spec.key] = aws.cloudwatch.MetricAlarm(
            f"{name}-{spec.key.replace('_', '-')}-alarm",
            name=getattr(settings.names, f"{spec.key}_alarm"),
            alarm_description=spec.description,
            namespace=spec.namespace,
            metric_name=spec.metric_name,
            dimensions={spec.dimension: dimensions[spec.key]},
            statistic=spec.statistic,
            period=spec.period,
            evaluation_periods=1,
            threshold=float(getattr(settings, spec.threshold_setting)),
            comparison_operator="GreaterThanOrEqualToThreshold",
            # No data is a healthy stack at rest (no messages, no invocations), not a failure.
            treat_missing_data="notBreaching",
            alarm_actions=[topic],
            ok_actions=[topic],
            tags=dict(settings.tags),
            opts=pulumi.ResourceOptions(parent=parent),
        )
    return alarms
