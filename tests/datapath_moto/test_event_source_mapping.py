"""The stand-in event source mapping settles a batch the way Lambda's mapping does.

The load and fault results are only as good as this stand-in, so its rules
are pinned here against a real queue on moto, with functions that answer in
each of the ways Lambda distinguishes.
"""

import threading
import time
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


@pytest.mark.parametrize(
    ("answer", "back"),
    [(lambda event: {"batchItemFailures": []}, 0), (first_fails, 1), (unknown_fails, 3), (killed, 3)],
    ids=["success", "one-reported", "unknown-id", "killed"],
)
def test_with_a_retry_delay_the_records_left_undeleted_are_handed_back(
    moto: MotoEndpoint, stack: MotoStack, answer: Any, back: int
) -> None:
    send(moto, stack.outputs["queue_url"], Scenario("hand back", 3, poison_fraction=0))
    esm = mapping(moto, stack, answer)
    esm.retry_delay_seconds = 0

    assert esm.poll_once() == 3

    counts = moto.client("sqs").get_queue_attributes(
        QueueUrl=stack.outputs["queue_url"], AttributeNames=["All"]
    )["Attributes"]
    visible, hidden = (
        int(counts["ApproximateNumberOfMessages"]),
        int(counts["ApproximateNumberOfMessagesNotVisible"]),
    )
    assert (visible, hidden) == (back, 0)
    assert len(esm.log.deleted) == 3 - back


def test_a_batch_received_again_while_its_invocation_runs_is_caught(
    moto: MotoEndpoint, dev_recording: Recording
) -> None:
    """The runs' premise check can fail: on a queue whose visibility ends mid-invocation, it does.

    The first invocation waits until the same message has been received and
    processed again, so the overlap happens however slow the machine is.
    """
    moto.reset()
    short = deploy(moto, dev_recording, visibility_timeout_seconds=1, with_function=False)
    [message_id] = send(moto, short.outputs["queue_url"], Scenario("overlap", 1, poison_fraction=0)).good
    again = threading.Event()

    def first_waits_for_the_second(event: Mapping[str, Any]) -> Mapping[str, Any]:
        if threading.current_thread() is first:
            assert again.wait(timeout=60)
        else:
            again.set()
        return {"batchItemFailures": []}

    esm = mapping(moto, short, first_waits_for_the_second)
    first = threading.Thread(target=esm.poll_once)
    first.start()
    while first.is_alive() and not again.is_set() and not esm.poll_once():
        time.sleep(0.1)
    first.join(timeout=60)

    assert esm.log.receives == {message_id: 2}
    assert esm.log.received_in_flight == {message_id: 1}
    assert esm.log.deleted == {message_id}
