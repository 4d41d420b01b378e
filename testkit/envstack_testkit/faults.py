"""Faults injected into the handler's boto3 clients, not into moto.

Each fault is a botocore event hook on the session the handler's clients are
built from. A hook counts the calls of one operation and, for the calls
whose number is in its plan, either raises the error AWS would have returned
(``before-call``: the request never reaches moto, as when the service is
down) or kills the invocation after the call succeeded (``after-call``: the
write happened, the runtime died before the mapping could delete the batch).
moto itself stays a faithful AWS; only the client's view of it breaks.
"""

import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.exceptions import ClientError

from .event_source_mapping import InvocationKilled


@dataclass
class CallFault:
    """Break the calls of one operation whose 1-based number is in ``calls``."""

    service: str
    """The botocore event name of the service: ``s3``, ``dynamodb``, ``sns``."""
    operation: str
    """The API operation, e.g. ``PutObject``."""
    calls: Collection[int]
    error_code: str = "ServiceUnavailable"
    kill_after_call: bool = False
    """Kill the invocation after the call succeeded, instead of failing the call."""
    seen: int = 0
    fired: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def install(self, session: boto3.session.Session) -> None:
        """Register the hook; clients created from ``session`` afterwards carry it."""
        stage = "after-call" if self.kill_after_call else "before-call"
        session.events.register(f"{stage}.{self.service}.{self.operation}", self._hook)

    def _should_fire(self) -> bool:
        with self._lock:
            self.seen += 1
            fire = self.seen in self.calls
            self.fired += int(fire)
            return fire

    def _hook(self, **_: Any) -> None:
        if not self._should_fire():
            return
        if self.kill_after_call:
            raise InvocationKilled(f"runtime killed after {self.service}:{self.operation} call {self.seen}")
        raise ClientError(
            {
                "Error": {"Code": self.error_code, "Message": f"injected fault on call {self.seen}"},
            },
            self.operation,
        )
