"""CloudWatch's part in an alarm going off, on moto: the metric SQS would send, then the alarm's evaluation.

moto (5.2) keeps metric alarms, metric data and statistics, and answers
``SetAlarmState``; it neither emits SQS's per-minute metrics nor evaluates an
alarm when data arrives (``PutMetricData`` only stores it). So the two
missing steps are played here and nothing else: ``publish_queue_depth`` puts
the dead-letter queue's depth, read from moto's SQS, as the
``AWS/SQS ApproximateNumberOfMessagesVisible`` datum SQS would send, and
``evaluate`` reads the alarm as the engine deployed it (its metric,
dimensions, statistic, period, threshold and comparison, all from
``DescribeAlarms``), asks moto's ``GetMetricStatistics`` for that statistic
over that period and sets the state the comparison gives through
``SetAlarmState``, as CloudWatch does at the end of each period.
"""

import datetime
import json
import operator
from collections.abc import Callable, Mapping
from typing import Any

from envstack_testkit.moto_server import MotoEndpoint

COMPARISONS: Mapping[str, Callable[[float, float], bool]] = {
    "GreaterThanOrEqualToThreshold": operator.ge,
    "GreaterThanThreshold": operator.gt,
    "LessThanThreshold": operator.lt,
    "LessThanOrEqualToThreshold": operator.le,
}


def publish_queue_depth(endpoint: MotoEndpoint, queue_url: str) -> int:
    """Put the queue's visible messages as SQS's metric datum; return the depth."""
    attributes = endpoint.client("sqs").get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    depth = int(attributes["ApproximateNumberOfMessages"])
    endpoint.client("cloudwatch").put_metric_data(
        Namespace="AWS/SQS",
        MetricData=[
            {
                "MetricName": "ApproximateNumberOfMessagesVisible",
                "Dimensions": [{"Name": "QueueName", "Value": queue_url.rsplit("/", 1)[-1]}],
                "Value": float(depth),
                "Unit": "Count",
            }
        ],
    )
    return depth


def evaluate(endpoint: MotoEndpoint, alarm_name: str) -> dict[str, Any]:
    """Evaluate the alarm over its last period from moto's statistics, set its state; return the alarm."""
    cloudwatch = endpoint.client("cloudwatch")
    [alarm] = cloudwatch.describe_alarms(AlarmNames=[alarm_name])["MetricAlarms"]
    now = datetime.datetime.now(datetime.UTC)
    points = cloudwatch.get_metric_statistics(
        Namespace=alarm["Namespace"],
        MetricName=alarm["MetricName"],
        Dimensions=alarm["Dimensions"],
        StartTime=now - datetime.timedelta(seconds=int(alarm["Period"])),
        EndTime=now + datetime.timedelta(seconds=1),
        Period=int(alarm["Period"]),
        Statistics=[alarm["Statistic"]],
    )["Datapoints"]
    values = [float(point[alarm["Statistic"]]) for point in points]
    breaching = any(COMPARISONS[alarm["ComparisonOperator"]](v, float(alarm["Threshold"])) for v in values)
    if not values and alarm.get("TreatMissingData") != "notBreaching":
        state = "INSUFFICIENT_DATA"
    else:
        state = "ALARM" if breaching else "OK"
    cloudwatch.set_alarm_state(
        AlarmName=alarm_name,
        StateValue=state,
        StateReason=f"{alarm['Statistic']} of {values} against threshold {alarm['Threshold']}",
        StateReasonData=json.dumps({"values": values}),
    )
    [evaluated] = cloudwatch.describe_alarms(AlarmNames=[alarm_name])["MetricAlarms"]
    return dict(evaluated)
