"""Analyze and AnalyzeStack convert each resource once for all policies, with the same findings as before."""

from typing import Any

import pytest
from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import policy

from envstack_policy import convert_once, pack, server

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
