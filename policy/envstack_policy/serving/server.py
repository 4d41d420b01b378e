"""The analyzer process: pulumi-policy's server, remembering what ``ConfigureStack`` says of the stack.

pulumi-policy's ``PolicyPack`` builds its gRPC servicer and serves it in one
step, and its ``ConfigureStack`` keeps only the stack's tags. The pack needs
the stack's name and config too (``stack.py`` says why), so this module
serves the same servicer with two additions: ``ConfigureStack`` records the
stack before pulumi-policy handles it, ``Analyze`` converts its resource once
for all the policies instead of once per policy, and ``AnalyzeStack`` builds
the stack once and hands it to every stack policy (``convert_once``). As each
policy reports a finding, the exemptions (``exemptions.py``) may turn it into
an acknowledged (advisory) or an expired one; the stack policy
``envstack-exemptions`` runs after every other stack policy, so it knows which
exemptions matched nothing. Everything else, the policies' runs, Remediate,
config and enforcement levels, is pulumi-policy's own code.

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
from pulumi_policy import EnforcementLevel, Policy, ReportViolation, Severity
from pulumi_policy.policy import _PolicyAnalyzerServicer

from .. import exemptions, pack
from .._version import VERSION
from ..readers import stack
from . import convert_once

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

    _secret_keys: tuple[str, ...] = ()
    """The stack config keys the engine marked secret; exemption values under them print as [secret]."""

    def ConfigureStack(  # noqa: N802 - the gRPC method's name
        self, request: analyzer_pb2.AnalyzerStackConfigureRequest, context: Any
    ) -> Any:
        """Record the stack, project and config, then let pulumi-policy keep the tags."""
        stack.configure(stack.StackInfo(request.stack, request.project, dict(request.config)))
        self._secret_keys = tuple(request.config_secret_keys)
        exemptions.forget()
        return super().ConfigureStack(request, context)

    def Configure(  # noqa: N802 - the gRPC method's name
        self, request: analyzer_pb2.ConfigureAnalyzerRequest, context: Any
    ) -> Any:
        """pulumi-policy's Configure; the exemptions are read again from the new pack config."""
        exemptions.forget()
        return super().Configure(request, context)  # type: ignore[no-untyped-call]

    def __init__(self, *args: Any) -> None:
        """pulumi-policy's servicer, with a per-thread slot for the call's conversions and resource."""
        super().__init__(*args)
        self._calls = threading.local()
        self._policy_names = frozenset(policy.name for policy in args[2])

    def _exemptions(self) -> exemptions.Session:
        """This run's exemptions, read once from the pack config and the stack's config."""
        return exemptions.current(
            lambda: exemptions.session_for(
                self._get_policy_config(exemptions.POLICY_NAME),
                stack.configured(),
                self._policy_names,
                self._secret_keys,
            )
        )

    def _create_report_violation(
        self,
        response: analyzer_pb2.AnalyzeResponse,
        policy_name: str,
        policy_description: str,
        enforcement_level: EnforcementLevel,
        severity: Severity | None = None,
    ) -> ReportViolation:
        """pulumi-policy's reporter, then the exemptions' say on the diagnostic it appended.

        A finding an exemption matches keeps its policy and URN; its message
        and level change as ``exemptions.Verdict`` says. The exemptions
        policy's own messages carry no description prefix, so they start as
        the contract says, and a stale entry is advisory whatever the policy's
        level (an invalid one keeps it: mandatory unless configured otherwise).
        """
        report = super()._create_report_violation(
            response, policy_name, policy_description, enforcement_level, severity
        )
        session = self._exemptions()

        def report_with_exemptions(message: str, urn: str | None = None) -> None:
            report(message, urn)
            diagnostic = response.diagnostics[-1]
            if policy_name == exemptions.POLICY_NAME:
                diagnostic.message = message
                if message.startswith("STALE"):
                    diagnostic.enforcementLevel = analyzer_pb2.ADVISORY
                return
            resource_urn = urn or str(getattr(self._calls, "urn", ""))
            verdict = session.match(policy_name, resource_urn)
            if verdict is None:
                return
            # The engine's shape stays: the policy's description, then the
            # (acknowledged or expired) finding, so a report reads it as any other.
            diagnostic.message = f"{policy_description}\n{verdict.message(message)}"
            if not verdict.expired:
                diagnostic.enforcementLevel = analyzer_pb2.ADVISORY

        return report_with_exemptions

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
        """pulumi-policy's Analyze, converting the resource once for all the resource policies.

        The resource's URN is kept for the call, because a resource policy
        reports without one and the exemptions match on it.
        """
        self._calls.urn = request.urn
        try:
            return self._converting_once(super().Analyze, request, context)
        finally:
            self._calls.urn = ""

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


def _exemptions_last(policies: Sequence[Policy]) -> list[Policy]:
    """The policies in order, the exemptions policy moved last: it reports what the others left unmatched."""
    return [p for p in policies if p.name != exemptions.POLICY_NAME] + [
        p for p in policies if p.name == exemptions.POLICY_NAME
    ]


def servicer(policies: Sequence[Policy] = pack.POLICIES) -> EnvstackServicer:
    """The servicer for the pack's policies, with the pack's name, levels and description."""
    return EnvstackServicer(
        pack.PACK_NAME,
        version(),
        _exemptions_last(policies),
        EnforcementLevel.ADVISORY,
        None,
        pack.DESCRIPTION,
        pack.DISPLAY_NAME,
        None,
        "aws",
        ["aws", "envstack"],
        None,
    )


def start(policies: Sequence[Policy] = pack.POLICIES) -> tuple[grpc.Server, int]:
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
