"""Inputs that override the profile reach the right resources, under mocks."""

import json

from envstack_testkit.recording import record_environment_stack


def test_overrides_reach_every_resource_they_configure() -> None:
    recording = record_environment_stack(
        {
            "environment": "staging",
            "environment_suffix": "staging-eu",
            "lambda_memory_mb": 2048,
            "lambda_timeout_seconds": 60,
            "lambda_runtime": "python3.12",
            "noncurrent_version_expiration_days": 90,
            "message_retention_seconds": 86_400,
            "max_receive_count": 5,
            "log_retention_days": 14,
        }
    )
    function = recording.one("aws:lambda/function:Function").inputs
    assert (function["memorySize"], function["timeout"], function["runtime"]) == (2048, 60, "python3.12")
    assert function["environment"]["variables"]["ENVIRONMENT"] == "staging"
    queues = {q.inputs["name"]: q.inputs for q in recording.of_type("aws:sqs/queue:Queue")}
    source = queues["envstack-ingest-staging-eu"]
    assert source["visibilityTimeoutSeconds"] == 360
    assert json.loads(source["redrivePolicy"])["maxReceiveCount"] == 5
    assert {q["messageRetentionSeconds"] for q in queues.values()} == {86_400}
    lifecycle = recording.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs
    assert lifecycle["rules"][0]["noncurrentVersionExpiration"] == {"noncurrentDays": 90}
    assert recording.one("aws:cloudwatch/logGroup:LogGroup").inputs["retentionInDays"] == 14
    assert recording.outputs["bucket_name"] == "envstack-data-staging-eu"


def test_email_subscribes_the_address_to_the_topic() -> None:
    recording = record_environment_stack({"environment": "prod", "notification_email": "ops@example.com"})
    subscription = recording.one("aws:sns/topicSubscription:TopicSubscription")
    assert subscription.inputs["protocol"] == "email"
    assert subscription.inputs["endpoint"] == "ops@example.com"
    assert subscription.inputs["topic"] == recording.outputs["topic_arn"]
    assert subscription.parent == recording.one("aws:sns/topic:Topic").urn
