"""Create the component's recorded resources on moto, with the component's own settings.

The data-path tests must run against the queue, DLQ, bucket, table and topic
the component really declares, not against a second hand-written copy of its
settings. So this module takes a ``Recording`` (the component run under
Pulumi's mocks) and turns each recorded registration's inputs into the boto3
calls a deployment would make. A test that wants a deliberately wrong stack
changes the recorded inputs first (``recording.replace_inputs``), which keeps
the deviation next to the test that needs it.

Two things differ from a real deployment, on purpose and visibly:

* ``visibility_timeout_seconds`` may shorten the queue's visibility timeout,
  for a test that wants redelivery it can watch (the data path's runs keep the
  component's own and shorten only the wait after a failure: see
  ``event_source_mapping.py``); retention and ``maxReceiveCount`` always come
  from the recording;
* the event source mapping is not created on moto (moto would try to run the
  function in Docker on every send). ``event_source_mapping.py`` plays its
  part, with the recorded batch size and response types.
"""

import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from envstack_provider.function import HANDLER_FILE

from .moto_server import MotoEndpoint
from .recording import Recording, Registration

if TYPE_CHECKING:
    from mypy_boto3_s3.type_defs import ServerSideEncryptionByDefaultTypeDef, ServerSideEncryptionRuleTypeDef

QUEUE = "aws:sqs/queue:Queue"
ESM = "aws:lambda/eventSourceMapping:EventSourceMapping"


@dataclass(frozen=True)
class QueueSettings:
    """The source queue's delivery settings that the data path depends on."""

    max_receive_count: int
    message_retention_seconds: int
    visibility_timeout_seconds: int
    """The visibility timeout the queue on moto actually got."""
    component_visibility_timeout_seconds: int
    """The visibility timeout the component declares (6x the function timeout)."""
    batch_size: int
    report_batch_item_failures: bool
    function_timeout_seconds: int
    """The function's timeout, which the stand-in mapping enforces as Lambda does."""


@dataclass(frozen=True)
class MotoStack:
    """One environment's stack as created on moto."""

    outputs: Mapping[str, str]
    """The component's outputs by name, with moto's real names, URLs and ARNs."""
    queue: QueueSettings
    function_environment: Mapping[str, str]
    """The function's environment variables, pointing at the resources on moto."""


def source_queue(recording: Recording) -> Registration:
    """The queue that has a redrive policy, as opposed to the DLQ."""
    return next(q for q in recording.of_type(QUEUE) if "redrivePolicy" in q.inputs)


def dead_letter_queue(recording: Recording) -> Registration:
    """The queue without a redrive policy: the DLQ."""
    return next(q for q in recording.of_type(QUEUE) if "redrivePolicy" not in q.inputs)


def queue_settings(recording: Recording, visibility_timeout_seconds: int | None = None) -> QueueSettings:
    """Read the delivery settings from the recorded queue and event source mapping."""
    queue = source_queue(recording).inputs
    esm = recording.one(ESM).inputs
    declared = int(queue["visibilityTimeoutSeconds"])
    return QueueSettings(
        max_receive_count=int(json.loads(queue["redrivePolicy"])["maxReceiveCount"]),
        message_retention_seconds=int(queue["messageRetentionSeconds"]),
        visibility_timeout_seconds=visibility_timeout_seconds or declared,
        component_visibility_timeout_seconds=declared,
        batch_size=int(esm["batchSize"]),
        report_batch_item_failures="ReportBatchItemFailures" in esm.get("functionResponseTypes", []),
        function_timeout_seconds=int(recording.one("aws:lambda/function:Function").inputs["timeout"]),
    )


def handler_zip() -> bytes:
    """The function's deployment package, as ``function.handler_archive`` declares it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(HANDLER_FILE, "processor.py")
    return buffer.getvalue()


def _bucket(endpoint: MotoEndpoint, recording: Recording) -> tuple[str, str]:
    s3 = endpoint.client("s3")
    name = str(recording.one("aws:s3/bucket:Bucket").inputs["bucket"])
    s3.create_bucket(Bucket=name)
    versioning = recording.one("aws:s3/bucketVersioning:BucketVersioning").inputs
    s3.put_bucket_versioning(
        Bucket=name,
        VersioningConfiguration={"Status": versioning["versioningConfiguration"]["status"]},
    )
    encryption = recording.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs
    rules: list[ServerSideEncryptionRuleTypeDef] = []
    for rule in encryption["rules"]:
        default: ServerSideEncryptionByDefaultTypeDef = {
            "SSEAlgorithm": rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"]
        }
        if "kmsMasterKeyId" in rule["applyServerSideEncryptionByDefault"]:
            default["KMSMasterKeyID"] = rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"]
        rules.append(
            {
                "ApplyServerSideEncryptionByDefault": default,
                "BucketKeyEnabled": bool(rule["bucketKeyEnabled"]),
            }
        )
    s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
    lifecycle = recording.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs
    s3.put_bucket_lifecycle_configuration(
        Bucket=name,
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": rule["id"],
                    "Status": rule["status"],
                    "Filter": {"Prefix": rule["filter"]["prefix"]},
                    "NoncurrentVersionExpiration": {
                        "NoncurrentDays": rule["noncurrentVersionExpiration"]["noncurrentDays"]
                    },
                    "AbortIncompleteMultipartUpload": {
                        "DaysAfterInitiation": rule["abortIncompleteMultipartUpload"]["daysAfterInitiation"]
                    },
                }
                for rule in lifecycle["rules"]
            ]
        },
    )
    block = recording.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": bool(block["blockPublicAcls"]),
            "IgnorePublicAcls": bool(block["ignorePublicAcls"]),
            "BlockPublicPolicy": bool(block["blockPublicPolicy"]),
            "RestrictPublicBuckets": bool(block["restrictPublicBuckets"]),
        },
    )
    return name, f"arn:aws:s3:::{name}"


def _table(endpoint: MotoEndpoint, recording: Recording) -> tuple[str, str]:
    dynamodb = endpoint.client("dynamodb")
    table = recording.one("aws:dynamodb/table:Table").inputs
    name = str(table["name"])
    created = dynamodb.create_table(
        TableName=name,
        BillingMode=table["billingMode"],
        KeySchema=[{"AttributeName": table["hashKey"], "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": attribute["name"], "AttributeType": attribute["type"]}
            for attribute in table["attributes"]
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": index["name"],
                "KeySchema": [
                    {"AttributeName": key["attributeName"], "KeyType": key["keyType"]}
                    for key in index["keySchemas"]
                ],
                "Projection": {"ProjectionType": index["projectionType"]},
            }
            for index in table.get("globalSecondaryIndexes", [])
        ],
        SSESpecification={"Enabled": bool(table["serverSideEncryption"]["enabled"])},
        DeletionProtectionEnabled=bool(table["deletionProtectionEnabled"]),
    )
    dynamodb.update_continuous_backups(
        TableName=name,
        PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": bool(table["pointInTimeRecovery"]["enabled"])
        },
    )
    return name, created["TableDescription"]["TableArn"]


def _queues(
    endpoint: MotoEndpoint, recording: Recording, visibility_timeout_seconds: int | None
) -> dict[str, str]:
    sqs = endpoint.client("sqs")
    dlq_inputs = dead_letter_queue(recording).inputs
    queue_inputs = source_queue(recording).inputs
    dlq_url = sqs.create_queue(
        QueueName=str(dlq_inputs["name"]),
        Attributes={
            "MessageRetentionPeriod": str(dlq_inputs["messageRetentionSeconds"]),
            "SqsManagedSseEnabled": str(bool(dlq_inputs["sqsManagedSseEnabled"])).lower(),
        },
    )["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    redrive = json.loads(queue_inputs["redrivePolicy"])
    visibility = visibility_timeout_seconds or int(queue_inputs["visibilityTimeoutSeconds"])
    queue_url = sqs.create_queue(
        QueueName=str(queue_inputs["name"]),
        Attributes={
            "MessageRetentionPeriod": str(queue_inputs["messageRetentionSeconds"]),
            "VisibilityTimeout": str(visibility),
            "SqsManagedSseEnabled": str(bool(queue_inputs["sqsManagedSseEnabled"])).lower(),
            # The recorded ARN names the DLQ under the mocks' account; point
            # it at the DLQ moto created, keeping the recorded receive count.
            "RedrivePolicy": json.dumps({**redrive, "deadLetterTargetArn": dlq_arn}),
        },
    )["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    allow = json.loads(
        recording.one("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy").inputs["redriveAllowPolicy"]
    )
    sqs.set_queue_attributes(
        QueueUrl=dlq_url,
        Attributes={"RedriveAllowPolicy": json.dumps({**allow, "sourceQueueArns": [queue_arn]})},
    )
    return {"queue_url": queue_url, "queue_arn": queue_arn, "dlq_url": dlq_url, "dlq_arn": dlq_arn}


def _topic(endpoint: MotoEndpoint, recording: Recording) -> str:
    topic = recording.one("aws:sns/topic:Topic").inputs
    return endpoint.client("sns").create_topic(
        Name=str(topic["name"]), Attributes={"KmsMasterKeyId": str(topic["kmsMasterKeyId"])}
    )["TopicArn"]


def _function(endpoint: MotoEndpoint, recording: Recording, environment: Mapping[str, str]) -> dict[str, str]:
    role = recording.one("aws:iam/role:Role").inputs
    iam = endpoint.client("iam")  # no IAM type stubs are installed: typed Any
    role_arn = str(
        iam.create_role(RoleName=role["name"], AssumeRolePolicyDocument=role["assumeRolePolicy"])["Role"][
            "Arn"
        ]
    )
    policy = recording.one("aws:iam/rolePolicy:RolePolicy").inputs
    iam.put_role_policy(RoleName=role["name"], PolicyName=policy["name"], PolicyDocument=policy["policy"])
    log_group = recording.one("aws:cloudwatch/logGroup:LogGroup").inputs
    logs = endpoint.client("logs")
    logs.create_log_group(logGroupName=str(log_group["name"]))
    logs.put_retention_policy(
        logGroupName=str(log_group["name"]), retentionInDays=int(log_group["retentionInDays"])
    )
    function = recording.one("aws:lambda/function:Function").inputs
    created = endpoint.client("lambda").create_function(
        FunctionName=str(function["name"]),
        Runtime=function["runtime"],
        Role=role_arn,
        Handler=str(function["handler"]),
        Code={"ZipFile": handler_zip()},
        MemorySize=int(function["memorySize"]),
        Timeout=int(function["timeout"]),
        Environment={"Variables": dict(environment)},
        Tags=dict(function.get("tags", {})),
    )
    return {
        "function_name": created["FunctionName"],
        "function_arn": created["FunctionArn"],
        "role_arn": role_arn,
    }


def deploy(
    endpoint: MotoEndpoint,
    recording: Recording,
    *,
    visibility_timeout_seconds: int | None = None,
    with_function: bool = True,
) -> MotoStack:
    """Create the recorded stack on moto and return its outputs and delivery settings."""
    bucket_name, bucket_arn = _bucket(endpoint, recording)
    table_name, table_arn = _table(endpoint, recording)
    queues = _queues(endpoint, recording, visibility_timeout_seconds)
    topic_arn = _topic(endpoint, recording)
    recorded_environment = recording.one("aws:lambda/function:Function").inputs["environment"]["variables"]
    environment = {
        **recorded_environment,
        "BUCKET_NAME": bucket_name,
        "TABLE_NAME": table_name,
        "TOPIC_ARN": topic_arn,
        "QUEUE_URL": queues["queue_url"],
    }
    outputs = {
        "bucket_name": bucket_name,
        "bucket_arn": bucket_arn,
        "table_name": table_name,
        "table_arn": table_arn,
        "topic_arn": topic_arn,
        **queues,
    }
    if with_function:
        outputs.update(_function(endpoint, recording, environment))
    return MotoStack(
        outputs=outputs,
        queue=queue_settings(recording, visibility_timeout_seconds),
        function_environment=environment,
    )


def subscribe_probe_queue(endpoint: MotoEndpoint, topic_arn: str, name: str) -> str:
    """An SQS queue subscribed to the topic with raw delivery, to count announcements.

    It belongs to the tests, not the stack: it is how a test observes what
    the topic published.
    """
    sqs = endpoint.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    endpoint.client("sns").subscribe(
        TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"}
    )
    return url
