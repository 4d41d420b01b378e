"""The alarms and the customer's KMS key reach the resources they configure, under mocks."""

from typing import Any

import pytest

from envstack_provider.settings import InvalidInputError
from envstack_testkit.children import ALARMS, CHILDREN
from envstack_testkit.recording import Recording, record_environment_stack

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TOPIC = "arn:aws:sns:us-east-1:123456789012:platform-alerts"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


def _alarms(recording: Recording) -> dict[str, Any]:
    return {r.inputs["name"]: r.inputs for r in recording.of_type(ALARM)}


def test_each_environment_gets_four_alarms_that_notify_the_stacks_topic(recording: Recording) -> None:
    alarms = _alarms(recording)
    assert len(alarms) == ALARMS
    topic = recording.outputs["topic_arn"]
    for name, alarm in alarms.items():
        assert alarm["alarmActions"] == [topic] and alarm["okActions"] == [topic], name
        assert alarm["comparisonOperator"] == "GreaterThanOrEqualToThreshold", name
        assert alarm["treatMissingData"] == "notBreaching", name


def test_the_alarms_watch_the_stacks_own_queues_and_function(recording: Recording, environment: str) -> None:
    alarms = _alarms(recording)
    watched = {
        name: (a["namespace"], a["metricName"], a["dimensions"], a["threshold"]) for name, a in alarms.items()
    }
    function = f"envstack-processor-{environment}"
    errors = 5.0 if environment == "dev" else 1.0
    assert watched == {
        f"envstack-dlq-messages-{environment}": (
            "AWS/SQS",
            "ApproximateNumberOfMessagesVisible",
            {"QueueName": f"envstack-ingest-dlq-{environment}"},
            1.0,
        ),
        f"envstack-processor-errors-{environment}": (
            "AWS/Lambda",
            "Errors",
            {"FunctionName": function},
            errors,
        ),
        f"envstack-processor-throttles-{environment}": (
            "AWS/Lambda",
            "Throttles",
            {"FunctionName": function},
            errors,
        ),
        f"envstack-ingest-age-{environment}": (
            "AWS/SQS",
            "ApproximateAgeOfOldestMessage",
            {"QueueName": f"envstack-ingest-{environment}"},
            300.0,
        ),
    }


def test_thresholds_and_the_topic_are_tunable() -> None:
    recording = record_environment_stack(
        {
            "environment": "prod",
            "alarm_topic_arn": TOPIC,
            "dlq_alarm_threshold": 10,
            "function_errors_alarm_threshold": 20,
            "function_throttles_alarm_threshold": 30,
            "queue_age_alarm_seconds": 900,
        }
    )
    alarms = _alarms(recording)
    assert {name: a["threshold"] for name, a in alarms.items()} == {
        "envstack-dlq-messages-prod": 10.0,
        "envstack-processor-errors-prod": 20.0,
        "envstack-processor-throttles-prod": 30.0,
        "envstack-ingest-age-prod": 900.0,
    }
    assert {tuple(a["alarmActions"]) for a in alarms.values()} == {(TOPIC,)}


def test_the_age_threshold_follows_the_timeout_but_never_below_a_minute() -> None:
    slow = _alarms(record_environment_stack({"environment": "dev", "lambda_timeout_seconds": 600}))
    quick = _alarms(record_environment_stack({"environment": "dev", "lambda_timeout_seconds": 10}))
    assert slow["envstack-ingest-age-dev"]["threshold"] == 600.0
    assert quick["envstack-ingest-age-dev"]["threshold"] == 60.0


def test_alarms_can_be_switched_off() -> None:
    recording = record_environment_stack({"environment": "prod", "alarms_enabled": False})
    assert recording.of_type(ALARM) == []
    assert len(recording.custom()) == CHILDREN - ALARMS


@pytest.mark.parametrize(
    ("args", "field", "rule"),
    [
        ({"alarms_enabled": "yes"}, "alarms_enabled", "must be true or false"),
        (
            {"alarms_enabled": False, "dlq_alarm_threshold": 2},
            "dlq_alarm_threshold",
            "alarms_enabled is false",
        ),
        ({"alarm_topic_arn": "alerts"}, "alarm_topic_arn", "must be an SNS topic ARN"),
        ({"queue_age_alarm_seconds": 59}, "queue_age_alarm_seconds", "must be from 60 to 1209600"),
        ({"function_errors_alarm_threshold": 0}, "function_errors_alarm_threshold", "from 1 to 100000"),
    ],
)
def test_bad_alarm_inputs_fail_naming_the_input(args: dict[str, object], field: str, rule: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        record_environment_stack({"environment": "dev", **args})
    assert raised.value.field == field
    assert rule in str(raised.value)


def test_the_customer_key_reaches_every_resource_that_holds_data() -> None:
    recording = record_environment_stack({"environment": "prod", "kms_key_arn": KEY})
    encryption = recording.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs
    by_default = encryption["rules"][0]["applyServerSideEncryptionByDefault"]
    assert (by_default["sseAlgorithm"], by_default["kmsMasterKeyId"]) == ("aws:kms", KEY)
    assert recording.one("aws:dynamodb/table:Table").inputs["serverSideEncryption"]["kmsKeyArn"] == KEY
    for queue in recording.of_type("aws:sqs/queue:Queue"):
        assert queue.inputs["kmsMasterKeyId"] == KEY, queue.name
        assert "sqsManagedSseEnabled" not in queue.inputs, "SQS refuses SSE-SQS and a KMS key together"
    assert recording.one("aws:sns/topic:Topic").inputs["kmsMasterKeyId"] == KEY
    assert recording.one("aws:cloudwatch/logGroup:LogGroup").inputs["kmsKeyId"] == KEY
    assert recording.one("aws:lambda/function:Function").inputs["kmsKeyArn"] == KEY


def test_without_a_key_each_resource_keeps_its_aws_managed_encryption() -> None:
    recording = record_environment_stack({"environment": "prod"})
    for queue in recording.of_type("aws:sqs/queue:Queue"):
        assert queue.inputs["sqsManagedSseEnabled"] is True and "kmsMasterKeyId" not in queue.inputs
    assert recording.one("aws:sns/topic:Topic").inputs["kmsMasterKeyId"] == "alias/aws/sns"
    assert "kmsKeyId" not in recording.one("aws:cloudwatch/logGroup:LogGroup").inputs
    assert "kmsKeyArn" not in recording.one("aws:lambda/function:Function").inputs
