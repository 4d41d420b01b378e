"""Inputs the way programs really pass them: plain, secret, or another resource's output.

A program in any language may pass ``kms_key_arn=key.arn`` or
``notification_email=config.require_secret(...)``; the engine then sends an
output value or a secret, not a plain string. These inputs are declared as
``Input[str]`` and checked when they resolve; a plain value is still checked
before anything registers.
"""

from envstack_provider.component import TYPE_TOKEN
from envstack_testkit.provider_harness import ProviderProcess, construct
from envstack_testkit.wire_values import UNKNOWN, output_value, secret

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_URN = "urn:pulumi:dev::pulumi-infra::aws:kms/key:Key::data-key"


def test_plain_kms_key_arn_encrypts_bucket_and_table_and_is_granted(provider: ProviderProcess) -> None:
    outcome = construct(provider, TYPE_TOKEN, "envstack", {"environment": "prod", "kmsKeyArn": KEY_ARN})
    assert outcome.one("aws:dynamodb/table:Table").inputs["serverSideEncryption"] == {
        "enabled": True,
        "kmsKeyArn": KEY_ARN,
    }
    encryption = outcome.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs["rules"][0]
    assert encryption["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "aws:kms",
        "kmsMasterKeyId": KEY_ARN,
    }
    assert encryption["bucketKeyEnabled"] is True
    assert KEY_ARN in outcome.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"]


def test_kms_key_arn_from_another_resource_is_used_and_depended_on(provider: ProviderProcess) -> None:
    inputs = {"environment": "prod", "kmsKeyArn": output_value(KEY_ARN, dependencies=(KEY_URN,))}
    outcome = construct(provider, TYPE_TOKEN, "envstack", inputs, dry_run=False)
    table = outcome.one("aws:dynamodb/table:Table")
    assert table.inputs["serverSideEncryption"]["kmsKeyArn"] == KEY_ARN
    assert KEY_URN in table.dependencies


def test_kms_key_arn_unknown_in_preview_still_previews_the_stack(provider: ProviderProcess) -> None:
    inputs = {"environment": "prod", "kmsKeyArn": output_value(dependencies=(KEY_URN,))}
    outcome = construct(provider, TYPE_TOKEN, "envstack", inputs, unknowns_in_preview=True)
    assert outcome.one("aws:dynamodb/table:Table").inputs["serverSideEncryption"]["kmsKeyArn"] is UNKNOWN


def test_secret_notification_email_is_subscribed(provider: ProviderProcess) -> None:
    inputs = {"environment": "dev", "notificationEmail": secret("team@example.com")}
    outcome = construct(provider, TYPE_TOKEN, "envstack", inputs)
    assert outcome.one("aws:sns/topicSubscription:TopicSubscription").inputs["endpoint"] == "team@example.com"
