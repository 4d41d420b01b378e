"""The two gRPC services the engine offers a provider, served by the test process.

A provider plugin talks back to the engine over two services: ``Engine``
(logging, the root resource) at the address given on its command line, and
``ResourceMonitor`` at the ``monitorEndpoint`` of each Construct request,
where a component registers itself and its children. Serving both for real,
on loopback ports, means the provider runs exactly the code paths it runs
under ``pulumi up``: its SDK opens the channels, probes the monitor's
features, serializes every resource and waits for each answer.

The monitor answers like an engine whose AWS provider created everything:
URNs built by the engine's rule, ids and ARNs from
``recording.physical_state``, so the component's outputs resolve to the same
values the mock-based tests see.
"""

import threading
from collections.abc import Iterator
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.mocks import MockResourceArgs
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc, resource_pb2, resource_pb2_grpc

from .recording import Registration, physical_state
from .wire_values import plain_struct

ROOT_STACK_TYPE = "pulumi:pulumi:Stack"

SUPPORTED_FEATURES = (
    resource_pb2.RESOURCE_MONITOR_FEATURE_SECRETS,
    resource_pb2.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
    resource_pb2.RESOURCE_MONITOR_FEATURE_OUTPUT_VALUES,
    resource_pb2.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
    resource_pb2.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
    resource_pb2.RESOURCE_MONITOR_FEATURE_REPLACE_WITH,
    resource_pb2.RESOURCE_MONITOR_FEATURE_REPLACEMENT_TRIGGER,
)
"""What the monitor claims to support: what a current engine does, less the
callback-based features (transforms, hooks) whose callback servers it does not
call back into."""

_LEGACY_FEATURE_IDS = {
    "secrets": resource_pb2.RESOURCE_MONITOR_FEATURE_SECRETS,
    "resourceReferences": resource_pb2.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
    "outputValues": resource_pb2.RESOURCE_MONITOR_FEATURE_OUTPUT_VALUES,
    "aliasSpecs": resource_pb2.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
    "deletedWith": resource_pb2.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
    "replaceWith": resource_pb2.RESOURCE_MONITOR_FEATURE_REPLACE_WITH,
    "replacementTrigger": resource_pb2.RESOURCE_MONITOR_FEATURE_REPLACEMENT_TRIGGER,
}


def stack_urn(stack: str, project: str) -> str:
    """The URN of the stack resource, the parent the engine gives top-level components."""
    return f"urn:pulumi:{stack}::{project}::{ROOT_STACK_TYPE}::{project}-{stack}"


def child_urn(stack: str, project: str, parent: str, type_token: str, name: str) -> str:
    """A URN as the engine builds it: the parent's qualified type, ``$``, then the type.

    The stack is left out of the chain, so a component directly under the
    stack has its bare type, and its children ``<component type>$<child type>``.
    """
    qualified = type_token
    if parent:
        parent_type = parent.split("::")[2]
        if parent_type != ROOT_STACK_TYPE:
            qualified = f"{parent_type}${type_token}"
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


@contextmanager
def serving(register: Any, servicer: Any) -> Iterator[str]:
    """Serve one servicer on a fresh loopback port; yield its ``host:port``.

    The server is stopped on exit, giving calls in flight a second to finish.
    """
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    register(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(grace=1).wait()


@dataclass(frozen=True)
class LogEntry:
    """One message the provider logged through the engine."""

    severity: str
    message: str
    urn: str


class RecordingEngine(engine_pb2_grpc.EngineServicer):
    """The engine service: keeps every log message and the root resource."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.logs: list[LogEntry] = []
        self.root_resource = ""

    def Log(self, request: engine_pb2.LogRequest, context: Any) -> empty_pb2.Empty:  # noqa: N802
        """Keep the message with its severity name (DEBUG, INFO, WARNING, ERROR)."""
        with self._lock:
            self.logs.append(
                LogEntry(engine_pb2.LogSeverity.Name(request.severity), request.message, request.urn)
            )
        return empty_pb2.Empty()

    def GetRootResource(  # noqa: N802
        self, request: engine_pb2.GetRootResourceRequest, context: Any
    ) -> engine_pb2.GetRootResourceResponse:
        """The root resource last set, as the engine remembers it for the plugin."""
        return engine_pb2.GetRootResourceResponse(urn=self.root_resource)

    def SetRootResource(  # noqa: N802
        self, request: engine_pb2.SetRootResourceRequest, context: Any
    ) -> engine_pb2.SetRootResourceResponse:
        """Remember the root resource."""
        self.root_resource = request.urn
        return engine_pb2.SetRootResourceResponse()


class RecordingResourceMonitor(resource_pb2_grpc.ResourceMonitorServicer):
    """A resource monitor that records every registration and answers like an engine.

    ``calls`` lists every method the provider called, in order, so a test that
    expects no registration can also show that the monitor was reached.

    By default every resource gets its physical state, preview or not, so the
    component's outputs resolve. With ``unknowns_in_preview`` a dry run is
    answered as the engine previews a create: no id and only the inputs, so
    everything the cloud assigns (ARNs, URLs) stays unknown.
    """

    def __init__(
        self,
        *,
        stack: str = "dev",
        project: str = "pulumi-infra",
        region: str = "us-east-1",
        dry_run: bool = True,
        unknowns_in_preview: bool = False,
    ) -> None:
        self.stack = stack
        self.project = project
        self.region = region
        self.dry_run = dry_run
        self.unknowns_in_preview = unknowns_in_preview
        self._lock = threading.Lock()
        self.calls: list[str] = []
        self.registrations: list[Registration] = []
        self.resource_outputs: dict[str, dict[str, Any]] = {}

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Serve this monitor on a loopback port for the duration of the block."""
        with serving(resource_pb2_grpc.add_ResourceMonitorServicer_to_server, self) as address:
            yield address

    def _called(self, method: str) -> None:
        with self._lock:
            self.calls.append(method)

    def GetDeploymentInfo(  # noqa: N802
        self, request: empty_pb2.Empty, context: Any
    ) -> resource_pb2.DeploymentInfo:
        """The deployment this monitor stands for, and the features it supports."""
        self._called("GetDeploymentInfo")
        return resource_pb2.DeploymentInfo(
            project=self.project,
            stack=self.stack,
            organization="organization",
            dryRun=self.dry_run,
            supportedFeatures=SUPPORTED_FEATURES,
        )

    def SupportsFeature(  # noqa: N802
        self, request: resource_pb2.SupportsFeatureRequest, context: Any
    ) -> resource_pb2.SupportsFeatureResponse:
        """The older, one-feature-at-a-time probe, answered from the same list."""
        self._called("SupportsFeature")
        return resource_pb2.SupportsFeatureResponse(
            hasSupport=_LEGACY_FEATURE_IDS.get(request.id) in SUPPORTED_FEATURES
        )

    def RegisterResource(  # noqa: N802
        self, request: resource_pb2.RegisterResourceRequest, context: Any
    ) -> resource_pb2.RegisterResourceResponse:
        """Record the request; answer with its URN and, for a cloud resource, an id and state."""
        self._called("RegisterResource")
        urn = child_urn(self.stack, self.project, request.parent, request.type, request.name)
        inputs = plain_struct(request.object)
        resource_id = ""
        state: dict[str, Any] = {}
        response_object = struct_pb2.Struct()
        if request.custom and self.dry_run and self.unknowns_in_preview:
            state = dict(inputs)
            response_object.CopyFrom(request.object)
        elif request.custom:
            resource_id, state = physical_state(
                MockResourceArgs(request.type, request.name, inputs, request.provider, None, True),
                self.region,
            )
            # Answer with the request's own wire values (assets and all), plus
            # what the cloud computed: exactly what an engine's provider returns.
            response_object.CopyFrom(request.object)
            response_object.update(
                {key: value for key, value in state.items() if key not in inputs or inputs[key] != value}
            )
        registration = Registration(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=bool(request.custom),
            parent=request.parent,
            inputs=inputs,
            state=state,
            protect=bool(request.protect),
            retain_on_delete=bool(request.retainOnDelete),
            dependencies=tuple(request.dependencies),
            provider=request.provider,
        )
        with self._lock:
            self.registrations.append(registration)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=resource_id, object=response_object)

    def RegisterResourceOutputs(  # noqa: N802
        self, request: resource_pb2.RegisterResourceOutputsRequest, context: Any
    ) -> empty_pb2.Empty:
        """Keep a component's registered outputs by its URN."""
        self._called("RegisterResourceOutputs")
        with self._lock:
            self.resource_outputs[request.urn] = plain_struct(request.outputs)
        return empty_pb2.Empty()

    def SignalAndWaitForShutdown(  # noqa: N802
        self, request: empty_pb2.Empty, context: Any
    ) -> empty_pb2.Empty:
        """Nothing runs after the program here, so shutdown is immediate."""
        self._called("SignalAndWaitForShutdown")
        return empty_pb2.Empty()
