"""Checks of a deployed stack through the AWS APIs, against the component's real settings.

These are the integration tests of the original description, corrected: the
runtime is the component's default (python3.14, not the retired python3.9),
memory comes from the environment's profile, the queue's visibility timeout is
six times the function timeout, and the end-to-end test really waits for the
message to reach S3 and DynamoDB. The expected values are read from
``envstack_provider.settings``, so this suite and the component cannot drift.
"""

import json
import os
import time
import uuid
from typing import Any

import boto3
from botocore.exceptions import ClientError

from envstack_provider.handler.processor import object_key
from envstack_provider.messaging import SNS_MANAGED_KEY, queue_tls_policy, topic_policy
from envstack_provider.settings import VISIBILITY_TIMEOUT_FACTOR, Settings
from envstack_provider.table import TIMESTAMP_INDEX

E2E_TIMEOUT_SECONDS = float(os.environ.get("ENVSTACK_E2E_TIMEOUT", "120"))
EXPECTED_ENVIRONMENT_VARIABLES = {"BUCKET_NAME", "TABLE_NAME", "TOPIC_ARN", "QUEUE_URL", "ENVIRONMENT"}


def test_bucket_exists_with_versioning_enabled(
    session: boto3.session.Session, outputs: dict[str, str]
) -> None:
    s3 = session.client("s3")
    s3.head_bucket(Bucket=outputs["bucket_name"])
    assert s3.get_bucket_versioning(Bucket=outputs["bucket_name"]).get("Status") == "Enabled"


def test_bucket_is_encrypted_with_aes256(session: boto3.session.Session, outputs: dict[str, str]) -> None:
    rules = session.client("s3").get_bucket_encryption(Bucket=outputs["bucket_name"])[
        "ServerSideEncryptionConfiguration"
    ]["Rules"]
    assert [r["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] for r in rules] == ["AES256"]


def test_bucket_expires_noncurrent_versions_and_aborts_multipart_uploads(
    session: boto3.session.Session, outputs: dict[str, str], expected: Settings
) -> None:
    rules = session.client("s3").get_bucket_lifecycle_configuration(Bucket=outputs["bucket_name"])["Rules"]
    enabled = [r for r in rules if r["Status"] == "Enabled"]
    assert [r["NoncurrentVersionExpiration"]["NoncurrentDays"] for r in enabled] == [
        expected.noncurrent_version_expiration_days
    ]
    assert all(r["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] > 0 for r in enabled)


def test_bucket_blocks_public_access(session: boto3.session.Session, outputs: dict[str, str]) -> None:
    block = session.client("s3").get_public_access_block(Bucket=outputs["bucket_name"])
    assert block["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }


def test_table_is_active_with_the_timestamp_index(
    session: boto3.session.Session, outputs: dict[str, str]
) -> None:
    table = session.client("dynamodb").describe_table(TableName=outputs["table_name"])["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table.get("BillingModeSummary", {}).get("BillingMode") == "PAY_PER_REQUEST"
    indexes = {i["IndexName"]: i["KeySchema"] for i in table.get("GlobalSecondaryIndexes", [])}
    assert indexes == {TIMESTAMP_INDEX: [{"AttributeName": "timestamp", "KeyType": "HASH"}]}
    assert table.get("SSEDescription", {}).get("Status") == "ENABLED"
    assert not table.get("DeletionProtectionEnabled", False)


def test_table_has_point_in_time_recovery(session: boto3.session.Session, outputs: dict[str, str]) -> None:
    backups = session.client("dynamodb").describe_continuous_backups(TableName=outputs["table_name"])
    description = backups["ContinuousBackupsDescription"]
    assert description.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus") == "ENABLED"


def _function(session: boto3.session.Session, outputs: dict[str, str]) -> dict[str, Any]:
    return dict(session.client("lambda").get_function(FunctionName=outputs["function_name"])["Configuration"])


def test_function_runs_the_profiles_runtime_memory_and_timeout(
    session: boto3.session.Session, outputs: dict[str, str], expected: Settings
) -> None:
    config = _function(session, outputs)
    assert config["Runtime"] == expected.lambda_runtime
    assert config["MemorySize"] == expected.lambda_memory_mb
    assert config["Timeout"] == expected.lambda_timeout_seconds
    assert config["Handler"] == "processor.handler"


def test_function_environment_points_at_the_stacks_own_resources(
    session: boto3.session.Session, outputs: dict[str, str], expected: Settings
) -> None:
    variables = _function(session, outputs)["Environment"]["Variables"]
    assert set(variables) >= EXPECTED_ENVIRONMENT_VARIABLES
    assert variables["BUCKET_NAME"] == outputs["bucket_name"]
    assert variables["TABLE_NAME"] == outputs["table_name"]
    assert variables["TOPIC_ARN"] == outputs["topic_arn"]
    assert variables["QUEUE_URL"] == outputs["queue_url"]
    assert variables["ENVIRONMENT"] == expected.environment


def _queue_attributes(session: boto3.session.Session, url: str) -> dict[str, str]:
    attributes = session.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])[
        "Attributes"
    ]
    return {str(name): value for name, value in attributes.items()}


def test_queue_keeps_messages_for_the_retention_period(
    session: boto3.session.Session, outputs: dict[str, str], expected: Settings
) -> None:
    for url in (outputs["queue_url"], outputs["dlq_url"]):
        assert _queue_attributes(session, url)["MessageRetentionPeriod"] == str(
            expected.message_retention_seconds
        )


def test_queue_redrives_to_the_dlq_after_max_receive_count(
    session: boto3.session.Session, outputs: dict[str, str], expected: Settings
) -> None:
    attributes = _queue_attributes(session, outputs["queue_url"])
    assert json.loads(attributes["RedrivePolicy"]) == {
        "deadLetterTargetArn": outputs["dlq_arn"],
        "maxReceiveCount": expected.max_receive_count,
    }
    assert attributes["VisibilityTimeout"] == str(VISIBILITY_TIMEOUT_FACTOR * expected.lambda_timeout_seconds)
    assert attributes["SqsManagedSseEnabled"] == "true"


def test_topic_exists_encrypted_with_the_sns_managed_key(
    session: boto3.session.Session, outputs: dict[str, str]
) -> None:
    attributes = session.client("sns").get_topic_attributes(TopicArn=outputs["topic_arn"])["Attributes"]
    assert attributes["TopicArn"] == outputs["topic_arn"]
    assert attributes.get("KmsMasterKeyId") == SNS_MANAGED_KEY


def _poll(check: Any, timeout_seconds: float) -> Any:
    """Call ``check`` until it returns something, or fail after the timeout."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not processed within {timeout_seconds} s")
        time.sleep(1)


def test_end_to_end_a_message_reaches_s3_and_dynamodb(
    session: boto3.session.Session, outputs: dict[str, str], expected: Settings
) -> None:
    s3, dynamodb = session.client("s3"), session.client("dynamodb")
    body = json.dumps({"test": f"e2e-{uuid.uuid4()}", "timestamp": 1_234_567_890})
    message_id = session.client("sqs").send_message(QueueUrl=outputs["queue_url"], MessageBody=body)[
        "MessageId"
    ]

    def stored() -> bytes | None:
        try:
            return s3.get_object(Bucket=outputs["bucket_name"], Key=object_key(message_id))["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise

    def recorded() -> dict[str, Any] | None:
        item = dynamodb.get_item(
            TableName=outputs["table_name"], Key={"id": {"S": message_id}}, ConsistentRead=True
        ).get("Item")
        return dict(item) if item else None

    assert _poll(stored, E2E_TIMEOUT_SECONDS).decode() == body
    item = _poll(recorded, E2E_TIMEOUT_SECONDS)
    assert item["timestamp"] == {"N": "1234567890"}
    assert item["environment"] == {"S": expected.environment}
    assert item["objectKey"] == {"S": object_key(message_id)}


def test_queues_and_topic_refuse_requests_made_without_tls(
    session: boto3.session.Session, outputs: dict[str, str]
) -> None:
    for url, arn in ((outputs["queue_url"], outputs["queue_arn"]), (outputs["dlq_url"], outputs["dlq_arn"])):
        policy = session.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])
        assert json.loads(policy["Attributes"]["Policy"]) == json.loads(queue_tls_policy(arn)), url
    topic = session.client("sns").get_topic_attributes(TopicArn=outputs["topic_arn"])["Attributes"]
    assert json.loads(topic["Policy"]) == json.loads(
        topic_policy(outputs["topic_arn"], outputs["topic_arn"].rsplit("-", 1)[-1])
    )


def _suffix_of(topic_arn: str) -> str:
    """The stack's suffix, read from its topic's name (``envstack-events-<suffix>``)."""
    return topic_arn.rsplit(":", 1)[-1].removeprefix("envstack-events-")
