"""envstack-tls-only-access: every queue and topic refuses requests made without TLS (cdk-nag SQS4, SNS3)."""

import json
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from envstack_policy.policies.tls_only import validate_tls_only_access

from .conftest import StackResource, run_stack

QUEUE = "aws:sqs/queue:Queue"
QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy"
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/ingest-dev"
QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:ingest-dev"
TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:events-dev"


def deny(service: str, arn: str, **changes: Any) -> dict[str, Any]:
    """The TLS-only statement, with ``changes`` over it."""
    statement = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": f"{service}:*",
        "Resource": arn,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    return {**statement, **changes}


def document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def queue(**props: Any) -> StackResource:
    return StackResource(QUEUE, "ingest", {"name": "ingest-dev", "url": QUEUE_URL, "arn": QUEUE_ARN, **props})


def topic(**props: Any) -> StackResource:
    return StackResource(TOPIC, "events", {"name": "events-dev", "arn": TOPIC_ARN, **props})


def queue_policy(policy: Any, queue_url: Any = QUEUE_URL, **depends: list[str]) -> StackResource:
    return StackResource(QUEUE_POLICY, "ingest-policy", {"queueUrl": queue_url, "policy": policy}, depends)


def topic_policy(policy: Any, arn: Any = TOPIC_ARN, **depends: list[str]) -> StackResource:
    return StackResource(TOPIC_POLICY, "events-policy", {"arn": arn, "policy": policy}, depends)


@pytest.mark.parametrize(
    "statement",
    [
        deny("sqs", QUEUE_ARN),
        deny("sqs", QUEUE_ARN, Action="*"),
        deny("sqs", QUEUE_ARN, Action=["sqs:SendMessage", "SQS:*"]),
        deny("sqs", QUEUE_ARN, Principal={"AWS": "*"}),
        deny("sqs", QUEUE_ARN, Condition={"Bool": {"aws:SecureTransport": False}}),
    ],
)
def test_a_queue_policy_denying_every_action_without_tls_passes(statement: dict[str, Any]) -> None:
    assert run_stack(validate_tls_only_access, [queue(), queue_policy(document(statement))]) == []


def test_a_topic_policy_denying_every_action_without_tls_passes() -> None:
    assert (
        run_stack(validate_tls_only_access, [topic(), topic_policy(document(deny("sns", TOPIC_ARN)))]) == []
    )


def test_the_queue_or_topic_policy_input_counts_as_well() -> None:
    guarded = [queue(policy=document(deny("sqs", QUEUE_ARN))), topic(policy=document(deny("sns", TOPIC_ARN)))]
    assert run_stack(validate_tls_only_access, guarded) == []


def test_a_policy_linked_by_the_engine_dependency_counts_while_its_target_is_unknown() -> None:
    preview = StackResource(QUEUE, "ingest", {"name": "ingest-dev", "url": UNKNOWN_STRING_VALUE})
    policy = queue_policy(document(deny("sqs", QUEUE_ARN)), UNKNOWN_STRING_VALUE, queueUrl=["ingest"])
    assert run_stack(validate_tls_only_access, [preview, policy]) == []


def test_a_queue_and_a_topic_without_any_policy_are_each_reported_with_the_fix() -> None:
    found = run_stack(validate_tls_only_access, [queue(), topic()])
    assert [urn for _, urn in found] == ["urn:ingest", "urn:events"]
    [(queue_message, _), (topic_message, _)] = found
    assert queue_message.startswith(
        "ingest (aws:sqs:Queue): has no queue policy that denies requests made without TLS."
    )
    assert "aws.sqs.QueuePolicy" in queue_message and "Action='sqs:*'" in queue_message
    assert topic_message.startswith(
        "events (aws:sns:Topic): has no topic policy that denies requests made without TLS."
    )
    assert "aws.sns.TopicPolicy" in topic_message and "Action='sns:Publish'" in topic_message
    assert "aws:SecureTransport='false'" in topic_message


@pytest.mark.parametrize(
    "statement",
    [
        deny("sqs", QUEUE_ARN, Effect="Allow"),
        deny("sqs", QUEUE_ARN, Principal={"AWS": "arn:aws:iam::123456789012:root"}),
        deny("sqs", QUEUE_ARN, Action="sqs:SendMessage"),
        deny("sqs", QUEUE_ARN, Action="sns:*"),
        deny("sqs", QUEUE_ARN, Condition={"Bool": {"aws:SecureTransport": "true"}}),
        deny("sqs", QUEUE_ARN, Condition={"StringEquals": {"aws:SourceAccount": "123456789012"}}),
    ],
)
def test_a_queue_policy_that_does_not_deny_every_action_without_tls_is_reported(
    statement: dict[str, Any],
) -> None:
    [(message, urn)] = run_stack(validate_tls_only_access, [queue(), queue_policy(document(statement))])
    assert message.startswith("ingest (aws:sqs:Queue): has no queue policy")
    assert urn == "urn:ingest"


@pytest.mark.parametrize(
    "action", ["sns:Publish", "SNS:publish", ["SNS:Subscribe", "SNS:Publish"], "sns:Pub*"]
)
def test_a_topic_policy_denying_publishing_without_tls_passes(action: Any) -> None:
    # A topic policy names SNS's actions one by one, as SNS's own default policy does.
    denied = document(deny("sns", TOPIC_ARN, Action=action))
    assert run_stack(validate_tls_only_access, [topic(), topic_policy(denied)]) == []


def test_a_topic_policy_that_leaves_publishing_over_plain_http_is_reported() -> None:
    subscribe_only = document(deny("sns", TOPIC_ARN, Action=["sns:Subscribe", "sns:GetTopicAttributes"]))
    [(message, _)] = run_stack(validate_tls_only_access, [topic(), topic_policy(subscribe_only)])
    assert message.startswith("events (aws:sns:Topic): has no topic policy")


def test_a_policy_for_another_queue_does_not_count() -> None:
    other = queue_policy(document(deny("sqs", QUEUE_ARN)), "https://sqs.us-east-1.amazonaws.com/1/other-dev")
    [(_, urn)] = run_stack(validate_tls_only_access, [queue(), other])
    assert urn == "urn:ingest"


def test_policies_not_known_yet_are_not_reported() -> None:
    unknown_document = queue_policy(UNKNOWN_STRING_VALUE)
    assert run_stack(validate_tls_only_access, [queue(), unknown_document]) == []
    unlinked = topic_policy(document(), UNKNOWN_STRING_VALUE)
    assert run_stack(validate_tls_only_access, [topic(), unlinked]) == []
    unreadable = queue_policy("not json")
    found = run_stack(validate_tls_only_access, [queue(), unreadable])
    assert [urn for _, urn in found] == ["urn:ingest-policy", "urn:ingest"]
    assert found[0][0].startswith("ingest-policy (aws:sqs:QueuePolicy): policy cannot be judged: the")
