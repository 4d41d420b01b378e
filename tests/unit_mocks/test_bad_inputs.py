"""Bad inputs fail fast, name the input, the value and the rule, and register nothing."""

from typing import Any

import pytest

from envstack_provider import InvalidInputError
from envstack_testkit.recording import Recording, record_environment_stack

LONG = "a" * 21

BAD_INPUTS: list[tuple[dict[str, Any], str, str]] = [
    # (inputs, field named in the error, words of the rule)
    ({}, "environment", "must be one of dev, staging, prod"),
    ({"environment": "qa"}, "environment", "must be one of dev, staging, prod"),
    ({"environment": "Prod"}, "environment", "must be one of dev, staging, prod"),
    ({"environment": "dev", "environment_suffix": "Dev"}, "environment_suffix", "lowercase letters"),
    ({"environment": "dev", "environment_suffix": "dev_1"}, "environment_suffix", "lowercase letters"),
    ({"environment": "dev", "environment_suffix": LONG}, "environment_suffix", "1 to 20"),
    ({"environment": "dev", "environment_suffix": ""}, "environment_suffix", "1 to 20"),
    ({"environment": "dev", "environment_suffix": "-dev"}, "environment_suffix", "starting and ending"),
    ({"environment": "dev", "environment_suffix": "dev-"}, "environment_suffix", "starting and ending"),
    ({"environment": "dev", "environment_suffix": 7}, "environment_suffix", "lowercase letters"),
    ({"environment": "dev", "lambda_memory_mb": 127}, "lambda_memory_mb", "from 128 to 10240"),
    ({"environment": "dev", "lambda_memory_mb": 10241}, "lambda_memory_mb", "from 128 to 10240"),
    ({"environment": "dev", "lambda_memory_mb": "512"}, "lambda_memory_mb", "whole number"),
    ({"environment": "dev", "lambda_memory_mb": True}, "lambda_memory_mb", "whole number"),
    ({"environment": "dev", "lambda_timeout_seconds": 0}, "lambda_timeout_seconds", "from 1 to 900"),
    ({"environment": "dev", "lambda_timeout_seconds": 901}, "lambda_timeout_seconds", "from 1 to 900"),
    ({"environment": "dev", "lambda_runtime": "python3.9"}, "lambda_runtime", "python3.12, python3.13"),
    ({"environment": "dev", "lambda_runtime": "nodejs20.x"}, "lambda_runtime", "python3.12, python3.13"),
    (
        {"environment": "dev", "noncurrent_version_expiration_days": 0},
        "noncurrent_version_expiration_days",
        "from 1 to 36500",
    ),
    ({"environment": "dev", "message_retention_seconds": 59}, "message_retention_seconds", "60 to 1209600"),
    (
        {"environment": "dev", "message_retention_seconds": 1_209_601},
        "message_retention_seconds",
        "60 to 1209600",
    ),
    ({"environment": "dev", "max_receive_count": 0}, "max_receive_count", "from 1 to 1000"),
    ({"environment": "dev", "log_retention_days": 8}, "log_retention_days", "CloudWatch Logs accepts"),
    ({"environment": "dev", "log_retention_days": True}, "log_retention_days", "CloudWatch Logs accepts"),
    ({"environment": "dev", "notification_email": "not-an-email"}, "notification_email", "email address"),
    ({"environment": "dev", "notification_email": "ops@localhost"}, "notification_email", "email address"),
    ({"environment": "dev", "notification_email": "a b@example.com"}, "notification_email", "email address"),
    ({"environment": "dev", "notification_email": 42}, "notification_email", "email address"),
    ({"environment": "dev", "kms_key_arn": "my-key"}, "kms_key_arn", "KMS key or alias ARN"),
    ({"environment": "dev", "tags": ["Team"]}, "tags", "map of strings to strings"),
    ({"environment": "dev", "tags": {"Team": 1}}, "tags", "map of strings to strings"),
    ({"environment": "dev", "tags": {"aws:owner": "x"}}, "tags", "not start with 'aws:'"),
    ({"environment": "dev", "tags": {"k" * 129: "x"}}, "tags", "1 to 128 characters"),
    ({"environment": "dev", "tags": {"Team": "v" * 257}}, "tags", "longer than 256"),
    ({"environment": "dev", "lambda_memory": 512}, "lambda_memory", "is not an input"),
]


@pytest.mark.parametrize(
    ("inputs", "field", "rule"),
    BAD_INPUTS,
    ids=[f"{field}={next(iter(inputs.values()), None)!r}"[:60] for inputs, field, _ in BAD_INPUTS],
)
def test_bad_input_is_rejected_before_anything_registers(
    inputs: dict[str, Any], field: str, rule: str
) -> None:
    recording = Recording()
    with pytest.raises(InvalidInputError) as caught:
        record_environment_stack(inputs, stack="dev", recording=recording)
    error = caught.value
    assert error.field == field
    assert f"'{field}'" in str(error)
    assert repr(inputs.get(field)) in str(error)
    assert rule in str(error)
    assert recording.registrations == [], "a rejected stack must not register anything"


def test_args_that_are_not_a_mapping_are_rejected() -> None:
    from envstack_provider.settings import resolve

    with pytest.raises(InvalidInputError, match="must be a mapping"):
        resolve(["environment", "dev"])  # type: ignore[arg-type]
