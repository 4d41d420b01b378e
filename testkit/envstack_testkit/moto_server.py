"""moto in server mode on loopback, as the AWS endpoint of the handler and data-path tests.

The server runs ``moto.server.ThreadedMotoServer`` on 127.0.0.1 with port 0 in
a child process (``python -m envstack_testkit.moto_server``), not in a thread
of the test process: moto spends a few milliseconds of CPU on every request,
and in its own process it uses the second core instead of competing with the
handler and boto3 for one interpreter lock. The child prints the port it got
and lives until its standard input closes, so it never outlives the tests,
even when they are killed.

Clients reach it exactly as they would reach AWS: a boto3 session with fake
credentials and an ``endpoint_url`` (or ``AWS_ENDPOINT_URL`` for code, such as
the Lambda handler, that builds its own clients).

The child skips two pieces of work that moto 5 repeats on every request
without any effect on its answers (``skip_repeated_work``): the data path's
load run is bound by moto's CPU, and these were about a third of it.
"""

import contextlib
import logging
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, overload

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from moto.sqs.models import Message, SQSBackend
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_lambda import LambdaClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sqs import SQSClient

LOOPBACK = "127.0.0.1"
REGION = "us-east-1"
FAKE_CREDENTIALS: Mapping[str, str] = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
}
"""moto accepts any credentials; these make sure no real ones are ever picked up."""

CLIENT_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 3},
    max_pool_connections=32,
    connect_timeout=5,
    read_timeout=30,
)
"""Standard retries as on Lambda; a pool large enough for concurrent pollers."""

_STARTUP_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class MotoEndpoint:
    """A running moto server: its URL and how to build clients that talk to it."""

    url: str
    region: str = REGION
    _clients: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def session(self) -> boto3.session.Session:
        """A fresh boto3 session with fake credentials, bound to nothing real.

        Fault injection registers botocore event hooks on a session, so each
        caller that needs its own hooks gets its own session.
        """
        return boto3.session.Session(
            aws_access_key_id=FAKE_CREDENTIALS["aws_access_key_id"],
            aws_secret_access_key=FAKE_CREDENTIALS["aws_secret_access_key"],
            region_name=self.region,
        )

    @overload
    def client(self, service: Literal["s3"], session: boto3.session.Session | None = None) -> "S3Client": ...
    @overload
    def client(
        self, service: Literal["dynamodb"], session: boto3.session.Session | None = None
    ) -> "DynamoDBClient": ...
    @overload
    def client(
        self, service: Literal["sns"], session: boto3.session.Session | None = None
    ) -> "SNSClient": ...
    @overload
    def client(
        self, service: Literal["sqs"], session: boto3.session.Session | None = None
    ) -> "SQSClient": ...
    @overload
    def client(
        self, service: Literal["lambda"], session: boto3.session.Session | None = None
    ) -> "LambdaClient": ...
    @overload
    def client(self, service: str, session: boto3.session.Session | None = None) -> Any: ...
    def client(self, service: str, session: boto3.session.Session | None = None) -> Any:
        """A client of ``service`` that sends every request to this server.

        Without ``session``, one shared client per service: building a client
        costs tens of milliseconds, and clients are safe to share between
        threads (sessions are not, hence the lock).
        """
        if session is not None:
            return session.client(  # type: ignore[call-overload]
                service, endpoint_url=self.url, config=CLIENT_CONFIG
            )
        with self._lock:
            if service not in self._clients:
                self._clients[service] = self.session().client(  # type: ignore[call-overload]
                    service, endpoint_url=self.url, config=CLIENT_CONFIG
                )
            return self._clients[service]

    def environ(self) -> dict[str, str]:
        """Environment variables that point code building its own clients at this server."""
        return {
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": FAKE_CREDENTIALS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": FAKE_CREDENTIALS["aws_secret_access_key"],
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
        }

    def reset(self) -> None:
        """Forget every resource, so the next test starts from an empty account."""
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()


@contextlib.contextmanager
def moto_server() -> Iterator[MotoEndpoint]:
    """Start moto on a free loopback port in a child process; stop it on exit."""
    child = subprocess.Popen(
        [sys.executable, "-m", "envstack_testkit.moto_server"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        if not line.isdigit():
            raise RuntimeError(f"moto server did not report a port (got {line!r}, exit {child.poll()})")
        yield MotoEndpoint(url=f"http://{LOOPBACK}:{line}")
    finally:
        if child.stdin is not None:
            child.stdin.close()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()


def message_within_retention(backend: "SQSBackend", queue_name: str, message: "Message") -> bool:
    """The check of moto's ``is_message_valid_based_on_retention_period``, the period read off the queue.

    moto reads it through ``get_queue_attributes``, which works out every
    attribute of the queue three times over, each message count a scan of
    the whole queue, and does so for every message it returns: receiving
    became quadratic in the messages held. The period and the comparison are
    moto's own.
    """
    from moto.core.utils import unix_time  # noqa: PLC0415 - only the child (and its test) needs moto

    # moto sets the queue's attributes with setattr, so they carry no annotation.
    retention_period = int(backend.get_queue(queue_name).message_retention_period)  # type: ignore[attr-defined]
    return bool(retention_period + (message.sent_timestamp or 0) / 1000 > unix_time())


def skip_repeated_work() -> None:
    """Patch moto in this process so that requests stop redoing work whose result cannot change.

    * ``list_of_moto_modules`` lists moto's package folder and stats each
      entry, twice per request, to route it; the installed package does not
      change while the server runs, so it is listed once.
    * the retention check of every received message (``message_within_retention``).

    Each patch applies only where this moto still has the function it
    replaces; ``tests/datapath_moto/test_moto_server.py`` pins that both do
    and that they answer as moto's own.
    """
    import moto.backends  # noqa: PLC0415 - only the child needs moto
    from moto.sqs.models import SQSBackend  # noqa: PLC0415

    if hasattr(moto.backends, "list_of_moto_modules"):
        modules = tuple(moto.backends.list_of_moto_modules())
        moto.backends.list_of_moto_modules = lambda: modules
    if hasattr(SQSBackend, "is_message_valid_based_on_retention_period"):
        SQSBackend.is_message_valid_based_on_retention_period = message_within_retention  # type: ignore[method-assign,assignment]


def keep_mappings_without_running_them() -> None:
    """Patch moto so that an SQS event source mapping is kept, answered for, and never run.

    moto serves a mapping by invoking the function on every ``SendMessage``,
    which it can only do in Docker (not here); without Docker every send would
    receive a batch for nothing and count it against the messages'
    ``maxReceiveCount``. So the mapping is created, listed, read, updated and
    deleted as AWS does, but not attached to its queue: the test kit's
    ``event_source_mapping.EventSourceMapping`` polls the queue in Lambda's
    place, with the batch size and response types read from the mapping.
    """
    from moto.awslambda.models import LambdaBackend  # noqa: PLC0415 - only the child needs moto
    from moto.sqs.models import sqs_backends  # noqa: PLC0415

    create = LambdaBackend.create_event_source_mapping

    def create_unattached(self: LambdaBackend, spec: dict[str, Any]) -> Any:
        mapping = create(self, spec)
        for queue in sqs_backends[self.account_id][self.region_name].queues.values():
            if queue.lambda_event_source_mappings.get(mapping.function_arn) is mapping:
                del queue.lambda_event_source_mappings[mapping.function_arn]
        return mapping

    LambdaBackend.create_event_source_mapping = create_unattached  # type: ignore[method-assign]


def deny_only_when_the_condition_holds() -> None:
    """Patch moto so that a ``Deny`` conditioned on a key the request does not carry does not deny.

    In IAM, a condition on a context key that the request lacks is not met
    (the ``Null`` and ``...IfExists`` operators aside), so its statement does
    not apply. moto 5 counts such a condition as met: the component's
    TLS-only bucket policy ("deny s3:* when ``aws:SecureTransport`` is
    false") then refused every object write on moto, which passes no
    ``aws:SecureTransport`` at all. Only that case changes: such a ``Deny``
    is neutral; every other statement is moto's own evaluation.
    ``tests/datapath_moto/test_moto_server.py`` pins that unpatched moto still
    needs this.
    """
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult  # noqa: PLC0415

    evaluate = IAMPolicyStatement.is_action_permitted

    def permitted(
        self: IAMPolicyStatement,
        action: str,
        resource: str = "*",
        principal: str | None = None,
        incoming_condition_values: dict[str, str] | None = None,
    ) -> PermissionResult:
        statement = self._statement
        if statement.get("Effect") == "Deny" and statement.get("Condition"):
            keys = {
                key
                for operator, values in statement["Condition"].items()
                if operator != "Null" and not operator.endswith("IfExists")
                for key in values
            }
            if not keys <= set(incoming_condition_values or {}):
                return PermissionResult.NEUTRAL
        return evaluate(self, action, resource, principal, incoming_condition_values)

    IAMPolicyStatement.is_action_permitted = permitted  # type: ignore[method-assign]


def report_the_redrive_allow_policy() -> None:
    """Patch moto so that a queue's ``RedriveAllowPolicy`` is answered for once it is set.

    moto 5 stores the attribute on ``SetQueueAttributes`` but leaves it out
    of ``GetQueueAttributes``, so the DLQ's redrive-allow policy could be
    written and never read back: not by the stand-in plugin's read after its
    create, not by a refresh, not by a test. The value is the one moto kept;
    an empty one (how the policy is removed) is not reported, as on AWS.
    """
    from moto.sqs.models import Queue  # noqa: PLC0415 - only the child needs moto

    attributes = Queue.attributes

    def with_redrive_allow_policy(self: Queue) -> dict[str, Any]:
        result: dict[str, Any] = attributes.fget(self)  # type: ignore[attr-defined]
        policy = getattr(self, "redrive_allow_policy", None)
        if policy:
            result["RedriveAllowPolicy"] = policy
        return result

    Queue.attributes = property(with_redrive_allow_policy)  # type: ignore[method-assign,assignment]


def keep_the_queue_policy() -> None:
    """Patch moto so that ``SetQueueAttributes`` keeps a queue's ``Policy`` unless the call names it.

    On AWS each call changes only the attributes it names. moto 5 resets the
    policy on every call that leaves it out, so the dead-letter queue's
    redrive-allow policy, written after its TLS-only queue policy, erased
    that policy. Calls that name ``Policy`` (and the queue's creation, which
    sets every attribute) are moto's own.
    """
    from moto.sqs.models import Queue  # noqa: PLC0415 - only the child needs moto

    set_attributes = Queue._set_attributes

    def keeping_policy(self: Queue, attributes: dict[str, Any], now: float | None = None) -> None:
        if "Policy" in attributes:
            set_attributes(self, attributes, now)
            return
        kept = self.policy
        set_attributes(self, attributes, now)
        self.policy = kept

    Queue._set_attributes = keeping_policy  # type: ignore[method-assign]


def serve() -> None:
    """Child process body: serve on port 0, print the port, stop when stdin closes."""
    from moto.server import ThreadedMotoServer  # noqa: PLC0415 - only the child needs moto

    skip_repeated_work()
    keep_mappings_without_running_them()
    deny_only_when_the_condition_holds()
    report_the_redrive_allow_policy()
    keep_the_queue_policy()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address=LOOPBACK, port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    print(port, flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    serve()
