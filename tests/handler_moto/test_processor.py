"""The Lambda handler against moto in server mode: what it stores, announces and reports.

Events are built from messages really sent to and received from the stack's
queue on moto, so every record has the shape and attributes Lambda passes.
"""

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from envstack_provider.handler import processor
from envstack_provider.handler.processor import Clients, Targets, handler, object_key, process_batch
from envstack_provider.iam import PolicyArns, policy_document
from envstack_testkit.datapath import POISON_BODIES
from envstack_testkit.event_source_mapping import sqs_event_record
from envstack_testkit.faults import CallFault
from envstack_testkit.moto_server import MotoEndpoint
from envstack_testkit.moto_stack import MotoStack

GOOD = json.dumps({"timestamp": 1_700_000_000_123, "payload": "hello"})


def clients_for(moto: MotoEndpoint, session: boto3.session.Session | None = None) -> Clients:
    """The handler's clients; with ``session``, built from it so its fault hooks apply."""
    return Clients(
        s3=moto.client("s3", session),
        dynamodb=moto.client("dynamodb", session),
        sns=moto.client("sns", session),
    )


def targets(stack: MotoStack) -> Targets:
    return Targets.from_environ(stack.function_environment)


def event_for(moto: MotoEndpoint, stack: MotoStack, *bodies: str) -> dict[str, Any]:
    """Send ``bodies`` to the stack's queue and receive them back as Lambda's SQS event."""
    sqs = moto.client("sqs")
    url = stack.outputs["queue_url"]
    for body in bodies:
        sqs.send_message(QueueUrl=url, MessageBody=body)
    messages = sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"]
    ).get("Messages", [])
    assert len(messages) == len(bodies)
    return {"Records": [sqs_event_record(m, stack.outputs["queue_arn"], moto.region) for m in messages]}


def versions(moto: MotoEndpoint, stack: MotoStack) -> list[dict[str, Any]]:
    listing = moto.client("s3").list_object_versions(Bucket=stack.outputs["bucket_name"])
    return [dict(v) for v in listing.get("Versions", [])]


def item(moto: MotoEndpoint, stack: MotoStack, message_id: str) -> dict[str, Any]:
    found = moto.client("dynamodb").get_item(
        TableName=stack.outputs["table_name"], Key={"id": {"S": message_id}}, ConsistentRead=True
    )
    return dict(found.get("Item", {}))


def announcements(moto: MotoEndpoint, probe_url: str) -> list[dict[str, Any]]:
    sqs = moto.client("sqs")
    seen: list[dict[str, Any]] = []
    while messages := sqs.receive_message(QueueUrl=probe_url, MaxNumberOfMessages=10).get("Messages", []):
        seen.extend(json.loads(m["Body"]) for m in messages)
        sqs.delete_message_batch(
            QueueUrl=probe_url,
            Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
        )
    return seen


def ids(event: dict[str, Any]) -> list[str]:
    return [str(r["messageId"]) for r in event["Records"]]


def test_a_message_is_stored_recorded_and_announced(
    moto: MotoEndpoint, stack: MotoStack, probe_url: str
) -> None:
    event = event_for(moto, stack, GOOD)
    [message_id] = ids(event)

    assert process_batch(clients_for(moto), targets(stack), event) == {"batchItemFailures": []}

    body = moto.client("s3").get_object(Bucket=stack.outputs["bucket_name"], Key=object_key(message_id))
    assert body["Body"].read().decode() == GOOD
    assert body["ContentType"] == "application/json"
    assert item(moto, stack, message_id) == {
        "id": {"S": message_id},
        "timestamp": {"N": "1700000000123"},
        "environment": {"S": "dev"},
        "objectKey": {"S": f"messages/{message_id}.json"},
        "announced": {"BOOL": True},
    }
    assert announcements(moto, probe_url) == [
        {
            "id": message_id,
            "timestamp": 1_700_000_000_123,
            "environment": "dev",
            "object": f"s3://{stack.outputs['bucket_name']}/messages/{message_id}.json",
        }
    ]


def test_without_a_timestamp_the_item_takes_the_time_sqs_received_the_message(
    moto: MotoEndpoint, stack: MotoStack
) -> None:
    event = event_for(moto, stack, json.dumps({"payload": "no time"}))
    [record] = event["Records"]

    process_batch(clients_for(moto), targets(stack), event)

    assert item(moto, stack, record["messageId"])["timestamp"] == {"N": record["attributes"]["SentTimestamp"]}


def test_a_redelivered_message_is_neither_stored_nor_announced_twice(
    moto: MotoEndpoint, stack: MotoStack, probe_url: str
) -> None:
    event = event_for(moto, stack, GOOD)
    clients = clients_for(moto)

    first = process_batch(clients, targets(stack), event)
    second = process_batch(clients, targets(stack), event)

    assert first == second == {"batchItemFailures": []}
    assert len(versions(moto, stack)) == 1
    assert len(announcements(moto, probe_url)) == 1


def test_a_retry_after_sns_failed_announces_exactly_once(
    moto: MotoEndpoint, stack: MotoStack, probe_url: str
) -> None:
    event = event_for(moto, stack, GOOD)
    [message_id] = ids(event)
    session = moto.session()
    CallFault("sns", "Publish", {1}, "InternalError").install(session)
    clients = clients_for(moto, session)

    failed = process_batch(clients, targets(stack), event)
    assert failed == {"batchItemFailures": [{"itemIdentifier": message_id}]}
    assert item(moto, stack, message_id)["announced"] == {"BOOL": False}
    assert announcements(moto, probe_url) == []

    retried = process_batch(clients, targets(stack), event)
    assert retried == {"batchItemFailures": []}
    assert item(moto, stack, message_id)["announced"] == {"BOOL": True}
    assert [a["id"] for a in announcements(moto, probe_url)] == [message_id]
    assert len(versions(moto, stack)) == 1


@pytest.mark.parametrize("body", POISON_BODIES)
def test_a_poison_message_is_reported_failed_and_nothing_is_written(
    moto: MotoEndpoint, stack: MotoStack, probe_url: str, body: str
) -> None:
    event = event_for(moto, stack, body)

    result = process_batch(clients_for(moto), targets(stack), event)

    assert result == {"batchItemFailures": [{"itemIdentifier": ids(event)[0]}]}
    assert versions(moto, stack) == []
    assert item(moto, stack, ids(event)[0]) == {}
    assert announcements(moto, probe_url) == []


def test_only_the_failed_records_of_a_mixed_batch_are_reported(moto: MotoEndpoint, stack: MotoStack) -> None:
    bodies = [GOOD, POISON_BODIES[0], GOOD, POISON_BODIES[2], GOOD]
    event = event_for(moto, stack, *bodies)
    poison_ids = [r["messageId"] for r in event["Records"] if r["body"] in POISON_BODIES]

    result = process_batch(clients_for(moto), targets(stack), event)

    assert sorted(f["itemIdentifier"] for f in result["batchItemFailures"]) == sorted(poison_ids)
    assert len(versions(moto, stack)) == 3


@pytest.mark.parametrize(
    "fault",
    [("s3", "PutObject", "SlowDown"), ("dynamodb", "PutItem", "InternalServerError")],
)
def test_a_failed_write_is_reported_and_the_retry_stores_the_message_once(
    moto: MotoEndpoint, stack: MotoStack, probe_url: str, fault: tuple[str, str, str]
) -> None:
    service, operation, code = fault
    event = event_for(moto, stack, GOOD, GOOD)
    first_id = ids(event)[0]
    session = moto.session()
    CallFault(service, operation, {1}, code).install(session)
    clients = clients_for(moto, session)

    assert process_batch(clients, targets(stack), event) == {
        "batchItemFailures": [{"itemIdentifier": first_id}]
    }
    assert process_batch(clients, targets(stack), event) == {"batchItemFailures": []}

    assert sorted(v["Key"] for v in versions(moto, stack)) == sorted(object_key(i) for i in ids(event))
    assert sorted(a["id"] for a in announcements(moto, probe_url)) == sorted(ids(event))


def test_an_empty_event_reports_no_failures(moto: MotoEndpoint, stack: MotoStack) -> None:
    assert process_batch(clients_for(moto), targets(stack), {}) == {"batchItemFailures": []}


@pytest.fixture
def lambda_environment(
    moto: MotoEndpoint, stack: MotoStack, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The process environment Lambda would give the function, pointed at moto."""
    for name, value in {**stack.function_environment, **moto.environ()}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(processor, "_CLIENTS", None)
    yield


@pytest.mark.usefixtures("lambda_environment")
def test_the_entry_point_reads_its_targets_from_the_environment_and_reuses_its_clients(
    moto: MotoEndpoint, stack: MotoStack
) -> None:
    first = event_for(moto, stack, GOOD)
    assert handler(first, object()) == {"batchItemFailures": []}
    clients = processor._CLIENTS
    assert clients is not None

    second = event_for(moto, stack, GOOD)
    assert handler(second, object()) == {"batchItemFailures": []}

    assert processor._CLIENTS is clients
    assert sorted(v["Key"] for v in versions(moto, stack)) == sorted(
        object_key(i) for i in ids(first) + ids(second)
    )


def test_every_call_the_handler_makes_is_allowed_by_the_function_policy(
    moto: MotoEndpoint, stack: MotoStack
) -> None:
    """The role's actions are fixed in iam.py; the handler may need no other."""
    session = moto.session()
    calls: set[str] = set()

    def record(event_name: str, **_: object) -> None:
        service, operation = event_name.split(".")[1:]
        calls.add(f"{service}:{operation}")

    session.events.register("before-call", record)
    CallFault("sns", "Publish", {1}, "InternalError").install(session)
    clients = clients_for(moto, session)
    event = event_for(moto, stack, GOOD, POISON_BODIES[0])
    process_batch(clients, targets(stack), event)  # the first publish fails
    process_batch(clients, targets(stack), event)  # conditional paths and the retried publish
    process_batch(clients, targets(stack), event)  # everything already done

    document = policy_document(
        PolicyArns(bucket_arn="b", table_arn="t", topic_arn="s", queue_arn="q", log_group_arn="l")
    )
    allowed = {action for statement in document["Statement"] for action in statement["Action"]}
    assert calls == {
        "s3:PutObject",
        "dynamodb:PutItem",
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "sns:Publish",
    }
    assert calls <= allowed
