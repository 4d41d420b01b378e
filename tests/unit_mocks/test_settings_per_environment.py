"""Every setting the issue lists, checked for dev, staging and prod under mocks."""

import json
from typing import Any

from envstack_provider.component import OUTPUT_NAMES, TYPE_TOKEN
from envstack_testkit.recording import Recording

BUCKET = "aws:s3/bucket:Bucket"
TABLE = "aws:dynamodb/table:Table"
QUEUE = "aws:sqs/queue:Queue"
FUNCTION = "aws:lambda/function:Function"

EXPECTED_MEMORY = {"dev": 512, "staging": 512, "prod": 1024}
EXPECTED_LOG_RETENTION = {"dev": 7, "staging": 30, "prod": 90}


def _bucket_child(recording: Recording, type_token: str) -> dict[str, Any]:
    registration = recording.one(type_token)
    assert registration.parent == recording.one(BUCKET).urn, f"{type_token} is not a child of the bucket"
    return dict(registration.inputs)


def _queues(recording: Recording) -> tuple[dict[str, Any], dict[str, Any]]:
    queues = {r.inputs["name"]: dict(r.inputs) for r in recording.of_type(QUEUE)}
    source = next(q for name, q in queues.items() if "-dlq-" not in name)
    dlq = next(q for name, q in queues.items() if "-dlq-" in name)
    return source, dlq


def test_every_resource_is_a_child_of_the_component(recording: Recording) -> None:
    component = recording.one(TYPE_TOKEN)
    urns = {r.urn for r in recording.registrations}
    for registration in recording.custom():
        assert registration.parent in urns, registration.name
    direct = {r.type for r in recording.custom() if r.parent == component.urn}
    assert {BUCKET, TABLE, QUEUE, FUNCTION, "aws:sns/topic:Topic", "aws:iam/role:Role"} <= direct


def test_nothing_is_protected_or_retained_on_delete(recording: Recording) -> None:
    for registration in recording.registrations:
        assert not registration.protect, registration.name
        assert not registration.retain_on_delete, registration.name


def test_bucket_is_versioned_encrypted_and_destroyable(recording: Recording, environment: str) -> None:
    bucket = recording.one(BUCKET).inputs
    assert bucket["bucket"] == f"envstack-data-{environment}"
    assert bucket["forceDestroy"] is True
    versioning = _bucket_child(recording, "aws:s3/bucketVersioning:BucketVersioning")
    assert versioning["versioningConfiguration"] == {"status": "Enabled"}
    sse = _bucket_child(
        recording,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    )
    assert sse["rules"][0]["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}


def test_bucket_lifecycle_expires_noncurrent_versions_and_aborts_uploads(recording: Recording) -> None:
    lifecycle = _bucket_child(recording, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    (rule,) = lifecycle["rules"]
    assert rule["status"] == "Enabled"
    assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": 30}
    assert rule["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": 7}


def test_bucket_blocks_public_access_and_insecure_transport(recording: Recording) -> None:
    block = _bucket_child(recording, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    for flag in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"):
        assert block[flag] is True, flag
    ownership = _bucket_child(recording, "aws:s3/bucketOwnershipControls:BucketOwnershipControls")
    assert ownership["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    policy = json.loads(_bucket_child(recording, "aws:s3/bucketPolicy:BucketPolicy")["policy"])
    (statement,) = policy["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    arn = recording.outputs["bucket_arn"]
    assert statement["Resource"] == [arn, f"{arn}/*"]


def test_table_has_index_pitr_encryption_and_no_deletion_protection(
    recording: Recording, environment: str
) -> None:
    table = recording.one(TABLE).inputs
    assert table["name"] == f"envstack-metadata-{environment}"
    assert table["billingMode"] == "PAY_PER_REQUEST"
    assert table["hashKey"] == "id"
    assert {(a["name"], a["type"]) for a in table["attributes"]} == {("id", "S"), ("timestamp", "N")}
    (index,) = table["globalSecondaryIndexes"]
    assert index["name"] == "timestamp-index"
    assert index["keySchemas"] == [{"attributeName": "timestamp", "keyType": "HASH"}]
    assert table["pointInTimeRecovery"] == {"enabled": True}
    assert table["serverSideEncryption"] == {"enabled": True}
    assert table["deletionProtectionEnabled"] is False


def test_queues_are_encrypted_retained_and_redriven(recording: Recording, environment: str) -> None:
    source, dlq = _queues(recording)
    assert source["name"] == f"envstack-ingest-{environment}"
    assert dlq["name"] == f"envstack-ingest-dlq-{environment}"
    for queue in (source, dlq):
        assert queue["sqsManagedSseEnabled"] is True
        assert queue["messageRetentionSeconds"] == 1_209_600
    assert json.loads(source["redrivePolicy"]) == {
        "deadLetterTargetArn": recording.outputs["dlq_arn"],
        "maxReceiveCount": 3,
    }
    allow = recording.one("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy").inputs
    assert allow["queueUrl"] == recording.outputs["dlq_url"]
    assert json.loads(allow["redriveAllowPolicy"]) == {
        "redrivePermission": "byQueue",
        "sourceQueueArns": [recording.outputs["queue_arn"]],
    }


def test_visibility_timeout_is_six_times_the_function_timeout(recording: Recording) -> None:
    source, _ = _queues(recording)
    function = recording.one(FUNCTION).inputs
    assert function["timeout"] == 300
    assert source["visibilityTimeoutSeconds"] == 6 * function["timeout"]


def test_topic_uses_the_aws_managed_key_and_has_no_subscription_by_default(
    recording: Recording, environment: str
) -> None:
    topic = recording.one("aws:sns/topic:Topic").inputs
    assert topic["name"] == f"envstack-events-{environment}"
    assert topic["kmsMasterKeyId"] == "alias/aws/sns"
    assert recording.of_type("aws:sns/topicSubscription:TopicSubscription") == []


def test_function_has_the_profile_memory_runtime_and_environment(
    recording: Recording, environment: str
) -> None:
    function = recording.one(FUNCTION).inputs
    assert function["name"] == f"envstack-processor-{environment}"
    assert function["memorySize"] == EXPECTED_MEMORY[environment]
    assert function["runtime"] == "python3.14"
    assert function["handler"] == "processor.handler"
    assert function["role"] == recording.outputs["role_arn"]
    assert function["environment"]["variables"] == {
        "BUCKET_NAME": recording.outputs["bucket_name"],
        "TABLE_NAME": recording.outputs["table_name"],
        "TOPIC_ARN": recording.outputs["topic_arn"],
        "QUEUE_URL": recording.outputs["queue_url"],
        "ENVIRONMENT": environment,
    }


def test_function_ships_the_handler_source(recording: Recording) -> None:
    code = recording.one(FUNCTION).inputs["code"]
    assets = code.assets
    assert list(assets) == ["processor.py"]
    with open(assets["processor.py"].path, encoding="utf-8") as source:
        assert "def handler(" in source.read()


def test_log_group_has_the_profile_retention(recording: Recording, environment: str) -> None:
    logs = recording.one("aws:cloudwatch/logGroup:LogGroup").inputs
    assert logs["name"] == f"/aws/lambda/envstack-processor-{environment}"
    assert logs["retentionInDays"] == EXPECTED_LOG_RETENTION[environment]
    function = recording.one(FUNCTION)
    assert function.inputs["loggingConfig"]["logGroup"] == logs["name"]
    assert recording.one("aws:cloudwatch/logGroup:LogGroup").urn in function.dependencies


def test_queue_triggers_the_function_with_partial_batch_failures(recording: Recording) -> None:
    mapping = recording.one("aws:lambda/eventSourceMapping:EventSourceMapping").inputs
    assert mapping["eventSourceArn"] == recording.outputs["queue_arn"]
    assert mapping["functionName"] == recording.outputs["function_arn"]
    assert mapping["batchSize"] == 10
    assert mapping["functionResponseTypes"] == ["ReportBatchItemFailures"]


def test_role_trusts_only_lambda(recording: Recording, environment: str) -> None:
    role = recording.one("aws:iam/role:Role").inputs
    assert role["name"] == f"envstack-processor-role-{environment}"
    trust = json.loads(role["assumeRolePolicy"])
    assert trust["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ]


def test_every_output_resolves_and_carries_the_suffix(recording: Recording, environment: str) -> None:
    assert set(recording.outputs) == set(OUTPUT_NAMES)
    for name, value in recording.outputs.items():
        assert isinstance(value, str), name
        assert environment in value, name
