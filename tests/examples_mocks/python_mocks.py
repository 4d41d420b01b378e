"""Run examples/python/__main__.py under ``pulumi.runtime.set_mocks``, as the language host would.

The program runs inside ``run_in_stack``, the function the Python language
host itself wraps a program in, so ``pulumi.export`` lands on a real root
``Stack`` whose outputs reach the monitor through ``RegisterResourceOutputs``,
exactly what the engine would store as the stack's outputs. The monitor is
Pulumi's ``MockMonitor``, extended to keep each request (including the
``remote`` flag the generated SDK sets) and the stack's outputs.
"""

import asyncio
import runpy
from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.runtime import settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.mocks import MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _sync_await

from envstack_provider.component import TYPE_TOKEN
from envstack_testkit.wire_values import plain_struct

from .records import ExampleRun, MockRegistration, component_state
from .stack_configs import EXAMPLES, StackConfig, project

STACK_TYPE = "pulumi:pulumi:Stack"


class ComponentMocks(Mocks):
    """Answer the component with one distinct value per output; nothing else is expected."""

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        state = component_state(args.name) if args.typ == TYPE_TOKEN else {}
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        return {}, None


class KeepingMonitor(MockMonitor):
    """Pulumi's mock monitor, keeping every registration and the stack's outputs."""

    def __init__(self, mocks: Mocks) -> None:
        super().__init__(mocks)
        self.registrations: list[MockRegistration] = []
        self.stack_outputs: dict[str, Any] = {}

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        """Register as the mock monitor does, then keep the request."""
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type != STACK_TYPE:
            self.registrations.append(
                MockRegistration(
                    type=request.type,
                    name=request.name,
                    custom=bool(request.custom),
                    remote=bool(request.remote),
                    inputs=plain_struct(request.object),
                    state=dict(self.resources[response.urn].state),
                )
            )
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        """Keep the root stack's outputs: the program's exports."""
        if request.urn.endswith(f"::{STACK_TYPE}::{settings.get_project()}-{settings.get_stack()}"):
            self.stack_outputs.update(plain_struct(request.outputs))
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]


def run_python_example(config: StackConfig) -> ExampleRun:
    """Run the Python example for one stack and return what it registered and exported."""
    mocks = ComponentMocks()
    monitor = KeepingMonitor(mocks)
    name = str(project("python")["name"])  # the CLI takes the project name from Pulumi.yaml
    pulumi.runtime.set_mocks(mocks, project=name, stack=config.stack, preview=False, monitor=monitor)
    set_all_config(config.pulumi_config())
    # set_mocks installs a finished root stack for unit tests; the language
    # host instead runs the program inside a fresh one, which run_in_stack makes.
    settings.ROOT.set(None)
    settings.SETTINGS.outputs.clear()
    program = EXAMPLES / "python" / "__main__.py"
    # A fresh event loop, as the language host's fresh process has: run_in_stack waits for every
    # task on its loop, so a task another in-process test left on a shared loop would hang it.
    shared = asyncio.get_event_loop_policy().get_event_loop()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        _sync_await(run_in_stack(lambda: _run(program)))
    finally:
        # Leave no stack config or loop behind for tests that share this process.
        set_all_config({})
        asyncio.set_event_loop(shared)
        loop.close()
    return ExampleRun(
        language="python",
        stack=config.stack,
        registrations=tuple(monitor.registrations),
        exports=dict(monitor.stack_outputs),
    )


def _run(program: Any) -> None:
    globals_after: Mapping[str, Any] = runpy.run_path(str(program), run_name="__main__")
    del globals_after
