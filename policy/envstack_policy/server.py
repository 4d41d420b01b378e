"""The analyzer process: pulumi-policy's server, remembering what ``ConfigureStack`` says of the stack.

pulumi-policy's ``PolicyPack`` builds its gRPC servicer and serves it in one
step, and its ``ConfigureStack`` keeps only the stack's tags. The pack needs
the stack's name and config too (``stack.py`` says why), so this module
serves the same servicer with two additions: ``ConfigureStack`` records the
stack before pulumi-policy handles it, ``Analyze`` converts its resource once
for all the policies instead of once per policy, and ``AnalyzeStack`` builds
the stack once and hands it to every stack policy (``convert_once``).
Everything else, the policies' runs, Remediate, config and enforcement
levels, is pulumi-policy's own code.

It is what the engine starts in both ways a pack can be run: ``python -m
pulumi.policy`` running ``policy/__main__.py`` where a Python language host
exists, and the ``envstack-policy-pack`` executable where none does.
"""

import contextlib
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent import futures
from typing import Any

import grpc
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer

from . import convert_once, pack, stack
from ._version import VERSION

_MAX_MESSAGE = 400 * 1024 * 1024
_WORKERS = 4


def version() -> str:
    """The version of the code that runs, as ``make version`` stamped it.

    It is read from the package's own ``_version.py`` rather than from the
    installed distribution's metadata, which an editable install freezes at
    install time: after ``make version`` the pack would go on reporting the
    old version until it was reinstalled.
    """
    return VERSION


class EnvstackServicer(_PolicyAnalyzerServicer):
    """pulumi-policy's servicer, with ``ConfigureStack`` recorded for the policies."""

    def ConfigureStack(  # noqa: N802 - the gRPC method's name
        self, request: analyzer_pb2.AnalyzerStackConfigureRequest, context: Any
    ) -> Any:
        """Record the stack, project and config, then let pulumi-policy keep the tags."""
        stack.configure(stack.StackInfo(request.stack, request.project, dict(request.config)))
        return super().ConfigureStack(request, context)

    def __init__(self, *args: Any) -> None:
        """pulumi-policy's servicer, with a per-thread slot for the call's conversions."""
        super().__init__(*args)
        self._calls = threading.local()

    @property
    def _once(self) -> convert_once.Once | None:
        """The conversions of the Analyze this thread is serving, if any."""
        once: convert_once.Once | None = getattr(self._calls, "once", None)
        return once

    def _converting_once(self, call: Callable[[Any, Any], Any], request: Any, context: Any) -> Any:
        with convert_once.once() as memo:
            self._calls.once = memo
            try:
                return call(request, context)
            finally:
                self._calls.once = None

    def Analyze(  # noqa: N802 - the gRPC method's name
        self, request: analyzer_pb2.AnalyzeRequest, context: Any
    ) -> Any:
        """pulumi-policy's Analyze, converting the resource once for all the resource policies."""
        return self._converting_once(super().Analyze, request, context)

    def AnalyzeStack(  # noqa: N802 - the gRPC method's name
        self, request: analyzer_pb2.AnalyzeStackRequest, context: Any
    ) -> Any:
        """pulumi-policy's AnalyzeStack, with the stack built once and shared by all the stack policies."""
        analyze_stack: Callable[[Any, Any], Any] = super().AnalyzeStack
        with convert_once.collector_paused():
            resources = convert_once.stack_resources(
                request, self._get_resource_options, self._get_provider_resource
            )
            with convert_once.shared_stack(resources):
                response = analyze_stack(analyzer_pb2.AnalyzeStackRequest(), context)
            # Freed while the collector is still paused: once it runs again, its first collection
            # would otherwise walk every resource of the stack, still alive in this frame.
            del resources
        return response

    def _get_resource_options(self, request: Any) -> Any:
        """The resource's options; during Analyze, built once for all the policies."""
        build = super()._get_resource_options
        once = self._once
        return build(request) if once is None else once.remembered("options", request, build)

    def _get_provider_resource(self, request: Any) -> Any:
        """The resource's provider; during Analyze, built once for all the policies."""
        build = super()._get_provider_resource
        once = self._once
        return build(request) if once is None else once.remembered("provider", request, build)


def servicer(policies: Sequence[Any] = pack.POLICIES) -> EnvstackServicer:
    """The servicer for the pack's policies, with the pack's name, levels and description."""
    return EnvstackServicer(
        pack.PACK_NAME,
        version(),
        list(policies),
        EnforcementLevel.ADVISORY,
        None,
        pack.DESCRIPTION,
        pack.DISPLAY_NAME,
        None,
        "aws",
        ["aws", "envstack"],
        None,
    )


def start(policies: Sequence[Any] = pack.POLICIES) -> tuple[grpc.Server, int]:
    """Start serving on a free loopback port; returns the server and the port."""
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=_WORKERS),
        options=[("grpc.max_receive_message_length", _MAX_MESSAGE)],
    )
    analyzer_pb2_grpc.add_AnalyzerServicer_to_server(servicer(policies), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port


def serve() -> None:
    """Print the port on stdout, as the engine expects of a plugin, and serve until the engine stops us."""
    pack.tune_garbage_collection()
    server, port = start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    # The engine interrupts its plugins when it is done: that is the normal way out, not an error.
    with contextlib.suppress(KeyboardInterrupt):
        server.wait_for_termination()
