"""Analyze and AnalyzeStack convert each resource once for all policies, with the same findings as before."""

import contextlib
import gc
import json
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import PolicyResource, StackValidationArgs, StackValidationPolicy, policy
from pulumi_policy.policy import _NotApplicableError
from pulumi_policy.proxy import UnknownValueError, _DictProxy, _ListProxy

from envstack_policy import pack
from envstack_policy.serving import convert_once, server

pulumi_policy_module: Any = policy


def _resource(type_token: str, name: str, **properties: Any) -> analyzer_pb2.AnalyzerResource:
    struct = struct_pb2.Struct()
    struct.update(properties)
    return analyzer_pb2.AnalyzerResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:dev::p::{type_token}::{name}",
        properties=struct,
        provider=analyzer_pb2.AnalyzerProviderResource(
            type="pulumi:providers:aws",
            name="default",
            urn="urn:pulumi:dev::p::pulumi:providers:aws::default",
        ),
    )


def test_a_conversion_is_remembered_for_the_same_object_only() -> None:
    memo = convert_once.Once()
    calls: list[Any] = []

    def convert(value: Any) -> Any:
        calls.append(value)
        return [value]

    first, second = {"a": 1}, {"a": 1}
    assert memo.remembered("k", first, convert) is memo.remembered("k", first, convert)
    assert memo.remembered("k", second, convert) == [second]
    assert calls == [first, second]
    assert memo.remembered("other", first, convert) == [first]  # kinds are kept apart
    wrapped = memo.wrap("w", lambda value, *args: (value, args))
    assert wrapped(first) is wrapped(first)
    assert wrapped(first, True) == (first, (True,))  # a call with more arguments is not remembered


def test_the_wrapped_functions_are_pulumi_policys_again_after_the_call() -> None:
    originals = (
        pulumi_policy_module.json_format,
        pulumi_policy_module.deserialize_properties,
        pulumi_policy_module.unknown_checking_proxy,
    )
    with convert_once.once():
        message = struct_pb2.Struct()
        message.update({"x": 1})
        converted = pulumi_policy_module.json_format.MessageToDict(message)
        assert converted is pulumi_policy_module.json_format.MessageToDict(message)
        assert pulumi_policy_module.deserialize_properties(converted) == {"x": 1}
    after = (
        pulumi_policy_module.json_format,
        pulumi_policy_module.deserialize_properties,
        pulumi_policy_module.unknown_checking_proxy,
    )
    assert after == originals


def test_analyze_stack_reports_what_each_stack_policy_finds_and_builds_options_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    servicer = server.servicer(pack.POLICIES)
    request = analyzer_pb2.AnalyzeStackRequest(
        resources=[_resource("aws:s3/bucket:Bucket", "data", bucket="data-dev", forceDestroy=True)]
    )
    built: list[Any] = []
    original = pulumi_policy_module._PolicyAnalyzerServicer._get_resource_options

    def counting(self: Any, r: Any) -> Any:
        built.append(r)
        return original(self, r)

    monkeypatch.setattr(pulumi_policy_module._PolicyAnalyzerServicer, "_get_resource_options", counting)
    response = servicer.AnalyzeStack(request, None)
    found = {d.policyName for d in response.diagnostics}
    assert found == {
        "envstack-s3-encryption",
        "envstack-s3-public-access-block",
        "envstack-s3-tls-only",
        "envstack-s3-versioning",
    }
    assert len(built) == 1  # six stack policies, one conversion
    assert servicer._once is None
    # Outside Analyze and AnalyzeStack (Remediate, say) nothing is remembered.
    options = servicer._get_resource_options(request.resources[0])
    assert options is not servicer._get_resource_options(request.resources[0])
    assert servicer._get_provider_resource(request.resources[0]) is not None


def _analyze_request(type_token: str, name: str, **properties: Any) -> analyzer_pb2.AnalyzeRequest:
    resource = _resource(type_token, name, **properties)
    return analyzer_pb2.AnalyzeRequest(
        type=resource.type,
        name=resource.name,
        urn=resource.urn,
        properties=resource.properties,
        provider=resource.provider,
    )


def test_analyze_reports_what_pulumi_policy_reports_and_builds_options_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    servicer = server.servicer(pack.POLICIES)
    # A queue with no dead-letter queue and no encryption: findings of several policies.
    request = _analyze_request("aws:sqs/queue:Queue", "ingest", messageRetentionSeconds=60)
    plain = pulumi_policy_module._PolicyAnalyzerServicer.Analyze(servicer, request, None)
    built: list[Any] = []
    original = pulumi_policy_module._PolicyAnalyzerServicer._get_resource_options

    def counting(self: Any, r: Any) -> Any:
        built.append(r)
        return original(self, r)

    monkeypatch.setattr(pulumi_policy_module._PolicyAnalyzerServicer, "_get_resource_options", counting)
    response = servicer.Analyze(request, None)
    assert [(d.policyName, d.message) for d in response.diagnostics] == [
        (d.policyName, d.message) for d in plain.diagnostics
    ]
    assert response.diagnostics  # the request is a finding, so the comparison is of real reports
    resource_policies = [p for p in pack.POLICIES if isinstance(p, policy.ResourceValidationPolicy)]
    assert len(resource_policies) > 30
    assert len(built) == 1  # every resource policy, one conversion
    assert servicer._once is None


# AnalyzeStack builds the stack once and shares it: the same stack as pulumi-policy builds, the
# same reports, policies that only read it. The requests are real ones, captured from the engine.

CAPTURES = Path(__file__).resolve().parents[1] / "policy_grpc" / "engine_requests"


def _captured_stack(name: str) -> analyzer_pb2.AnalyzeStackRequest:
    document = json.loads((CAPTURES / f"{name}.json").read_text())
    [call] = [c for c in document["requests"] if c["method"] == "AnalyzeStack"]
    request = analyzer_pb2.AnalyzeStackRequest()
    json_format.ParseDict(call["request"], request)
    return request


CAPTURED = ("rule-breakers-preview", "yaml-dev-preview", "yaml-dev-up")


def _plain(value: Any) -> Any:
    """A value as plain data: proxies unwrapped (unknowns stay sentinels), objects as their attributes."""
    if isinstance(value, _DictProxy | _ListProxy):
        return _plain(value["__target"])  # pulumi-policy's unknown-checking proxies
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(item) for item in value]
    if hasattr(value, "__dict__"):
        return _plain(vars(value))
    return value


def _described(resources: Sequence[PolicyResource]) -> list[tuple[Any, ...]]:
    """Everything a stack policy can read of each resource, with links as URNs."""

    def urns(linked: Sequence[PolicyResource]) -> list[str]:
        return [r.urn for r in linked]

    return [
        (
            r.resource_type,
            r.urn,
            r.name,
            _plain(r.props),
            _plain(r.opts),
            None if r.provider is None else _plain(r.provider),
            None if r.parent is None else r.parent.urn,
            urns(r.dependencies),
            {key: urns(linked) for key, linked in r.property_dependencies.items()},
        )
        for r in resources
    ]


def _capturing(name: str, seen: list[Sequence[PolicyResource]]) -> StackValidationPolicy:
    return StackValidationPolicy(name, "captures", lambda args, report: seen.append(args.resources))


@pytest.mark.parametrize("capture", CAPTURED)
def test_the_stack_built_once_is_the_stack_pulumi_policy_builds_for_each_policy(capture: str) -> None:
    request = _captured_stack(capture)
    theirs: list[Sequence[PolicyResource]] = []
    ours: list[Sequence[PolicyResource]] = []
    plain = server.servicer([_capturing("a", theirs), _capturing("b", theirs)])
    pulumi_policy_module._PolicyAnalyzerServicer.AnalyzeStack(plain, request, None)
    shared = server.servicer([_capturing("a", ours), _capturing("b", ours)])
    shared.AnalyzeStack(request, None)
    assert len(ours) == len(theirs) == 2
    assert _described(ours[0]) == _described(theirs[0])
    assert any(r.parent for r in ours[0]) and any(r.property_dependencies for r in ours[0])
    # Each policy its own list, the same resources in it.
    assert ours[0] is not ours[1]
    assert all(mine is other for mine, other in zip(ours[0], ours[1], strict=True))


@pytest.mark.parametrize("capture", CAPTURED)
def test_analyze_stack_reports_what_pulumi_policy_reports(capture: str) -> None:
    request = _captured_stack(capture)
    servicer = server.servicer(pack.POLICIES)
    plain = pulumi_policy_module._PolicyAnalyzerServicer.AnalyzeStack(servicer, request, None)
    shared = servicer.AnalyzeStack(request, None)
    assert list(shared.diagnostics) == list(plain.diagnostics)
    assert list(shared.not_applicable) == list(plain.not_applicable)
    if capture == "rule-breakers-preview":
        assert shared.diagnostics  # the comparison is of real reports


@pytest.mark.parametrize("capture", CAPTURED)
def test_no_stack_policy_changes_the_stack_it_shares(capture: str) -> None:
    request = _captured_stack(capture)
    servicer = server.servicer(pack.POLICIES)
    resources = convert_once.stack_resources(
        request, servicer._get_resource_options, servicer._get_provider_resource
    )
    before = _described(resources)
    stack_policies = [p for p in pack.POLICIES if isinstance(p, StackValidationPolicy)]
    assert len(stack_policies) >= 10
    for stack_policy in stack_policies:
        handed = resources.copy()
        with contextlib.suppress(UnknownValueError, _NotApplicableError):
            stack_policy.validate(StackValidationArgs(handed, {}), lambda *report: None)
        assert handed == resources, stack_policy.name
        assert _described(resources) == before, stack_policy.name


def test_an_analyze_stack_request_holds_only_the_resources_the_server_builds_from() -> None:
    # The server hands pulumi-policy an empty request; a field added to the message would be lost.
    assert [f.name for f in analyzer_pb2.AnalyzeStackRequest.DESCRIPTOR.fields] == ["resources"]


def test_the_collector_is_paused_within_and_left_as_it_was() -> None:
    assert gc.isenabled()
    with convert_once.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with convert_once.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_analyze_stack_puts_pulumi_policys_names_back() -> None:
    original = pulumi_policy_module.StackValidationArgs
    gc_was = gc.isenabled()
    server.servicer(pack.POLICIES).AnalyzeStack(_captured_stack("yaml-dev-preview"), None)
    assert pulumi_policy_module.StackValidationArgs is original
    assert gc.isenabled() == gc_was


def test_the_stack_is_freed_before_the_collector_resumes(monkeypatch: pytest.MonkeyPatch) -> None:
    # Else the collector's first run after the call would walk every resource, still alive.
    built: list[weakref.ref[PolicyResource]] = []
    alive_at_resume: list[bool] = []
    build = convert_once.stack_resources

    def remembering(*args: Any) -> Any:
        resources = build(*args)
        built.extend(weakref.ref(r) for r in resources)
        return resources

    class Collector:
        """``gc`` as convert_once sees it, noting whether any resource lived on when it is turned on."""

        isenabled = staticmethod(gc.isenabled)
        disable = staticmethod(gc.disable)

        @staticmethod
        def enable() -> None:
            alive_at_resume.append(any(ref() is not None for ref in built))
            gc.enable()

    monkeypatch.setattr(convert_once, "stack_resources", remembering)
    monkeypatch.setattr(convert_once, "gc", Collector)
    server.servicer(pack.POLICIES).AnalyzeStack(_captured_stack("yaml-dev-preview"), None)
    assert built and alive_at_resume == [False]
