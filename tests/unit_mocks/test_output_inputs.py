"""Inputs given as Outputs (secrets, other resources' attributes), under mocks.

A KMS key usually comes from another resource and an email address may be a
secret; both arrive as Outputs. Inputs that decide which resources exist must
be plain, and say so when they are not.
"""

import json
from typing import Any

import pulumi
import pytest
from pulumi.runtime import rpc

from envstack_provider import EnvironmentStack, InvalidInputError
from envstack_testkit.recording import ACCOUNT, Recording, run_program

KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _record(make_args: Any, recording: Recording | None = None) -> Recording:
    def program() -> None:
        EnvironmentStack("envstack", make_args())

    return run_program(program, recording=recording)


def test_a_kms_key_output_encrypts_and_is_granted() -> None:
    recording = _record(lambda: {"environment": "dev", "kms_key_arn": pulumi.Output.from_input(KEY)})
    sse = recording.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs["rules"][0]["applyServerSideEncryptionByDefault"]
    assert sse == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY}
    policy = json.loads(recording.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    assert policy["Statement"][-1]["Resource"] == [KEY]


def test_a_secret_email_subscribes_the_address_and_stays_secret() -> None:
    recording = _record(
        lambda: {"environment": "prod", "notification_email": pulumi.Output.secret("ops@example.com")}
    )
    endpoint = recording.one("aws:sns/topicSubscription:TopicSubscription").inputs["endpoint"]
    assert rpc.is_rpc_secret(endpoint)
    assert endpoint["value"] == "ops@example.com"


def test_an_invalid_email_output_fails_when_it_resolves() -> None:
    # The check runs inside the Output, so Pulumi reports it while registering the subscription.
    with pytest.raises(ValueError, match="'notification_email' has invalid value 'nobody': must be an email"):
        _record(lambda: {"environment": "prod", "notification_email": pulumi.Output.secret("nobody")})


@pytest.mark.parametrize("field", ["environment", "environment_suffix", "lambda_memory_mb", "tags"])
def test_an_output_where_a_plain_value_decides_the_resources_is_rejected(field: str) -> None:
    plain: dict[str, Any] = {
        "environment": "dev",
        "environment_suffix": "dev",
        "lambda_memory_mb": 512,
        "tags": {},
    }
    recording = Recording()
    with pytest.raises(InvalidInputError, match="must be a plain value known before deployment") as caught:
        _record(lambda: {**plain, field: pulumi.Output.from_input(plain[field])}, recording)
    assert caught.value.field == field
    assert recording.registrations == []
