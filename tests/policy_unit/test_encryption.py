"""Encryption policies called directly: each way to comply, each way to fail, and unknowns."""

from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE

from envstack_policy.policies.encryption import (
    remediate_sqs_encryption,
    validate_dynamodb_encryption,
    validate_lambda_env_encryption,
    validate_s3_encryption,
    validate_sns_encryption,
    validate_sqs_encryption,
)
from envstack_policy.readers import config

from .conftest import NotApplicable, StackResource, resource_args, run, run_stack

BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
SSE_V2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
KMS_RULE = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]


def bucket(name: str = "data", physical: Any = "data-dev", **props: Any) -> StackResource:
    return StackResource(BUCKET, name, {"bucket": physical, **props})


def test_bucket_with_a_targeting_encryption_configuration_passes() -> None:
    resources = [bucket(), StackResource(SSE, "data-sse", {"bucket": "data-dev", "rules": KMS_RULE})]
    assert run_stack(validate_s3_encryption, resources) == []


def test_the_v2_token_counts_as_an_encryption_configuration() -> None:
    resources = [bucket(), StackResource(SSE_V2, "data-sse", {"bucket": "data-dev", "rules": KMS_RULE})]
    assert run_stack(validate_s3_encryption, resources) == []


def test_inline_encryption_on_the_bucket_passes() -> None:
    inline = {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}}
    assert run_stack(validate_s3_encryption, [bucket(serverSideEncryptionConfiguration=inline)]) == []
    from_key = StackResource("aws:kms/key:Key", "key", {})
    unknown = StackResource(
        BUCKET,
        "data",
        {"bucket": "data-dev", "serverSideEncryptionConfiguration": UNKNOWN_STRING_VALUE},
        depends={"serverSideEncryptionConfiguration": ["key"]},
    )
    assert run_stack(validate_s3_encryption, [from_key, unknown]) == []


def test_an_unset_inline_configuration_the_provider_computes_is_judged_at_preview() -> None:
    computed = bucket(serverSideEncryptionConfiguration=UNKNOWN_STRING_VALUE)
    [(message, _)] = run_stack(validate_s3_encryption, [computed])
    assert message.startswith("data (aws:s3:Bucket): has no default server-side encryption.")


def test_bucket_without_encryption_is_reported_on_the_bucket_with_the_fix() -> None:
    [(message, urn)] = run_stack(validate_s3_encryption, [bucket()])
    assert message.startswith("data (aws:s3:Bucket): has no default server-side encryption.")
    assert "Fix: add an aws.s3.BucketServerSideEncryptionConfiguration" in message
    assert urn == "urn:data"


def test_a_configuration_for_another_bucket_does_not_count() -> None:
    resources = [
        bucket(),
        bucket("logs", "logs-dev"),
        StackResource(SSE, "logs-sse", {"bucket": "logs-dev", "rules": KMS_RULE}),
    ]
    assert [urn for _, urn in run_stack(validate_s3_encryption, resources)] == ["urn:data"]


def test_a_rule_without_an_algorithm_does_not_count() -> None:
    resources = [
        bucket(),
        StackResource(SSE, "data-sse", {"bucket": "data-dev", "rules": [{"bucketKeyEnabled": True}]}),
    ]
    assert len(run_stack(validate_s3_encryption, resources)) == 1


def test_during_preview_the_link_comes_from_property_dependencies() -> None:
    resources = [
        bucket(physical=UNKNOWN_STRING_VALUE),
        StackResource(
            SSE, "data-sse", {"bucket": UNKNOWN_STRING_VALUE, "rules": KMS_RULE}, {"bucket": ["data"]}
        ),
        bucket("bare", UNKNOWN_STRING_VALUE),
    ]
    assert [urn for _, urn in run_stack(validate_s3_encryption, resources)] == ["urn:bare"]


def test_an_unknown_algorithm_is_not_reported() -> None:
    rules = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": UNKNOWN_STRING_VALUE}}]
    resources = [bucket(), StackResource(SSE, "data-sse", {"bucket": "data-dev", "rules": rules})]
    assert run_stack(validate_s3_encryption, resources) == []


def test_a_configuration_whose_bucket_is_unknown_and_unlinked_defers_the_judgement() -> None:
    resources = [
        bucket(),
        StackResource(SSE, "data-sse", {"bucket": UNKNOWN_STRING_VALUE, "rules": KMS_RULE}),
    ]
    assert run_stack(validate_s3_encryption, resources) == []


TABLE = "aws:dynamodb/table:Table"


def test_dynamodb_with_sse_switched_off_is_reported() -> None:
    [message] = run(
        validate_dynamodb_encryption, TABLE, {"serverSideEncryption": {"enabled": False}}, name="t"
    )
    assert message.startswith("t (aws:dynamodb:Table): sets serverSideEncryption.enabled to false")
    assert "Fix: set serverSideEncryption.enabled to true" in message


def test_dynamodb_default_or_enabled_sse_passes_without_config() -> None:
    assert run(validate_dynamodb_encryption, TABLE, {}) == []
    assert run(validate_dynamodb_encryption, TABLE, {"serverSideEncryption": {"enabled": True}}) == []
    assert (
        run(validate_dynamodb_encryption, "aws:sqs/queue:Queue", {"serverSideEncryption": {"enabled": False}})
        == []
    )


def test_dynamodb_requires_a_kms_key_when_config_asks() -> None:
    require = {"requireKmsKey": True}
    [message] = run(
        validate_dynamodb_encryption, TABLE, {"serverSideEncryption": {"enabled": True}}, config=require
    )
    assert "customer-managed KMS key" in message
    keyed = {
        "serverSideEncryption": {"enabled": True, "kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k"}
    }
    assert run(validate_dynamodb_encryption, TABLE, keyed, config=require) == []
    unknown = {"serverSideEncryption": {"enabled": True, "kmsKeyArn": UNKNOWN_STRING_VALUE}}
    assert run(validate_dynamodb_encryption, TABLE, unknown, config=require) == []
    with pytest.raises(config.ConfigError):
        run(validate_dynamodb_encryption, TABLE, {}, config={"requireKmsKey": "yes"})


@pytest.mark.parametrize(
    "key", ["alias/aws/dynamodb", "arn:aws:kms:us-east-1:123456789012:alias/aws/dynamodb"]
)
def test_dynamodb_aws_managed_key_is_not_the_customer_managed_key_config_asks_for(key: str) -> None:
    keyed = {"serverSideEncryption": {"enabled": True, "kmsKeyArn": key}}
    [message] = run(validate_dynamodb_encryption, TABLE, keyed, config={"requireKmsKey": True}, name="t")
    assert message.startswith(f"t (aws:dynamodb:Table): names the AWS-managed key '{key}'")
    assert run(validate_dynamodb_encryption, TABLE, keyed) == []
    own = {"serverSideEncryption": {"enabled": True, "kmsKeyArn": "alias/orders"}}
    assert run(validate_dynamodb_encryption, TABLE, own, config={"requireKmsKey": True}) == []


QUEUE = "aws:sqs/queue:Queue"


@pytest.mark.parametrize(
    "props",
    [
        {"sqsManagedSseEnabled": True},
        {"kmsMasterKeyId": "alias/aws/sqs"},
        {"sqsManagedSseEnabled": UNKNOWN_BOOLEAN_VALUE},
    ],
)
def test_encrypted_or_unknown_queues_pass(props: dict[str, Any]) -> None:
    assert run(validate_sqs_encryption, QUEUE, props) == []


def test_unencrypted_queue_is_reported_with_the_fix() -> None:
    [message] = run(validate_sqs_encryption, QUEUE, {"sqsManagedSseEnabled": False}, name="ingest")
    assert message == (
        "ingest (aws:sqs:Queue): is not encrypted at rest."
        " Fix: set sqsManagedSseEnabled to true, or kmsMasterKeyId to a KMS key."
    )
    assert run(validate_sqs_encryption, TABLE, {}) == []


def test_remediation_turns_on_sse_sqs_and_keeps_the_rest() -> None:
    fixed = remediate_sqs_encryption(
        resource_args(QUEUE, {"name": "q-dev", "sqsManagedSseEnabled": False}, proxy=False)
    )
    assert fixed == {"name": "q-dev", "sqsManagedSseEnabled": True}


def test_remediation_leaves_encrypted_queues_and_other_types_alone() -> None:
    assert remediate_sqs_encryption(resource_args(QUEUE, {"kmsMasterKeyId": "k"}, proxy=False)) is None
    assert remediate_sqs_encryption(resource_args(TABLE, {}, proxy=False)) is None


TOPIC = "aws:sns/topic:Topic"


def test_topic_needs_a_kms_key() -> None:
    [message] = run(validate_sns_encryption, TOPIC, {"name": "events-dev"}, name="events")
    assert message.startswith("events (aws:sns:Topic): is not encrypted at rest. Fix: set kmsMasterKeyId")
    assert run(validate_sns_encryption, TOPIC, {"kmsMasterKeyId": "alias/aws/sns"}) == []
    assert run(validate_sns_encryption, TOPIC, {"kmsMasterKeyId": UNKNOWN_STRING_VALUE}) == []
    assert run(validate_sns_encryption, QUEUE, {}) == []


FUNCTION = "aws:lambda/function:Function"
VARIABLES = {"environment": {"variables": {"TABLE": "t"}}}


def test_lambda_env_encryption_is_not_applicable_until_config_asks() -> None:
    with pytest.raises(NotApplicable):
        run(validate_lambda_env_encryption, FUNCTION, VARIABLES)
    assert run(validate_lambda_env_encryption, QUEUE, VARIABLES) == []


def test_lambda_env_vars_need_a_key_when_config_asks() -> None:
    require = {"requireKmsKey": True}
    [message] = run(validate_lambda_env_encryption, FUNCTION, VARIABLES, config=require, name="fn")
    assert message.startswith("fn (aws:lambda:Function): has environment variables encrypted only with")
    assert (
        run(validate_lambda_env_encryption, FUNCTION, {**VARIABLES, "kmsKeyArn": "arn:k"}, config=require)
        == []
    )
    assert run(validate_lambda_env_encryption, FUNCTION, {}, config=require) == []
    unknown = {"environment": {"variables": UNKNOWN_STRING_VALUE}}
    assert run(validate_lambda_env_encryption, FUNCTION, unknown, config=require) == []


BUCKET_V2 = "aws:s3/bucketV2:BucketV2"


def test_inline_encryption_in_the_bucket_v2_shape_passes() -> None:
    # BucketV2's inline input is a list of configurations whose rules carry a list of defaults.
    inline = [{"rules": [{"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "aws:kms"}]}]}]
    resource = StackResource(
        BUCKET_V2,
        "data",
        {"bucket": "data-dev", "serverSideEncryptionConfigurations": inline},
        depends={"serverSideEncryptionConfigurations": ["key"]},
    )
    assert run_stack(validate_s3_encryption, [StackResource("aws:kms/key:Key", "key", {}), resource]) == []


@pytest.mark.parametrize(
    "inline",
    [
        [{"rules": UNKNOWN_STRING_VALUE}],
        [{"rules": [{"applyServerSideEncryptionByDefaults": UNKNOWN_STRING_VALUE}]}],
        [{"rules": [{"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": UNKNOWN_STRING_VALUE}]}]}],
        UNKNOWN_STRING_VALUE,
    ],
    ids=["rules", "defaults", "algorithm", "whole-list"],
)
def test_bucket_v2_inline_encryption_not_known_yet_is_not_reported(inline: Any) -> None:
    resource = StackResource(
        BUCKET_V2,
        "data",
        {"bucket": "data-dev", "serverSideEncryptionConfigurations": inline},
        depends={"serverSideEncryptionConfigurations": ["key"]},
    )
    assert run_stack(validate_s3_encryption, [StackResource("aws:kms/key:Key", "key", {}), resource]) == []


@pytest.mark.parametrize(
    "inline",
    [
        [],
        [{"rules": []}],
        [{"rules": [{"bucketKeyEnabled": True, "applyServerSideEncryptionByDefaults": []}]}],
        [{"rules": [{"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": ""}]}]}],
    ],
    ids=["no-configuration", "no-rule", "no-default", "empty-algorithm"],
)
def test_bucket_v2_inline_configuration_without_an_algorithm_is_reported(inline: Any) -> None:
    resource = StackResource(
        BUCKET_V2, "data", {"bucket": "data-dev", "serverSideEncryptionConfigurations": inline}
    )
    [(message, _)] = run_stack(validate_s3_encryption, [resource])
    assert message.startswith("data (aws:s3:BucketV2): has no default server-side encryption.")
