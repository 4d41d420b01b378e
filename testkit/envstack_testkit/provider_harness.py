"""Run the provider the way the Pulumi engine runs it, and speak gRPC to it.

The engine starts a source plugin through the Python language host, which
runs the plugin directory's ``__main__.py`` with the plugin's Python, in that
directory, with the engine's address as the only argument; the plugin prints
the port of its ``ResourceProvider`` server on stdout. ``spawn_provider`` does
the same, with a real ``Engine`` service in the test process, so what is
tested is the shipped entry point and Pulumi's own provider server, not a
Python object called directly.

Before any Construct the engine also handshakes (a provider may answer
UNIMPLEMENTED, as Pulumi's Python server does) and configures the provider; it
refuses to Construct through a provider whose Configure does not accept
secrets. ``spawn_provider`` does both and keeps the answers.

``construct`` then plays the engine's part of ``pulumi preview``/``up`` for a
component: it serves a ``RecordingResourceMonitor``, sends Construct with the
inputs serialized by Pulumi's own ``rpc`` module (as the engine does, numbers
as doubles), and returns the component's URN, its outputs and every
registration the monitor saw. A failed Construct raises ``ConstructFailed``,
which carries the gRPC status and the per-property errors that Pulumi's
provider server packs into the status details; those are what the engine
shows the user.
"""

import asyncio
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime.proto import engine_pb2_grpc, errors_pb2, provider_pb2, provider_pb2_grpc, status_pb2

from .grpc_servers import LogEntry, RecordingEngine, RecordingResourceMonitor, serving, stack_urn
from .processes import stop
from .recording import Registration
from .wire_values import plain_struct

REPO_ROOT = Path(__file__).resolve().parents[2]
PROVIDER_DIR = REPO_ROOT / "provider"
"""The plugin directory: ``PulumiPlugin.yaml`` and the ``__main__.py`` the language host runs."""

STARTUP_TIMEOUT_SECONDS = 60.0
"""How long the plugin may take to print its port (imports pulumi_aws; slow on a busy machine)."""

CALL_TIMEOUT_SECONDS = 120.0
"""Deadline of one gRPC call to the provider."""

STATUS_DETAILS_KEY = "grpc-status-details-bin"
"""Trailing metadata key of the rich ``google.rpc.Status`` that carries property errors."""


class ProviderStartError(RuntimeError):
    """The plugin exited or stayed silent instead of printing its port."""


@dataclass
class ProviderProcess:
    """A running provider plugin and the engine service it logs to."""

    process: "subprocess.Popen[bytes]"
    port: int
    channel: grpc.Channel
    stub: provider_pb2_grpc.ResourceProviderStub
    engine: RecordingEngine
    engine_address: str
    stderr_path: Path
    handshake: provider_pb2.ProviderHandshakeResponse | None
    """The Handshake answer, or None when the provider does not implement it."""
    configured: provider_pb2.ConfigureResponse
    """The Configure answer: what the provider accepts on the wire."""
    stdout_lines: list[str] = field(default_factory=list)

    @property
    def engine_logs(self) -> list[LogEntry]:
        """Every message the provider sent to the engine's Log, in order."""
        return list(self.engine.logs)

    def stderr(self) -> str:
        """What the plugin wrote to stderr so far (tracebacks end up here)."""
        return self.stderr_path.read_text(errors="replace")


def _read_port(process: "subprocess.Popen[bytes]", stdout: IO[bytes], stderr_path: Path) -> int:
    """Wait for the first stdout line and parse it as the port, as the engine does."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ProviderStartError(
                f"the provider printed no port within {STARTUP_TIMEOUT_SECONDS:.0f}s; stderr:\n"
                + stderr_path.read_text(errors="replace")
            )
        ready, _, _ = select.select([stdout], [], [], min(remaining, 0.5))
        if ready:
            line = stdout.readline().decode(errors="replace").strip()
            if line.isdigit():
                return int(line)
            if line or process.poll() is not None:
                raise ProviderStartError(
                    f"the provider printed {line!r} instead of a port (exit code {process.poll()}); stderr:\n"
                    + stderr_path.read_text(errors="replace")
                )


def _drain(stdout: IO[bytes], lines: list[str]) -> None:
    """Keep reading stdout so a chatty plugin never blocks on a full pipe."""
    for raw in iter(stdout.readline, b""):
        lines.append(raw.decode(errors="replace").rstrip("\n"))


def _handshake(
    stub: provider_pb2_grpc.ResourceProviderStub, engine_address: str, plugin_dir: Path
) -> provider_pb2.ProviderHandshakeResponse | None:
    """Handshake as the engine does; UNIMPLEMENTED means "fall back to Configure alone"."""
    request = provider_pb2.ProviderHandshakeRequest(
        engine_address=engine_address,
        root_directory=str(plugin_dir),
        program_directory=str(plugin_dir),
        configure_with_urn=True,
        supports_views=True,
    )
    try:
        response: provider_pb2.ProviderHandshakeResponse = stub.Handshake(
            request, timeout=CALL_TIMEOUT_SECONDS
        )
    except grpc.RpcError as error:
        if isinstance(error, grpc.Call) and error.code() == grpc.StatusCode.UNIMPLEMENTED:
            return None
        raise
    return response


def _configure(stub: provider_pb2_grpc.ResourceProviderStub) -> provider_pb2.ConfigureResponse:
    """Configure the provider with no settings (the component provider takes none)."""
    request = provider_pb2.ConfigureRequest(
        acceptSecrets=True,
        acceptResources=True,
        type="pulumi:providers:envstack",
        name="default",
        urn="urn:pulumi:dev::pulumi-infra::pulumi:providers:envstack::default",
    )
    response: provider_pb2.ConfigureResponse = stub.Configure(request, timeout=CALL_TIMEOUT_SECONDS)
    return response


@contextmanager
def spawn_provider(
    plugin_dir: Path = PROVIDER_DIR,
    python: str = sys.executable,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[ProviderProcess]:
    """Start the plugin as the language host would; always stop it and the engine service.

    The yielded provider has been handshaken and configured, as the engine
    does before its first Construct.

    ``python`` is the plugin's interpreter (the venv's, where envstack_provider
    and its dependencies are installed); ``extra_env`` is what a user would set
    in the CLI's environment, which the engine passes on to its plugins.
    """
    engine = RecordingEngine()
    with ExitStack() as stack:
        engine_address = stack.enter_context(serving(engine_pb2_grpc.add_EngineServicer_to_server, engine))
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="envstack-provider-")))
        stderr_path = scratch / "stderr.log"
        stderr_file = stack.enter_context(stderr_path.open("wb"))
        process = subprocess.Popen(
            [python, "-u", str(plugin_dir), engine_address],
            cwd=plugin_dir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(extra_env or {})},
        )
        stack.callback(stop, process)
        assert process.stdout is not None
        port = _read_port(process, process.stdout, stderr_path)
        stdout_lines: list[str] = []
        threading.Thread(target=_drain, args=(process.stdout, stdout_lines), daemon=True).start()
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        stack.callback(channel.close)
        grpc.channel_ready_future(channel).result(timeout=STARTUP_TIMEOUT_SECONDS)
        stub = provider_pb2_grpc.ResourceProviderStub(channel)
        yield ProviderProcess(
            process=process,
            port=port,
            channel=channel,
            stub=stub,
            engine=engine,
            engine_address=engine_address,
            stderr_path=stderr_path,
            handshake=_handshake(stub, engine_address, plugin_dir),
            configured=_configure(stub),
            stdout_lines=stdout_lines,
        )


def plugin_version(process: ProviderProcess) -> str:
    """GetPluginInfo's version: what ``pulumi plugin ls`` and the engine record."""
    info = process.stub.GetPluginInfo(empty_pb2.Empty(), timeout=CALL_TIMEOUT_SECONDS)
    return str(info.version)


def served_schema(process: ProviderProcess) -> str:
    """GetSchema's text, the document ``pulumi package get-schema`` prints."""
    response = process.stub.GetSchema(provider_pb2.GetSchemaRequest(version=0), timeout=CALL_TIMEOUT_SECONDS)
    return str(response.schema)


@dataclass(frozen=True)
class PropertyError:
    """One invalid input, as the engine lists it to the user."""

    property_path: str
    reason: str


@dataclass(frozen=True)
class ConstructOutcome:
    """A successful Construct: the component's URN, its outputs, and what it registered."""

    urn: str
    state: Mapping[str, Any]
    registrations: list[Registration]
    resource_outputs: Mapping[str, Mapping[str, Any]]
    engine_logs: list[LogEntry]
    """What the provider logged to the engine during this Construct."""

    def of_type(self, type_token: str) -> list[Registration]:
        """Every registration of one resource type."""
        return [r for r in self.registrations if r.type == type_token]

    def one(self, type_token: str) -> Registration:
        """The single registration of a type; fails loudly if there are none or several."""
        found = self.of_type(type_token)
        if len(found) != 1:
            raise AssertionError(f"expected one {type_token}, found {len(found)}")
        return found[0]

    def by_urn(self, urn: str) -> Registration:
        """The registration with this URN (to follow parent links)."""
        for registration in self.registrations:
            if registration.urn == urn:
                return registration
        raise AssertionError(f"nothing registered as {urn}")


class ConstructFailed(Exception):  # noqa: N818 - reads as "Construct failed", the outcome
    """Construct returned a gRPC error; carries what the engine would have received."""

    def __init__(
        self,
        code: grpc.StatusCode,
        details: str,
        property_errors: tuple[PropertyError, ...],
        registrations: list[Registration],
        monitor_calls: list[str],
    ) -> None:
        self.code = code
        self.details = details
        self.property_errors = property_errors
        self.registrations = registrations
        self.monitor_calls = monitor_calls
        listed = "; ".join(f"{e.property_path}: {e.reason}" for e in property_errors)
        super().__init__(f"Construct failed with {code.name}: {details or listed}")


def property_errors(error: grpc.RpcError) -> tuple[PropertyError, ...]:
    """The InputPropertiesError details of a failed call, if the provider sent any."""
    if not isinstance(error, grpc.Call):
        return ()
    found: list[PropertyError] = []
    for key, value in error.trailing_metadata() or ():
        if key != STATUS_DETAILS_KEY:
            continue
        status = status_pb2.Status.FromString(value)
        for detail in status.details:
            properties = errors_pb2.InputPropertiesError()
            if detail.Unpack(properties):
                found.extend(PropertyError(e.property_path, e.reason) for e in properties.errors)
    return tuple(found)


def _serialize(inputs: Mapping[str, Any]) -> struct_pb2.Struct:
    """Serialize inputs with Pulumi's own ``rpc`` module, on a private event loop.

    A private loop leaves the thread's current loop alone, which tests that
    run programs under Pulumi's mocks in the same process rely on.
    """
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(rpc.serialize_properties(dict(inputs), {}))
    finally:
        loop.close()


def construct(
    process: ProviderProcess,
    type_token: str,
    name: str,
    inputs: Mapping[str, Any],
    *,
    stack: str = "dev",
    project: str = "pulumi-infra",
    config: Mapping[str, str] | None = None,
    dry_run: bool = True,
    protect: bool = False,
    unknowns_in_preview: bool = False,
) -> ConstructOutcome:
    """Construct one component as the engine does, under a recording monitor.

    ``inputs`` use the schema's camelCase names. ``config`` is the stack's
    configuration (``aws:region`` decides the region in ARNs; default
    us-east-1). ``protect`` is the component's ``protect`` resource option,
    as a program would set it. ``unknowns_in_preview`` makes the monitor
    answer a dry run as the engine previews a create (see
    ``RecordingResourceMonitor``), so cloud-assigned outputs come back
    ``UNKNOWN``. Raises ``ConstructFailed`` when the provider answers with an
    error.
    """
    full_config = {"aws:region": "us-east-1", **(config or {})}
    monitor = RecordingResourceMonitor(
        stack=stack,
        project=project,
        region=full_config["aws:region"],
        dry_run=dry_run,
        unknowns_in_preview=unknowns_in_preview,
    )
    wire_inputs = _serialize(inputs)
    logs_before = len(process.engine.logs)
    with monitor.serve() as monitor_address:
        request = provider_pb2.ConstructRequest(
            project=project,
            stack=stack,
            organization="organization",
            config=full_config,
            dryRun=dry_run,
            parallel=16,
            monitorEndpoint=monitor_address,
            type=type_token,
            name=name,
            parent=stack_urn(stack, project),
            inputs=wire_inputs,
            protect=protect,
            accepts_output_values=True,
        )
        try:
            response = process.stub.Construct(request, timeout=CALL_TIMEOUT_SECONDS)
        except grpc.RpcError as error:
            assert isinstance(error, grpc.Call)
            raise ConstructFailed(
                error.code(),
                error.details() or "",
                property_errors(error),
                list(monitor.registrations),
                list(monitor.calls),
            ) from error
    return ConstructOutcome(
        urn=response.urn,
        state=plain_struct(response.state),
        registrations=list(monitor.registrations),
        resource_outputs=dict(monitor.resource_outputs),
        engine_logs=process.engine_logs[logs_before:],
    )
