"""The stand-in event source mapping settles a batch the way Lambda's mapping does.

The load and fault results are only as good as this stand-in, so its rules
are pinned here against a real queue on moto, with functions that answer in
each of the ways Lambda distinguishes.
"""

from collections.abc import Mapping
from typing import Any

import pytest

from envstack_testkit.datapath import Scenario, send
from envstack_testkit.event_source_mapping import EventSourceMapping, InvocationKilled
from envstack_testkit.moto_server import MotoEndpoint
from envstack_testkit.moto_stack import MotoStack, deploy
from envstack_testkit.recording import Recording


@pytest.fixture
def stack(moto: MotoEndpoint, dev_recording: Recording) -> MotoStack:
    moto.reset()
    return deploy(moto, dev_recording, visibility_timeout_seconds=60, with_function=False)


def mapping(moto: MotoEndpoint, stack: MotoStack, answer: Any, *, report: bool = True) -> EventSourceMapping:
    return EventSourceMapping(
        sqs=moto.client("sqs"),
        queue_url=stack.outputs["queue_url"],
        queue_arn=stack.outputs["queue_arn"],
        invoke=answer,
        batch_size=stack.queue.batch_size,
        report_batch_item_failures=report,
    )


def first_fails(event: Mapping[str, Any]) -> Mapping[str, Any]:
    return {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}


def unknown_fails(event: Mapping[str, Any]) -> Mapping[str, Any]:
    return {"batchItemFailures": [{"itemIdentifier": "not-in-this-batch"}]}


def killed(event: Mapping[str, Any]) -> Mapping[str, Any]:
    raise InvocationKilled("runtime gone")


def raises(event: Mapping[str, Any]) -> Mapping[str, Any]:
    raise RuntimeError("unhandled error in the function")


def test_the_event_has_lambdas_sqs_record_shape(moto: MotoEndpoint, stack: MotoStack) -> None:
    seen: list[Mapping[str, Any]] = []

    def keep(event: Mapping[str, Any]) -> Mapping[str, Any]:
        seen.append(event)
        return {"batchItemFailures": []}

    send(moto, stack.outputs["queue_url"], Scenario("shape", 1, poison_fraction=0))
    mapping(moto, stack, keep).poll_once()
    [record] = seen[0]["Records"]
    assert set(record) == {
        "messageId", "receiptHandle", "body", "attributes", "messageAttributes",
        "md5OfBody", "eventSource", "eventSourceARN", "awsRegion",
    }  # fmt: skip
    assert (record["eventSource"], record["eventSourceARN"]) == ("aws:sqs", stack.outputs["queue_arn"])
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert int(record["attributes"]["SentTimestamp"]) > 0


@pytest.mark.parametrize(
    ("answer", "report", "deleted"),
    [
        (lambda event: {"batchItemFailures": []}, True, 3),
        (first_fails, True, 2),
        (first_fails, False, 3),  # without ReportBatchItemFailures the response is ignored
        (unknown_fails, True, 0),  # an identifier outside the batch fails the whole batch
        (raises, True, 0),
        (killed, True, 0),
    ],
    ids=["success", "one-reported", "not-reporting", "unknown-id", "error", "killed"],
)
def test_only_records_not_reported_failed_are_deleted(
    moto: MotoEndpoint, stack: MotoStack, answer: Any, report: bool, deleted: int
) -> None:
    sent = send(moto, stack.outputs["queue_url"], Scenario("settle", 3, poison_fraction=0))
    esm = mapping(moto, stack, answer, report=report)

    assert esm.poll_once() == 3

    assert len(esm.log.deleted) == deleted
    assert esm.log.deleted <= sent.good
    in_flight = moto.client("sqs").get_queue_attributes(
        QueueUrl=stack.outputs["queue_url"], AttributeNames=["ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]["ApproximateNumberOfMessagesNotVisible"]
    assert int(in_flight) == 3 - deleted
