"""Construct with non-default inputs: they cross the wire and reach the resources."""

import json

from envstack_provider.component import TYPE_TOKEN
from envstack_testkit.provider_harness import ProviderProcess, construct


def test_custom_suffix_names_every_resource_and_output(provider: ProviderProcess) -> None:
    outcome = construct(
        provider,
        TYPE_TOKEN,
        "envstack",
        {"environment": "staging", "environmentSuffix": "pr-42"},
        stack="pr-42",
    )
    assert outcome.one("aws:s3/bucket:Bucket").inputs["bucket"] == "envstack-data-pr-42"
    assert outcome.state["functionName"] == "envstack-processor-pr-42"
    assert outcome.state["queueUrl"].endswith("/envstack-ingest-pr-42")
    # The profile still follows the environment, not the suffix.
    assert outcome.one("aws:lambda/function:Function").inputs["memorySize"] == 512
    assert outcome.one("aws:cloudwatch/logGroup:LogGroup").inputs["retentionInDays"] == 30


def test_numbers_sent_as_doubles_arrive_as_whole_numbers(provider: ProviderProcess) -> None:
    outcome = construct(
        provider,
        TYPE_TOKEN,
        "envstack",
        {"environment": "dev", "lambdaMemoryMb": 2048, "lambdaTimeoutSeconds": 60, "maxReceiveCount": 5},
    )
    function = outcome.one("aws:lambda/function:Function").inputs
    assert (function["memorySize"], function["timeout"]) == (2048, 60)
    queue = next(q for q in outcome.of_type("aws:sqs/queue:Queue") if q.name == "envstack-queue")
    assert queue.inputs["visibilityTimeoutSeconds"] == 360
    assert json.loads(queue.inputs["redrivePolicy"]) == {
        "deadLetterTargetArn": outcome.state["dlqArn"],
        "maxReceiveCount": 5,
    }


def test_notification_email_subscribes_it_to_the_topic(provider: ProviderProcess) -> None:
    outcome = construct(
        provider, TYPE_TOKEN, "envstack", {"environment": "prod", "notificationEmail": "team@example.com"}
    )
    subscription = outcome.one("aws:sns/topicSubscription:TopicSubscription")
    topic = outcome.one("aws:sns/topic:Topic")
    assert subscription.parent == topic.urn
    assert subscription.inputs == {
        "protocol": "email",
        "endpoint": "team@example.com",
        "topic": outcome.state["topicArn"],
    }


def test_custom_tags_are_merged_over_the_defaults(provider: ProviderProcess) -> None:
    outcome = construct(
        provider, TYPE_TOKEN, "envstack", {"environment": "dev", "tags": {"Team": "data", "ManagedBy": "me"}}
    )
    assert outcome.one("aws:dynamodb/table:Table").inputs["tags"] == {
        "Environment": "dev",
        "ManagedBy": "me",
        "Team": "data",
    }


def test_protecting_the_component_protects_every_child(provider: ProviderProcess) -> None:
    outcome = construct(provider, TYPE_TOKEN, "envstack", {"environment": "prod"}, stack="prod", protect=True)
    assert len(outcome.registrations) > 1
    assert [r.name for r in outcome.registrations if not r.protect] == []


def test_children_are_unprotected_by_default(provider: ProviderProcess) -> None:
    outcome = construct(provider, TYPE_TOKEN, "envstack", {"environment": "prod"}, stack="prod")
    assert [r.name for r in outcome.registrations if r.protect] == []
    assert [r.name for r in outcome.registrations if r.retain_on_delete] == []


def test_component_name_prefixes_every_logical_name_but_not_the_physical_ones(
    provider: ProviderProcess,
) -> None:
    outcome = construct(provider, TYPE_TOKEN, "blue", {"environment": "dev", "environmentSuffix": "blue"})
    assert outcome.urn.endswith("::blue")
    assert [
        r.name for r in outcome.registrations if r.name != "blue" and not r.name.startswith("blue-")
    ] == []
    assert outcome.one("aws:s3/bucket:Bucket").name == "blue-bucket"
    assert outcome.one("aws:s3/bucket:Bucket").inputs["bucket"] == "envstack-data-blue"
