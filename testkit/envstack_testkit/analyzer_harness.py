"""Spawn the policy pack as the Pulumi engine does and speak the Analyzer gRPC protocol to it.

The engine starts a Python policy pack as ``python -u -m pulumi.policy
<engine address> <pack folder>``, reads the port the pack prints as its first
line of output, and then calls ``ConfigureStack`` (the stack, project and
stack config: the engine tells an analyzer about the stack this way, not
through ``PULUMI_STACK``), ``GetAnalyzerInfo``, ``Configure``, ``Analyze``
(each resource's inputs), ``AnalyzeStack`` (every resource's outputs, with
parents and property dependencies) and ``Remediate``. ``PolicyAnalyzer``
does exactly that, and sets nothing in the pack's environment that the engine
would not, so the tests, the demo and the benchmark exercise the pack through
its real server rather than by calling policy functions. A Python pack never
dials the engine address, so a placeholder is passed. The shapes of what the
real engine sends are pinned by ``tests/engine_real``'s captured requests.

``AnalyzerResource`` is what the engine knows of one resource; recorded
registrations of the real component convert to it with ``from_registration``.
"""

import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc, plugin_pb2
from pulumi_policy.deserialize import serialize_properties

from .processes import stop
from .recording import Recording, Registration

POLICY_DIR = Path(__file__).resolve().parents[2] / "policy"
"""The pack's folder in this repository (what ``--policy-pack`` would point at)."""

ENGINE_ADDRESS_PLACEHOLDER = "127.0.0.1:1"
"""The engine address argument; pulumi.policy parses it but a Python pack never connects to it."""

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""How the engine marshals a value that is unknown during preview (the string sentinel)."""

START_TIMEOUT_SECONDS = 30.0
_MAX_MESSAGE = 400 * 1024 * 1024
_CHANNEL_OPTIONS = [
    ("grpc.max_send_message_length", _MAX_MESSAGE),
    ("grpc.max_receive_message_length", _MAX_MESSAGE),
]

LEVELS = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "remediate": analyzer_pb2.REMEDIATE,
    "disabled": analyzer_pb2.DISABLED,
}
_LEVEL_NAMES = {number: name for name, number in LEVELS.items()}

_REQUEST_TYPES: Mapping[str, type[Any]] = {
    "ConfigureStack": analyzer_pb2.AnalyzerStackConfigureRequest,
    "Configure": analyzer_pb2.ConfigureAnalyzerRequest,
    "Analyze": analyzer_pb2.AnalyzeRequest,
    "AnalyzeStack": analyzer_pb2.AnalyzeStackRequest,
}
"""The request message of each analyzer call a replay sends."""


@dataclass(frozen=True)
class AnalyzerProvider:
    """The provider resource the engine sends along with a resource (its config as properties)."""

    type: str
    name: str
    urn: str
    properties: Mapping[str, Any]


@dataclass(frozen=True)
class AnalyzerResource:
    """One resource as the engine describes it to an analyzer."""

    type: str
    name: str
    urn: str
    properties: Mapping[str, Any]
    protect: bool = False
    parent: str = ""
    dependencies: tuple[str, ...] = ()
    property_dependencies: Mapping[str, Sequence[str]] = field(default_factory=dict)
    provider: AnalyzerProvider | None = None


@dataclass(frozen=True)
class Diagnostic:
    """One policy violation the pack reported."""

    policy: str
    message: str
    urn: str
    level: str
    severity: int


@dataclass(frozen=True)
class Remediation:
    """One remediation the pack applied: the policy and the resource's new properties."""

    policy: str
    properties: Mapping[str, Any]
    diagnostic: str


def urn(stack: str, project: str, type_token: str, name: str, parent_types: Sequence[str] = ()) -> str:
    """A resource URN as the engine builds it."""
    qualified = "$".join([*parent_types, type_token])
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


def from_registration(registration: Registration, *, outputs: bool = False) -> AnalyzerResource:
    """A recorded registration as the engine would send it: inputs to Analyze, outputs to AnalyzeStack."""
    return AnalyzerResource(
        type=registration.type,
        name=registration.name,
        urn=registration.urn,
        properties=dict(registration.state if outputs else registration.inputs),
        protect=registration.protect,
        parent=registration.parent,
        dependencies=registration.dependencies,
    )


def stack_resources(recording: Recording) -> list[AnalyzerResource]:
    """Every registration of a recorded program, as an AnalyzeStack request lists them."""
    return [from_registration(r, outputs=True) for r in recording.registrations]


def _struct(properties: Mapping[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(dict(serialize_properties(properties)))
    return message


def _options(resource: AnalyzerResource) -> analyzer_pb2.AnalyzerResourceOptions:
    return analyzer_pb2.AnalyzerResourceOptions(protect=resource.protect, parent=resource.parent)


def _provider(resource: AnalyzerResource) -> analyzer_pb2.AnalyzerProviderResource | None:
    if resource.provider is None:
        return None
    return analyzer_pb2.AnalyzerProviderResource(
        type=resource.provider.type,
        name=resource.provider.name,
        urn=resource.provider.urn,
        properties=_struct(resource.provider.properties),
    )


def analyze_request(resource: AnalyzerResource) -> analyzer_pb2.AnalyzeRequest:
    """The Analyze request for one resource."""
    return analyzer_pb2.AnalyzeRequest(
        type=resource.type,
        name=resource.name,
        urn=resource.urn,
        properties=_struct(resource.properties),
        options=_options(resource),
        provider=_provider(resource),
    )


def analyze_stack_request(resources: Iterable[AnalyzerResource]) -> analyzer_pb2.AnalyzeStackRequest:
    """The AnalyzeStack request for a whole stack."""
    return analyzer_pb2.AnalyzeStackRequest(
        resources=[
            analyzer_pb2.AnalyzerResource(
                type=r.type,
                name=r.name,
                urn=r.urn,
                properties=_struct(r.properties),
                options=_options(r),
                provider=_provider(r),
                parent=r.parent,
                dependencies=list(r.dependencies),
                propertyDependencies={
                    key: analyzer_pb2.AnalyzerPropertyDependencies(urns=list(urns))
                    for key, urns in r.property_dependencies.items()
                },
            )
            for r in resources
        ]
    )


def _diagnostics(response: analyzer_pb2.AnalyzeResponse) -> list[Diagnostic]:
    return [
        Diagnostic(
            policy=d.policyName,
            message=d.message,
            urn=d.urn,
            level=_LEVEL_NAMES[d.enforcementLevel],
            severity=d.severity,
        )
        for d in response.diagnostics
    ]


def _plain(value: Any) -> Any:
    """A protobuf Struct/ListValue as plain Python values."""
    if isinstance(value, struct_pb2.Struct):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, struct_pb2.ListValue):
        return [_plain(item) for item in value]
    return value


class PolicyAnalyzer:
    """The policy pack running as a separate process, reached over gRPC like the engine reaches it."""

    def __init__(
        self,
        *,
        stack: str = "dev",
        project: str = "envstack",
        dry_run: bool = True,
        policy_dir: Path = POLICY_DIR,
        stack_config: Mapping[str, str] | None = None,
    ) -> None:
        self.stack = stack
        self.project = project
        self.dry_run = dry_run
        self.stack_config = dict(stack_config or {})
        self.policy_dir = policy_dir
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self._channel: grpc.Channel | None = None
        self._stub: analyzer_pb2_grpc.AnalyzerStub | None = None
        self.port = 0

    def __enter__(self) -> "PolicyAnalyzer":
        """Start the pack and connect to it."""
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Stop the pack."""
        self.close()

    def start(self) -> None:
        """Spawn the pack, read its port, connect, and configure the stack as the engine does."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
        self._process = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.policy", ENGINE_ADDRESS_PLACEHOLDER, str(self.policy_dir)],
            cwd=self.policy_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self.port = self._read_port(self._process)
        self._channel = grpc.insecure_channel(f"127.0.0.1:{self.port}", options=_CHANNEL_OPTIONS)
        grpc.channel_ready_future(self._channel).result(timeout=START_TIMEOUT_SECONDS)
        self._stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)
        self.configure_stack()

    def configure_stack(self) -> None:
        """ConfigureStack, as the engine sends it before analyzing anything."""
        self.stub.ConfigureStack(
            analyzer_pb2.AnalyzerStackConfigureRequest(
                stack=self.stack,
                project=self.project,
                organization="organization",
                dry_run=self.dry_run,
                config=self.stack_config,
            )
        )

    def _read_port(self, process: subprocess.Popen[bytes]) -> int:
        assert process.stdout is not None
        line: list[bytes] = []
        reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(START_TIMEOUT_SECONDS)
        text = line[0].decode().strip() if line else ""
        if not text.isdigit():
            self.close()
            raise RuntimeError(f"policy pack did not print its port (got {text!r}); stderr:\n{self.stderr()}")
        return int(text)

    def stderr(self) -> str:
        """What the pack wrote to stderr so far (tracebacks end up here)."""
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    @property
    def stub(self) -> analyzer_pb2_grpc.AnalyzerStub:
        """The Analyzer client stub; fails if the pack is not running."""
        if self._stub is None:
            raise RuntimeError("the policy pack is not running; call start() first")
        return self._stub

    @property
    def pid(self) -> int:
        """The pack process's id (the benchmarks read its CPU clock); fails if it is not running."""
        if self._process is None:
            raise RuntimeError("the policy pack is not running; call start() first")
        return self._process.pid

    def close(self) -> None:
        """Close the channel and stop the pack process (the engine kills it the same way)."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
            self._stub = None
        if self._process is not None:
            stop(self._process)
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None
        self._stderr.close()

    def info(self) -> analyzer_pb2.AnalyzerInfo:
        """GetAnalyzerInfo: the pack's name, policies, levels, severities and config schemas."""
        info: analyzer_pb2.AnalyzerInfo = self.stub.GetAnalyzerInfo(empty_pb2.Empty())
        return info

    def plugin_version(self) -> str:
        """GetPluginInfo: the pulumi-policy version serving the pack."""
        response: plugin_pb2.PluginInfo = self.stub.GetPluginInfo(empty_pb2.Empty())
        return response.version

    def configure(self, policy_config: Mapping[str, Mapping[str, Any]]) -> None:
        """Configure as the CLI does with ``--policy-pack-config``: every policy, with its effective level.

        The CLI sends an entry for every policy of the pack, filling in each policy's default
        enforcement level where the user's config names none (pulumi-policy would otherwise read
        the protocol's zero value, advisory). Options are passed through as given.
        """
        policies = self.info().policies
        unknown = sorted(set(policy_config) - {p.name for p in policies})
        if unknown:
            raise ValueError(f"the pack has no policy named {', '.join(unknown)}")
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for policy in policies:
            settings = policy_config.get(policy.name, {})
            entry = request.policyConfig[policy.name]
            level = settings.get("enforcementLevel")
            entry.enforcementLevel = policy.enforcementLevel if level is None else LEVELS[level]
            properties = {k: v for k, v in settings.items() if k != "enforcementLevel"}
            if properties:
                entry.properties.update(properties)
        self.stub.Configure(request)

    def analyze(self, resource: AnalyzerResource) -> list[Diagnostic]:
        """Analyze one resource's inputs."""
        return _diagnostics(self.stub.Analyze(analyze_request(resource)))

    def analyze_response(self, resource: AnalyzerResource) -> analyzer_pb2.AnalyzeResponse:
        """Analyze, returning the raw response (diagnostics and not-applicable reasons)."""
        response: analyzer_pb2.AnalyzeResponse = self.stub.Analyze(analyze_request(resource))
        return response

    def analyze_stack(self, resources: Iterable[AnalyzerResource]) -> list[Diagnostic]:
        """AnalyzeStack over every resource's outputs."""
        return _diagnostics(self.stub.AnalyzeStack(analyze_stack_request(resources)))

    def analyze_stack_request(self, request: analyzer_pb2.AnalyzeStackRequest) -> list[Diagnostic]:
        """AnalyzeStack with a request built beforehand (the benchmark times only the call)."""
        return _diagnostics(self.stub.AnalyzeStack(request))

    def replay(self, method: str, request: Mapping[str, Any]) -> list[Diagnostic]:
        """Send a request as the real engine sent it (its protobuf JSON, as ``PULUMI_DEBUG_GRPC`` logs it).

        Returns the diagnostics of an Analyze or AnalyzeStack; the other calls return none.
        """
        message = json_format.ParseDict(dict(request), _REQUEST_TYPES[method](), ignore_unknown_fields=False)
        response = getattr(self.stub, method)(message)
        if isinstance(response, analyzer_pb2.AnalyzeResponse):
            return _diagnostics(response)
        return []

    def remediate(self, resource: AnalyzerResource) -> list[Remediation]:
        """Remediate one resource: what each policy at the remediate level changed."""
        response = self.stub.Remediate(analyze_request(resource))
        return [
            Remediation(policy=r.policyName, properties=_plain(r.properties), diagnostic=r.diagnostic)
            for r in response.remediations
        ]

    def review(
        self, resources: Sequence[AnalyzerResource], stack_resources: Sequence[AnalyzerResource]
    ) -> list[Diagnostic]:
        """What a preview reports: Analyze for each resource, then AnalyzeStack for the whole stack."""
        found: list[Diagnostic] = []
        for resource in resources:
            found.extend(self.analyze(resource))
        found.extend(self.analyze_stack(stack_resources))
        return found


def review_recording(analyzer: PolicyAnalyzer, recording: Recording) -> list[Diagnostic]:
    """Run a recorded program's resources through the pack as a preview would."""
    return analyzer.review(
        [from_registration(r) for r in recording.registrations], stack_resources(recording)
    )
