"""Lambda handler: store each SQS message in S3 and DynamoDB, then announce it on SNS.

The event source mapping delivers at least once, so every step is idempotent:

* the S3 object is keyed by the SQS message id and written with
  ``If-None-Match: *``, so a second delivery cannot overwrite or duplicate it;
* the DynamoDB item is written with ``attribute_not_exists(id)``;
* the item's ``announced`` flag is set only after SNS accepted the
  announcement, so a retry after an SNS failure announces once more, and a
  retry after success does not.

A record that fails is reported in ``batchItemFailures`` so that only it is
retried; after the queue's ``maxReceiveCount`` receives it moves to the DLQ.
This module uses only the standard library and boto3, which the Lambda
Python runtime provides.
"""

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sns import SNSClient

LOG = logging.getLogger("envstack.processor")
LOG.setLevel(logging.INFO)

OBJECT_PREFIX = "messages/"


class PoisonMessageError(ValueError):
    """A message that can never succeed: it is not a JSON object of the expected shape."""


@dataclass(frozen=True)
class Targets:
    """Where the handler writes, read from the function's environment."""

    bucket: str
    table: str
    topic_arn: str
    environment: str

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> "Targets":
        """Read the targets the component set as environment variables."""
        return cls(
            bucket=environ["BUCKET_NAME"],
            table=environ["TABLE_NAME"],
            topic_arn=environ["TOPIC_ARN"],
            environment=environ["ENVIRONMENT"],
        )


@dataclass(frozen=True)
class Clients:
    """The AWS clients the handler uses; built once per execution environment and reused.

    Tests pass clients of their own (pointed at moto, or carrying injected
    faults); on Lambda ``create`` builds them from the runtime's credentials.
    """

    s3: "S3Client"
    dynamodb: "DynamoDBClient"
    sns: "SNSClient"

    @classmethod
    def create(cls, session: boto3.session.Session | None = None) -> "Clients":
        """Build the three clients from ``session`` (default: the environment's)."""
        session = session or boto3.session.Session()
        return cls(s3=session.client("s3"), dynamodb=session.client("dynamodb"), sns=session.client("sns"))


def object_key(message_id: str) -> str:
    """The S3 key of a message: its id, so a redelivery maps to the same object."""
    return f"{OBJECT_PREFIX}{message_id}.json"


def parse_body(body: str) -> dict[str, Any]:
    """Return the message as a JSON object, or raise ``PoisonMessageError``."""
    try:
        message = json.loads(body)
    except (TypeError, ValueError) as error:
        raise PoisonMessageError(f"body is not JSON: {error}") from error
    if not isinstance(message, dict):
        raise PoisonMessageError(f"body is a JSON {type(message).__name__}, not an object")
    if "timestamp" in message and (
        isinstance(message["timestamp"], bool) or not isinstance(message["timestamp"], (int, float))
    ):
        raise PoisonMessageError("field 'timestamp' must be a number")
    return message


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def store_object(clients: Clients, targets: Targets, key: str, body: str) -> bool:
    """Write the body unless an object already has this key; return whether it wrote."""
    try:
        clients.s3.put_object(
            Bucket=targets.bucket,
            Key=key,
            Body=body.encode(),
            ContentType="application/json",
            IfNoneMatch="*",
        )
    except ClientError as error:
        if _error_code(error) in ("PreconditionFailed", "412"):
            return False
        raise
    return True


def record_item(clients: Clients, targets: Targets, message_id: str, timestamp: int, key: str) -> bool:
    """Write the item once; return whether it still needs to be announced."""
    try:
        clients.dynamodb.put_item(
            TableName=targets.table,
            Item={
                "id": {"S": message_id},
                "timestamp": {"N": str(timestamp)},
                "environment": {"S": targets.environment},
                "objectKey": {"S": key},
                "announced": {"BOOL": False},
            },
            ConditionExpression="attribute_not_exists(id)",
        )
    except ClientError as error:
        if _error_code(error) != "ConditionalCheckFailedException":
            raise
        existing = clients.dynamodb.get_item(
            TableName=targets.table, Key={"id": {"S": message_id}}, ConsistentRead=True
        )
        return not existing.get("Item", {}).get("announced", {}).get("BOOL", False)
    return True


def announce(clients: Clients, targets: Targets, message_id: str, timestamp: int, key: str) -> None:
    """Publish the announcement, then mark the item so a redelivery skips it."""
    clients.sns.publish(
        TopicArn=targets.topic_arn,
        Message=json.dumps(
            {
                "id": message_id,
                "timestamp": timestamp,
                "environment": targets.environment,
                "object": f"s3://{targets.bucket}/{key}",
            },
            sort_keys=True,
        ),
        MessageAttributes={"environment": {"DataType": "String", "StringValue": targets.environment}},
    )
    clients.dynamodb.update_item(
        TableName=targets.table,
        Key={"id": {"S": message_id}},
        UpdateExpression="SET announced = :yes",
        ExpressionAttributeValues={":yes": {"BOOL": True}},
    )


def process_record(clients: Clients, targets: Targets, record: Mapping[str, Any]) -> None:
    """Store, record and announce one SQS record; raise on any failure."""
    message_id = str(record["messageId"])
    body = str(record["body"])
    message = parse_body(body)
    sent = int(record.get("attributes", {}).get("SentTimestamp", 0))
    timestamp = int(message.get("timestamp", sent))
    key = object_key(message_id)
    store_object(clients, targets, key, body)
    if record_item(clients, targets, message_id, timestamp, key):
        announce(clients, targets, message_id, timestamp, key)


def process_batch(clients: Clients, targets: Targets, event: Mapping[str, Any]) -> dict[str, Any]:
    """Process every record; report the failed ones so only they are retried."""
    failures = []
    for record in event.get("Records", []):
        try:
            process_record(clients, targets, record)
        except Exception as error:  # noqa: BLE001 - any failure must reach batchItemFailures
            LOG.warning(
                "record failed",
                extra={"messageId": record.get("messageId"), "error": repr(error)},
            )
            failures.append({"itemIdentifier": record.get("messageId", "")})
    return {"batchItemFailures": failures}


_CLIENTS: Clients | None = None


def handler(event: Mapping[str, Any], context: object) -> dict[str, Any]:
    """The Lambda entry point named in the function's ``handler`` setting."""
    global _CLIENTS  # noqa: PLW0603 - clients are reused across invocations by design
    if _CLIENTS is None:
        _CLIENTS = Clients.create()
    return process_batch(_CLIENTS, Targets.from_environ(os.environ), event)
