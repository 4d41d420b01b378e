"""Faults injected into the handler's boto3 clients, not into moto.

Each fault is a pair of botocore event hooks on the session the handler's
clients are built from. A fault strikes chosen *messages*, not call numbers:
it numbers the messages an operation is called for in the order it first
sees them, and breaks the first ``times`` calls for each message whose number
is in its plan. The broken call either raises the error AWS would have
returned (the request never reaches moto, as when the service is down) or
kills the invocation after the call succeeded (the write happened, the
runtime died before the mapping could delete the batch).

Why per message: a fault planned by call number is an outage of a length in
calls, and how many receives of one message fall inside it depends on the
machine's pace. On a slow run the same message could be struck on every one
of its ``maxReceiveCount`` receives and, correctly, be dead-lettered; the run
would then measure the machine, not the handler. A per-message plan with
``times`` below ``maxReceiveCount`` always leaves each struck message a
receive that succeeds, which is the recovery the guarantees are about.
moto itself stays a faithful AWS; only the client's view of it breaks.
"""

import json
import threading
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.exceptions import ClientError

from .event_source_mapping import InvocationKilled


def _item_key(params: Mapping[str, Any]) -> str:
    return str(params["Key"]["id"]["S"])


MESSAGE_OF: Mapping[tuple[str, str], Callable[[Mapping[str, Any]], str]] = {
    ("s3", "PutObject"): lambda params: str(params["Key"]),
    ("dynamodb", "PutItem"): lambda params: str(params["Item"]["id"]["S"]),
    ("dynamodb", "GetItem"): _item_key,
    ("dynamodb", "UpdateItem"): _item_key,
    ("sns", "Publish"): lambda params: str(json.loads(params["Message"])["id"]),
    ("sqs", "CreateQueue"): lambda params: str(params["QueueName"]),
    ("dynamodb", "UpdateContinuousBackups"): lambda params: str(params["TableName"]),
}
"""Which message a call is about, read from the call's parameters.

The handler's calls are about an SQS message. ``CreateQueue`` is the stand-in
AWS plugin's (``aws_standin``, through ``FAULTS_VARIABLE``): its "message" is
the queue's name, so a fault can refuse the creation of one chosen queue;
``UpdateContinuousBackups`` is too, its "message" the table's name, so a fault
can refuse point-in-time recovery on a table that was just created.
"""

_STRUCK = "envstack_fault_struck"
"""The request-context key that carries a kill from the parameter hook to the after-call hook."""


@dataclass
class CallFault:
    """Break the calls of one operation for the messages whose 1-based number is in ``messages``."""

    service: str
    """The botocore event name of the service: ``s3``, ``dynamodb``, ``sns``."""
    operation: str
    """The API operation, e.g. ``PutObject``; one of ``MESSAGE_OF``'s."""
    messages: Collection[int]
    """Which messages to strike, numbered in the order the operation first sees them."""
    error_code: str = "ServiceUnavailable"
    kill_after_call: bool = False
    """Kill the invocation after the call succeeded, instead of failing the call."""
    times: int = 1
    """How many calls of each struck message break; keep it below ``maxReceiveCount``."""
    fired: int = 0
    """How many calls the fault has broken so far."""
    numbers: dict[str, int] = field(default_factory=dict)
    """Each message the operation was called for, and its number."""
    strikes: Counter[str] = field(default_factory=Counter)
    """How many calls were broken for each message."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        """Refuse an operation whose message cannot be read, and a plan that strikes nothing."""
        if (self.service, self.operation) not in MESSAGE_OF:
            raise ValueError(f"no way to tell the message of {self.service}:{self.operation}")
        if self.times < 1:
            raise ValueError(f"times must be at least 1, not {self.times}")

    def install(self, session: boto3.session.Session) -> None:
        """Register the hooks; clients created from ``session`` afterwards carry them."""
        events = session.events
        events.register(f"before-parameter-build.{self.service}.{self.operation}", self._before)
        if self.kill_after_call:
            events.register(f"after-call.{self.service}.{self.operation}", self._after)

    def _strike(self, message: str) -> bool:
        with self._lock:
            number = self.numbers.setdefault(message, len(self.numbers) + 1)
            strike = number in self.messages and self.strikes[message] < self.times
            if strike:
                self.strikes[message] += 1
                self.fired += 1
            return strike

    def _before(self, params: Mapping[str, Any], context: dict[str, Any], **_: Any) -> None:
        message = MESSAGE_OF[(self.service, self.operation)](params)
        if not self._strike(message):
            return
        if self.kill_after_call:
            context[_STRUCK] = message
            return
        raise ClientError(
            {"Error": {"Code": self.error_code, "Message": f"injected fault for {message}"}},
            self.operation,
        )

    def _after(self, context: Mapping[str, Any], **_: Any) -> None:
        if _STRUCK in context:
            raise InvocationKilled(
                f"runtime killed after {self.service}:{self.operation} for {context[_STRUCK]}"
            )


def encode_faults(faults: Collection[CallFault]) -> str:
    """Faults as JSON, for another process (the stand-in AWS plugin) to rebuild with ``decode_faults``."""
    return json.dumps(
        [
            {
                "service": f.service,
                "operation": f.operation,
                "messages": sorted(f.messages),
                "error_code": f.error_code,
                "times": f.times,
            }
            for f in faults
        ]
    )


def decode_faults(text: str) -> list[CallFault]:
    """``encode_faults``' JSON back as fresh faults (empty text: none); kills do not travel."""
    if not text.strip():
        return []
    faults = []
    for spec in json.loads(text):
        unknown = set(spec) - {"service", "operation", "messages", "error_code", "times"}
        if unknown:
            raise ValueError(f"fault {spec}: unknown field(s) {sorted(unknown)}")
        faults.append(
            CallFault(
                service=str(spec["service"]),
                operation=str(spec["operation"]),
                messages=frozenset(int(m) for m in spec["messages"]),
                error_code=str(spec.get("error_code", "ServiceUnavailable")),
                times=int(spec.get("times", 1)),
            )
        )
    return faults
