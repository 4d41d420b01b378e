"""The provider's Construct, called in-process under mocks.

The same path runs over gRPC in tests/provider_grpc; here each branch of the
error mapping is pinned where coverage can see it.
"""

from typing import Any

import pytest
from pulumi.errors import InputPropertyError
from pulumi.provider import ConstructResult
from pulumi.provider.server import ComponentInitError

from envstack_provider.component import TYPE_TOKEN
from envstack_provider.provider import EnvstackProvider
from envstack_testkit.recording import Recording, run_program


def _construct(inputs: dict[str, Any], recording: Recording | None = None) -> ConstructResult:
    results: list[ConstructResult] = []

    def program() -> None:
        results.append(EnvstackProvider().construct("envstack", TYPE_TOKEN, inputs))

    run_program(program, recording=recording)
    return results[0]


def test_construct_returns_every_output_under_its_schema_name() -> None:
    result = _construct({"environment": "prod", "lambdaMemoryMb": 2048.0})
    assert set(result.state) == {
        "bucketName",
        "bucketArn",
        "tableName",
        "tableArn",
        "functionName",
        "functionArn",
        "queueUrl",
        "queueArn",
        "dlqUrl",
        "dlqArn",
        "topicArn",
        "roleArn",
    }


def test_a_fractional_integer_input_is_a_property_error_not_a_truncation() -> None:
    recording = Recording()
    with pytest.raises(InputPropertyError) as caught:
        _construct({"environment": "dev", "lambdaMemoryMb": 512.5}, recording)
    assert caught.value.property_path == "lambdaMemoryMb"
    assert "'lambdaMemoryMb' has invalid value 512.5: must be a whole number" in caught.value.reason
    assert recording.registrations == []


def test_an_invalid_input_is_reported_on_its_schema_name() -> None:
    recording = Recording()
    with pytest.raises(InputPropertyError) as caught:
        _construct({"environment": "dev", "environmentSuffix": "Bad_Suffix"}, recording)
    assert caught.value.property_path == "environmentSuffix"
    assert "'environmentSuffix' has invalid value 'Bad_Suffix'" in caught.value.reason
    assert recording.registrations == []


def test_an_unexpected_failure_is_not_disguised_as_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("S3 is on fire")

    monkeypatch.setattr("envstack_provider.children.create_storage", broken)
    with pytest.raises(ComponentInitError) as caught:
        _construct({"environment": "dev"})
    assert isinstance(caught.value.inner, RuntimeError)


def test_whole_floats_from_the_wire_reach_the_component_as_integers() -> None:
    recording = Recording()
    _construct({"environment": "dev", "lambdaMemoryMb": 2048.0, "maxReceiveCount": 4.0}, recording)
    function = recording.one("aws:lambda/function:Function").inputs
    assert function["memorySize"] == 2048
