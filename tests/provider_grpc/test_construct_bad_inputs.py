"""Construct with bad inputs: an invalid-property error the engine can show, and nothing registered.

Pulumi's provider server turns ``InputPropertyError`` into INVALID_ARGUMENT
with an ``InputPropertiesError`` in the status details; the engine lists each
entry as the property and its reason. So the user-facing text is the
property path (the schema's camelCase name) and the reason, and both are
asserted here as received over gRPC.
"""

from typing import Any

import grpc
import pytest

from envstack_provider.component import TYPE_TOKEN
from envstack_testkit.provider_harness import ConstructFailed, ProviderProcess, construct

SUFFIX_RULE = (
    "must be 1 to 20 lowercase letters, digits and hyphens, starting and ending with a letter or digit"
)

BAD_INPUTS = [
    pytest.param({"environment": "qa"}, "environment", "'qa'", "must be one of dev, staging, prod", id="qa"),
    pytest.param(
        {"environment": "dev", "environmentSuffix": "Bad_Suffix"},
        "environmentSuffix",
        "'Bad_Suffix'",
        SUFFIX_RULE,
        id="suffix-with-capitals-and-underscore",
    ),
    pytest.param(
        {"environment": "dev", "environmentSuffix": "a" * 21},
        "environmentSuffix",
        repr("a" * 21),
        SUFFIX_RULE,
        id="suffix-too-long",
    ),
    pytest.param(
        {"environment": "dev", "lambdaMemoryMb": 64},
        "lambdaMemoryMb",
        "64",
        "must be from 128 to 10240",
        id="memory-too-small",
    ),
    pytest.param(
        {"environment": "prod", "lambdaMemoryMb": 512.5},
        "lambdaMemoryMb",
        "512.5",
        "must be a whole number",
        id="memory-fraction",
    ),
    pytest.param(
        {"environment": "staging", "logRetentionDays": 8},
        "logRetentionDays",
        "8",
        "must be one of the periods CloudWatch Logs accepts",
        id="retention-not-accepted",
    ),
    pytest.param(
        {"environment": "dev", "notificationEmail": "not-an-email"},
        "notificationEmail",
        "'not-an-email'",
        "must be an email address",
        id="email",
    ),
]


def _fail(provider: ProviderProcess, inputs: dict[str, Any]) -> ConstructFailed:
    with pytest.raises(ConstructFailed) as caught:
        construct(provider, TYPE_TOKEN, "envstack", inputs)
    return caught.value


@pytest.mark.parametrize(("inputs", "prop", "value", "rule"), BAD_INPUTS)
def test_bad_input_is_an_invalid_property_error_naming_property_value_and_rule(
    provider: ProviderProcess, inputs: dict[str, Any], prop: str, value: str, rule: str
) -> None:
    failure = _fail(provider, inputs)
    assert failure.code == grpc.StatusCode.INVALID_ARGUMENT
    assert len(failure.property_errors) == 1
    error = failure.property_errors[0]
    assert error.property_path == prop
    assert f"input '{prop}' has invalid value {value}: {rule}" in error.reason
    assert rule in error.reason
    assert "Traceback" not in error.reason


@pytest.mark.parametrize(("inputs", "prop", "value", "rule"), BAD_INPUTS)
def test_bad_input_registers_nothing(
    provider: ProviderProcess, inputs: dict[str, Any], prop: str, value: str, rule: str
) -> None:
    failure = _fail(provider, inputs)
    assert "GetDeploymentInfo" in failure.monitor_calls, "the provider reached the monitor"
    assert failure.registrations == []
    assert "RegisterResource" not in failure.monitor_calls


def test_missing_environment_is_named_as_a_missing_required_input(provider: ProviderProcess) -> None:
    failure = _fail(provider, {"environmentSuffix": "team-a", "lambdaMemoryMb": 1024})
    assert failure.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [(e.property_path, e.reason) for e in failure.property_errors] == [
        ("environment", "Missing required input 'environment' on 'EnvironmentStack'")
    ]
    assert failure.registrations == []


def test_the_provider_keeps_serving_after_a_rejected_construct(provider: ProviderProcess) -> None:
    _fail(provider, {"environment": "qa"})
    outcome = construct(
        provider, TYPE_TOKEN, "envstack", {"environment": "dev", "environmentSuffix": "after"}
    )
    assert outcome.state["bucketName"] == "envstack-data-after"
    assert provider.process.poll() is None
