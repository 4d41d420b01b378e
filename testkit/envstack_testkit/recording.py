"""Run the component under Pulumi's own mocks and record every registration.

Pulumi's ``set_mocks`` stands in for the engine and the AWS provider only;
the component, the Pulumi SDK and pulumi-aws all run for real. The recording
monitor keeps what a plain ``Mocks`` does not see (parent, options,
dependencies), so tests can check the resource tree, the demo can print it,
and the policy and data-path tests can reuse the component's real settings
instead of copying them.
"""

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import rpc
from pulumi.runtime.config import set_all_config
from pulumi.runtime.mocks import MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.settings import SETTINGS
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from envstack_provider import EnvironmentStack
from envstack_provider.component import OUTPUT_NAMES

ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Registration:
    """One RegisterResource call, as the engine would have received it."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    inputs: Mapping[str, Any]
    state: Mapping[str, Any]
    protect: bool
    retain_on_delete: bool
    dependencies: tuple[str, ...]
    provider: str = ""


@dataclass
class Recording:
    """Everything one program registered, and the component outputs it resolved."""

    registrations: list[Registration] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)

    def of_type(self, type_token: str) -> list[Registration]:
        """Every registration of one resource type."""
        return [r for r in self.registrations if r.type == type_token]

    def one(self, type_token: str) -> Registration:
        """The single registration of a type; fails loudly if there are none or several."""
        found = self.of_type(type_token)
        if len(found) != 1:
            raise AssertionError(f"expected one {type_token}, found {len(found)}")
        return found[0]

    def custom(self) -> list[Registration]:
        """The cloud resources (everything but components)."""
        return [r for r in self.registrations if r.custom]


def physical_state(  # noqa: PLR0911 - one branch per resource type
    args: MockResourceArgs, region: str
) -> tuple[str, dict[str, Any]]:
    """Plausible provider outputs (ids, ARNs, URLs) for the types the stack uses."""
    inputs = dict(args.inputs)
    name = str(inputs.get("name") or inputs.get("bucket") or args.name)
    typ = args.typ
    if typ == "aws:s3/bucket:Bucket":
        return name, {**inputs, "bucket": name, "arn": f"arn:aws:s3:::{name}"}
    if typ == "aws:dynamodb/table:Table":
        return name, {**inputs, "arn": f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{name}"}
    if typ == "aws:sqs/queue:Queue":
        url = f"https://sqs.{region}.amazonaws.com/{ACCOUNT}/{name}"
        return url, {**inputs, "url": url, "arn": f"arn:aws:sqs:{region}:{ACCOUNT}:{name}"}
    if typ == "aws:sns/topic:Topic":
        arn = f"arn:aws:sns:{region}:{ACCOUNT}:{name}"
        return arn, {**inputs, "arn": arn}
    if typ == "aws:lambda/function:Function":
        return name, {**inputs, "arn": f"arn:aws:lambda:{region}:{ACCOUNT}:function:{name}"}
    if typ == "aws:iam/role:Role":
        return name, {**inputs, "arn": f"arn:aws:iam::{ACCOUNT}:role/{name}"}
    if typ == "aws:cloudwatch/logGroup:LogGroup":
        return name, {**inputs, "arn": f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{name}"}
    return f"{args.name}-id", inputs


class _StateMocks(Mocks):
    """Mocks that answer every registration with plausible physical state."""

    def __init__(self, region: str) -> None:
        self.region = region

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        return physical_state(args, self.region)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        return {}, None


class RecordingMonitor(MockMonitor):
    """A mock resource monitor that keeps each registration with its options."""

    def __init__(self, mocks: Mocks, recording: Recording) -> None:
        super().__init__(mocks)
        self.recording = recording

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        """Register as the mock monitor does, then keep the request's details."""
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type != "pulumi:pulumi:Stack":
            self.recording.registrations.append(
                Registration(
                    urn=response.urn,
                    type=request.type,
                    name=request.name,
                    custom=bool(request.custom),
                    parent=request.parent,
                    inputs=_inputs(request),
                    state=self.resources[response.urn].state,
                    protect=bool(request.protect),
                    retain_on_delete=bool(request.retainOnDelete),
                    dependencies=tuple(request.dependencies),
                    provider=request.provider,
                )
            )
        return response


def _whole_numbers(value: Any) -> Any:
    """Undo the wire's float encoding of integers, so 512 reads as 512, not 512.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    return value


def _inputs(request: Any) -> dict[str, Any]:
    return dict(_whole_numbers(rpc.deserialize_properties(request.object)))


def run_program(
    program: Callable[[], Any],
    *,
    stack: str = "dev",
    project: str = "pulumi-infra",
    region: str = "us-east-1",
    config: Mapping[str, str] | None = None,
    recording: Recording | None = None,
) -> Recording:
    """Run ``program`` as a Pulumi program under mocks and record what it registers.

    ``program`` may return an Output (or a value); it is awaited before this
    returns, and its resolved value is stored as ``Recording.outputs`` when it
    is a mapping. Pass your own ``recording`` to inspect what was registered
    even when the program raises.
    """
    recording = Recording() if recording is None else recording
    mocks = _StateMocks(region)
    pulumi.runtime.set_mocks(
        mocks,
        project=project,
        stack=stack,
        preview=False,
        monitor=RecordingMonitor(mocks, recording),
    )
    set_all_config({"aws:region": region, **(config or {})})
    SETTINGS.rpc_manager.clear()
    SETTINGS.outputs.clear()

    def body() -> Any:
        result = pulumi.Output.from_input(program())
        return _sync_await(result.future())

    resolved = _sync_await(run_pulumi_func(lambda: _store(recording, body())))
    del resolved
    return recording


def _store(recording: Recording, value: Any) -> None:
    if isinstance(value, Mapping):
        recording.outputs.update(value)


def record_environment_stack(
    args: Mapping[str, Any],
    *,
    name: str = "envstack",
    stack: str | None = None,
    region: str = "us-east-1",
    recording: Recording | None = None,
) -> Recording:
    """Record one ``EnvironmentStack`` and its resolved outputs."""

    def program() -> Any:
        component = EnvironmentStack(name, dict(args))  # type: ignore[arg-type]
        return pulumi.Output.all(**{key: getattr(component, key) for key in OUTPUT_NAMES})

    return run_program(
        program, stack=stack or str(args.get("environment", "dev")), region=region, recording=recording
    )


def replace_inputs(registration: Registration, **inputs: Any) -> Registration:
    """A copy of a registration with some inputs changed (for violating fixtures)."""
    return dataclasses.replace(registration, inputs={**registration.inputs, **inputs})
