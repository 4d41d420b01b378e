"""envstack-sqs-dlq-alarm: a DLQ behind a function's queue is watched by a CloudWatch alarm (advisory)."""

import json
from typing import Any

from pulumi_policy import EnforcementLevel
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from envstack_policy import pack
from envstack_policy.policies.alarms import sqs_dlq_alarm, validate_dlq_alarm

from .conftest import StackResource, run_stack

QUEUE = "aws:sqs/queue:Queue"
ESM = "aws:lambda/eventSourceMapping:EventSourceMapping"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
REDRIVE_POLICY = "aws:sqs/redrivePolicy:RedrivePolicy"
DLQ_ARN = "arn:aws:sqs:us-east-1:1:ingest-dlq-dev"
REDRIVE = json.dumps({"deadLetterTargetArn": DLQ_ARN, "maxReceiveCount": 3})


def dlq(**props: Any) -> StackResource:
    return StackResource(QUEUE, "dlq", {"name": "ingest-dlq-dev", "arn": DLQ_ARN, **props})


def queue(**props: Any) -> StackResource:
    return StackResource(
        QUEUE,
        "ingest",
        {
            "name": "ingest-dev",
            "arn": "arn:aws:sqs:us-east-1:1:ingest-dev",
            "url": "https://q/ingest-dev",
            "redrivePolicy": REDRIVE,
            **props,
        },
    )


def trigger() -> StackResource:
    return StackResource(
        ESM, "trigger", {"eventSourceArn": "arn:aws:sqs:us-east-1:1:ingest-dev", "functionName": "fn-dev"}
    )


def alarm(queue_name: Any = "ingest-dlq-dev", **props: Any) -> StackResource:
    return StackResource(
        ALARM,
        "dlq-alarm",
        {
            "namespace": "AWS/SQS",
            "metricName": "ApproximateNumberOfMessagesVisible",
            "dimensions": {"QueueName": queue_name},
            **props,
        },
    )


def test_the_policy_is_advisory_and_in_the_pack() -> None:
    assert sqs_dlq_alarm.enforcement_level == EnforcementLevel.ADVISORY
    assert sqs_dlq_alarm in pack.POLICIES


def test_a_dlq_without_an_alarm_is_reported_naming_the_queue_and_function() -> None:
    [(message, urn)] = run_stack(validate_dlq_alarm, [dlq(), queue(), trigger()])
    assert message.startswith(
        "dlq (aws:sqs:Queue): is the dead-letter queue of 'ingest', which feeds function 'fn-dev',"
        " but no CloudWatch alarm watches it"
    )
    assert (
        "Fix: create an aws.cloudwatch.MetricAlarm on AWS/SQS ApproximateNumberOfMessagesVisible" in message
    )
    assert urn == "urn:dlq"


def test_an_alarm_on_the_dlq_satisfies_it() -> None:
    assert run_stack(validate_dlq_alarm, [dlq(), queue(), trigger(), alarm()]) == []


def test_an_alarm_in_a_metric_query_satisfies_it() -> None:
    query = {
        "id": "m1",
        "metric": {
            "namespace": "AWS/SQS",
            "metricName": "ApproximateNumberOfMessagesVisible",
            "dimensions": {"QueueName": "ingest-dlq-dev"},
        },
    }
    math = StackResource(ALARM, "math", {"metricQueries": [query, {"id": "e1", "expression": "m1"}]})
    assert run_stack(validate_dlq_alarm, [dlq(), queue(), trigger(), math]) == []


def test_an_alarm_on_another_queue_or_namespace_does_not() -> None:
    others = [alarm("ingest-dev"), alarm(namespace="AWS/Lambda")]
    found = run_stack(validate_dlq_alarm, [dlq(), queue(), trigger(), *others])
    assert [urn for _, urn in found] == ["urn:dlq"]


def test_a_queue_that_feeds_no_function_is_left_alone() -> None:
    assert run_stack(validate_dlq_alarm, [dlq(), queue()]) == []


def test_in_a_preview_the_dlq_and_the_alarms_queue_are_known_by_dependency() -> None:
    unknown_queue = queue(redrivePolicy=UNKNOWN_STRING_VALUE)
    unknown_queue.depends = {"redrivePolicy": ["dlq"]}
    reported = run_stack(validate_dlq_alarm, [dlq(arn=UNKNOWN_STRING_VALUE), unknown_queue, trigger()])
    assert [urn for _, urn in reported] == ["urn:dlq"]
    watching = alarm(UNKNOWN_STRING_VALUE)
    watching.depends = {"dimensions": ["dlq"]}
    resources = [dlq(arn=UNKNOWN_STRING_VALUE), unknown_queue, trigger(), watching]
    assert run_stack(validate_dlq_alarm, resources) == []


def test_what_cannot_be_told_yet_is_not_reported() -> None:
    # An unknown redrive policy without a dependency, a DLQ outside the stack, an alarm on an unknown queue.
    unknown = queue(redrivePolicy=UNKNOWN_STRING_VALUE)
    elsewhere = queue(redrivePolicy=json.dumps({"deadLetterTargetArn": "arn:aws:sqs:us-east-1:2:other"}))
    assert run_stack(validate_dlq_alarm, [dlq(), unknown, trigger()]) == []
    assert run_stack(validate_dlq_alarm, [dlq(), elsewhere, trigger()]) == []
    assert run_stack(validate_dlq_alarm, [dlq(), queue(), trigger(), alarm(UNKNOWN_STRING_VALUE)]) == []


def test_a_queue_without_a_dlq_is_the_dead_letter_policys_concern() -> None:
    assert run_stack(validate_dlq_alarm, [queue(redrivePolicy=None), trigger()]) == []


def test_a_separate_redrive_policy_resource_names_the_dlq() -> None:
    redrive = StackResource(
        REDRIVE_POLICY, "redrive", {"queueUrl": "https://q/ingest-dev", "redrivePolicy": REDRIVE}
    )
    found = run_stack(validate_dlq_alarm, [dlq(), queue(redrivePolicy=None), redrive, trigger()])
    assert [urn for _, urn in found] == ["urn:dlq"]
    unresolved = StackResource(
        REDRIVE_POLICY, "redrive", {"queueUrl": UNKNOWN_STRING_VALUE, "redrivePolicy": REDRIVE}
    )
    assert run_stack(validate_dlq_alarm, [dlq(), queue(redrivePolicy=None), unresolved, trigger()]) == []


def test_a_redrive_policy_resource_whose_document_is_unknown_is_not_judged() -> None:
    redrive = StackResource(
        REDRIVE_POLICY, "redrive", {"queueUrl": "https://q/ingest-dev", "redrivePolicy": UNKNOWN_STRING_VALUE}
    )
    assert run_stack(validate_dlq_alarm, [dlq(), queue(redrivePolicy=None), redrive, trigger()]) == []


def test_an_sqs_alarm_without_a_queue_dimension_watches_no_queue() -> None:
    account_wide = StackResource(ALARM, "all", {"namespace": "AWS/SQS", "metricName": "NumberOfMessagesSent"})
    found = run_stack(validate_dlq_alarm, [dlq(), queue(), trigger(), account_wide])
    assert [urn for _, urn in found] == ["urn:dlq"]
