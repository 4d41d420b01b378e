"""Both queues and the topic refuse requests made without TLS, as the bucket does, and the child count."""

import json
from types import SimpleNamespace
from typing import Any, cast

import pytest

from envstack_provider import transport
from envstack_testkit.aws_standin.resources import default_topic_policy
from envstack_testkit.children import CHILDREN, CHILDREN_WITH_EMAIL
from envstack_testkit.recording import Recording, record_environment_stack

QUEUE = "aws:sqs/queue:Queue"
QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy"
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"


def _deny_without_tls(actions: str | list[str], arn: str, **extra: str) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        **extra,
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": actions,
                "Resource": [arn],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }


TOPIC_ACTIONS = sorted(
    json.loads(default_topic_policy("arn:aws:sns:us-east-1:1:t", "1"))["Statement"][0]["Action"]
)
"""The actions of the default policy SNS writes for a topic (the stand-in's model of it), which the
TLS-only Deny names one by one."""


def test_the_topic_actions_are_the_ones_sns_writes_into_a_default_policy() -> None:
    """The component's list, the stand-in's model of SNS's default topic policy and moto's agree.

    moto (pinned, maintained against AWS) is the referee: a topic it creates carries SNS's default
    policy, and the stand-in puts that policy back when a TopicPolicy is deleted.
    """
    from moto.sns.models import Topic

    owner = SimpleNamespace(account_id="123456789012")  # the one attribute moto's method reads
    moto_policy = Topic._create_default_topic_policy(cast(Any, owner), "us-east-1", "123456789012", "t")
    standin = json.loads(default_topic_policy("arn:aws:sns:us-east-1:123456789012:t", "123456789012"))
    assert moto_policy == standin
    assert list(transport.TOPIC_ACTIONS) == TOPIC_ACTIONS == sorted(moto_policy["Statement"][0]["Action"])


def test_each_queue_has_a_tls_only_policy_as_its_child(recording: Recording) -> None:
    queues = {r.urn: r for r in recording.of_type(QUEUE)}
    policies = recording.of_type(QUEUE_POLICY)
    assert sorted(p.parent for p in policies) == sorted(queues), "one policy per queue, parented to it"
    for policy in policies:
        queue = queues[policy.parent]
        assert policy.inputs["queueUrl"] == queue.state["url"]
        assert json.loads(policy.inputs["policy"]) == _deny_without_tls("sqs:*", queue.state["arn"])
        assert not policy.protect and not policy.retain_on_delete
    names = {p.name for p in policies}
    assert names == {
        f"{recording.one(TOPIC).name.removesuffix('-topic')}-{kind}-policy" for kind in ("queue", "dlq")
    }


def _alarms_may_publish(topic_arn: str, suffix: str) -> dict[str, object]:
    return {
        "Sid": "AllowStackAlarms",
        "Effect": "Allow",
        "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": "SNS:Publish",
        "Resource": [topic_arn],
        "Condition": {
            "ArnLike": {
                "aws:SourceArn": f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:envstack-*-{suffix}"
            },
            "StringEquals": {"aws:SourceAccount": "123456789012"},
        },
    }


def test_the_topic_has_a_tls_only_policy_as_its_child_that_lets_the_stacks_alarms_publish(
    recording: Recording, environment: str
) -> None:
    topic = recording.one(TOPIC)
    policy = recording.one(TOPIC_POLICY)
    assert policy.parent == topic.urn
    topic_arn = recording.outputs["topic_arn"]
    assert policy.inputs["arn"] == topic_arn
    expected = _deny_without_tls(TOPIC_ACTIONS, topic_arn, Id="DenyInsecureTransport")
    expected["Statement"] = [*expected["Statement"], _alarms_may_publish(topic_arn, environment)]  # type: ignore[misc]
    assert json.loads(policy.inputs["policy"]) == expected
    assert not policy.protect and not policy.retain_on_delete


@pytest.mark.parametrize(
    "inputs",
    [
        {"environment": "prod", "alarms_enabled": False},
        {"environment": "prod", "alarm_topic_arn": "arn:aws:sns:us-east-1:123456789012:pager"},
    ],
)
def test_the_topic_stays_tls_only_when_no_alarm_notifies_it(inputs: dict[str, object]) -> None:
    recording = record_environment_stack(inputs)
    policy = recording.one(TOPIC_POLICY)
    topic_arn = recording.outputs["topic_arn"]
    expected = _deny_without_tls(TOPIC_ACTIONS, topic_arn, Id="DenyInsecureTransport")
    assert json.loads(policy.inputs["policy"]) == expected


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ({"environment": "dev"}, CHILDREN),
        ({"environment": "dev", "notification_email": "ops@example.com"}, CHILDREN_WITH_EMAIL),
    ],
)
def test_the_child_count_the_engine_suites_check_is_what_the_component_registers(
    inputs: dict[str, str], expected: int
) -> None:
    assert len(record_environment_stack(inputs).custom()) == expected
