"""A stand-in for Lambda's SQS event source mapping, driving the real handler.

moto cannot run the function (that needs Docker), so the tests play the part
of the Lambda service: pollers receive up to ``batch_size`` messages, build
the exact SQS event Lambda sends, invoke the handler, and then do what the
mapping does with the answer:

* the function returned normally: with ``ReportBatchItemFailures``, delete
  every record not listed in ``batchItemFailures``; a listed identifier that
  is not in the batch makes the whole batch a failure, as on Lambda;
* the function raised, its runtime died (``InvocationKilled``) or it ran
  past the function timeout: delete nothing; the whole batch comes back
  after the visibility timeout.

Redelivery and the move to the DLQ after ``maxReceiveCount`` receives are
left to the queue (moto's SQS), exactly as they are left to SQS on AWS.

One thing may differ from Lambda, and only when asked for
(``retry_delay_seconds``): the records an invocation did not delete are handed
back to the queue with ``ChangeMessageVisibilityBatch`` a moment after it
ended, instead of staying hidden for the rest of the queue's visibility
timeout. The component sets that timeout to six times the function's (1800 s
for 300 s) so that a batch stays hidden however long its invocation may run;
seeing a record fail three times at that pace would take an hour and a half.
Shortening the queue's timeout instead would also shorten the protection of
the batches still running, and on a loaded machine an invocation can outlast
a few seconds. With the hand-back, a batch in flight keeps the component's
whole visibility timeout and only the wait before a failed record is
received again is short. What the queue sees is still what SQS documents:
every receive counts towards ``maxReceiveCount``, a record comes back only
once its visibility timeout has ended (here: was set to end), and the queue
itself moves it to the DLQ on the receive after its last.
"""

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.literals import QueueAttributeNameType
    from mypy_boto3_sqs.type_defs import MessageTypeDef

_IN_QUEUE: tuple["QueueAttributeNameType", ...] = (
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
)
"""The counts that together are every message the queue holds."""

Invoke = Callable[[Mapping[str, Any]], Mapping[str, Any]]
"""The function as the mapping sees it: an SQS event in, a batch response out."""


class InvocationKilled(BaseException):
    """The function's runtime died mid-invocation (timeout, out of memory, SIGKILL).

    A ``BaseException`` so the handler's own ``except Exception`` cannot
    swallow it, just as it cannot stop a real kill.
    """


@dataclass
class DeliveryLog:
    """What the mapping saw: the tests' evidence for receive counts and retries."""

    receives: Counter[str] = field(default_factory=Counter)
    """How many times each message id was received from the source queue."""
    deleted: set[str] = field(default_factory=set)
    reported_failed: Counter[str] = field(default_factory=Counter)
    invocations: int = 0
    failed_invocations: int = 0
    longest_invocation_seconds: float = 0.0
    durations: list[float] = field(default_factory=list)
    """How long each invocation took, in the order they finished."""
    received_in_flight: Counter[str] = field(default_factory=Counter)
    """Messages received again while an invocation that had them was still running.

    The visibility timeout is there to keep this empty; a run checks it
    directly instead of trusting the timeout to be long enough.
    """
    _in_flight: Counter[str] = field(default_factory=Counter, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def received(self, message_ids: list[str]) -> None:
        """Count one receive of each message, and note any that a running invocation still has."""
        with self._lock:
            self.receives.update(message_ids)
            self.received_in_flight.update(mid for mid in message_ids if self._in_flight[mid] > 0)
            self._in_flight.update(message_ids)

    def finished(self, message_ids: list[str]) -> None:
        """The invocation that received these messages has ended and settled them."""
        with self._lock:
            self._in_flight.subtract(message_ids)

    def invoked(self, seconds: float, *, failed: bool) -> None:
        """Count one invocation and how long it took."""
        with self._lock:
            self.invocations += 1
            self.failed_invocations += int(failed)
            self.longest_invocation_seconds = max(self.longest_invocation_seconds, seconds)
            self.durations.append(seconds)

    def settled(self, deleted: list[str], failed: list[str]) -> None:
        """Record which records of a batch were deleted and which were reported failed."""
        with self._lock:
            self.deleted.update(deleted)
            self.reported_failed.update(failed)


def sqs_event_record(message: "MessageTypeDef", queue_arn: str, region: str) -> dict[str, Any]:
    """One record of the event Lambda sends for an SQS message."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": {
            name: {
                "stringValue": value.get("StringValue"),
                "dataType": value["DataType"],
                "stringListValues": [],
                "binaryListValues": [],
            }
            for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


@dataclass
class EventSourceMapping:
    """Poll one queue and feed its messages to one function, as Lambda's mapping does."""

    sqs: "SQSClient"
    queue_url: str
    queue_arn: str
    invoke: Invoke
    batch_size: int = 10
    report_batch_item_failures: bool = True
    region: str = "us-east-1"
    idle_sleep_seconds: float = 0.2
    function_timeout_seconds: float | None = None
    """Like Lambda, treat an invocation that ran longer than this as failed: delete nothing."""
    retry_delay_seconds: int | None = None
    """Hand the records an invocation did not delete back to the queue this many seconds after it ended.

    ``None`` leaves them hidden for the rest of the queue's visibility
    timeout, as Lambda does; the module's docstring says why the data path's
    runs set it.
    """
    log: DeliveryLog = field(default_factory=DeliveryLog)
    _queue_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    """Serialises receive, delete and visibility changes on the queue.

    moto's SQS queue is not thread-safe: ``delete_message`` rebuilds the
    message list, so a concurrent receive or delete can resurrect a deleted
    message or lose a receipt handle. Real SQS has no such race; holding the
    lock only around the queue calls keeps the handler invocations of the
    pollers overlapping, which is where the time goes.
    """

    def poll_once(self) -> int:
        """Receive one batch, invoke the function and settle the batch; return its size."""
        with self._queue_lock:
            messages = self.sqs.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=self.batch_size,
                MessageSystemAttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
        if not messages:
            return 0
        ids = [m["MessageId"] for m in messages]
        self.log.received(ids)
        try:
            left = self._invoke_and_settle(messages)
        finally:
            self.log.finished(ids)
        self._hand_back(left)
        return len(messages)

    def _invoke_and_settle(self, messages: list["MessageTypeDef"]) -> list["MessageTypeDef"]:
        """Invoke the function on the batch and delete what it processed; return the rest."""
        event = {"Records": [sqs_event_record(m, self.queue_arn, self.region) for m in messages]}
        started = time.perf_counter()
        try:
            response = self.invoke(event)
        except (Exception, InvocationKilled):  # noqa: BLE001 - any function error fails the batch
            self.log.invoked(time.perf_counter() - started, failed=True)
            return messages
        seconds = time.perf_counter() - started
        timed_out = self.function_timeout_seconds is not None and seconds > self.function_timeout_seconds
        self.log.invoked(seconds, failed=timed_out)
        if timed_out:
            return messages
        return self._settle(messages, response)

    def _settle(
        self, messages: list["MessageTypeDef"], response: Mapping[str, Any]
    ) -> list["MessageTypeDef"]:
        ids = {m["MessageId"] for m in messages}
        failed: set[str] = set()
        if self.report_batch_item_failures:
            failed = {str(item.get("itemIdentifier", "")) for item in response.get("batchItemFailures", [])}
            if not failed <= ids:
                # Lambda treats an unknown or empty identifier as a failed batch.
                failed = ids
        keep = [m for m in messages if m["MessageId"] not in failed]
        if keep:
            with self._queue_lock:
                result = self.sqs.delete_message_batch(
                    QueueUrl=self.queue_url,
                    Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(keep)],
                )
            if result.get("Failed"):
                raise RuntimeError(f"delete_message_batch failed: {result['Failed']}")
        self.log.settled([m["MessageId"] for m in keep], sorted(failed))
        return [m for m in messages if m["MessageId"] in failed]

    def _hand_back(self, messages: list["MessageTypeDef"]) -> None:
        """With ``retry_delay_seconds``, let the undeleted records be received again that much later."""
        if self.retry_delay_seconds is None or not messages:
            return
        with self._queue_lock:
            result = self.sqs.change_message_visibility_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {
                        "Id": str(i),
                        "ReceiptHandle": m["ReceiptHandle"],
                        "VisibilityTimeout": self.retry_delay_seconds,
                    }
                    for i, m in enumerate(messages)
                ],
            )
        if result.get("Failed"):
            raise RuntimeError(f"change_message_visibility_batch failed: {result['Failed']}")

    def messages_in_queue(self) -> int:
        """Messages the source queue holds: visible, in flight or delayed.

        Asks for ``All`` and adds up the three counts: for each attribute
        named, moto 5 works out every attribute of the queue three times
        (each count a scan of every message), for ``All`` once, and the
        producer asks many times a second.
        """
        with self._queue_lock:
            attributes = self.sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["All"])[
                "Attributes"
            ]
        return sum(int(attributes[name]) for name in _IN_QUEUE)

    def _counts_are_zero(self) -> bool:
        return self.messages_in_queue() == 0

    def queue_is_empty(self) -> bool:
        """No message visible, in flight or delayed: everything was deleted or moved to the DLQ.

        Asked twice, a moment apart: moto counts visible and in-flight
        messages at two different instants, so a message whose visibility
        timeout ends between them is briefly counted in neither.
        """
        if not self._counts_are_zero():
            return False
        time.sleep(self.idle_sleep_seconds)
        return self._counts_are_zero()

    def drain(
        self,
        *,
        pollers: int = 2,
        timeout_seconds: float = 120.0,
        producer_done: threading.Event | None = None,
    ) -> DeliveryLog:
        """Run ``pollers`` concurrent pollers until the source queue is empty.

        With ``producer_done``, an empty queue ends the drain only once the
        producer has set it, so a queue that runs dry between two sends does
        not stop the pollers early. Raises ``TimeoutError`` if it is not empty within ``timeout_seconds``,
        so a stuck data path fails the test instead of hanging it.
        """
        deadline = time.monotonic() + timeout_seconds
        done = threading.Event()
        errors: list[BaseException] = []

        def poller() -> None:
            try:
                while not done.is_set() and time.monotonic() < deadline:
                    if self.poll_once():
                        continue
                    if (producer_done is None or producer_done.is_set()) and self.queue_is_empty():
                        done.set()
                    else:
                        time.sleep(self.idle_sleep_seconds)
            except BaseException as error:  # noqa: BLE001 - reported to the caller below
                errors.append(error)
                done.set()

        threads = [
            threading.Thread(target=poller, name=f"esm-poller-{uuid.uuid4().hex[:6]}", daemon=True)
            for _ in range(pollers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        if not done.is_set():
            raise TimeoutError(f"queue {self.queue_url} not empty after {timeout_seconds} s")
        return self.log
