"""The property names the new policies read exist in the installed pulumi-aws v7, in the shapes they read.

A policy that reads a misspelled or outdated property never fires, silently: this is how the BucketV2
false positive went unnoticed. These tests read the SDK through tools/aws_metadata.py and, for the
nested shapes, its source.
"""

import re

import pytest

from envstack_policy.policies.database_encryption import INHERITED_FROM
from envstack_policy.readers import tokens

from .aws_sdk import SDK_ROOT, input_names


def _sdk_property(source: str, camel: str) -> bool:
    """Whether an SDK module declares a property ``camel`` (a renamed getter, or a plain ``def`` one)."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", camel).lower()
    return f'@pulumi.getter(name="{camel}")' in source or f"def {snake}(self)" in source


@pytest.mark.parametrize(
    ("type_token", "props"),
    [
        *[(t, (prop,)) for t, prop in tokens.POLICY_ATTACHMENTS.items()],
        *[(t, (prop, "storageEncrypted")) for t, prop in INHERITED_FROM.items()],
        (tokens.RDS_CLUSTER, ("engineMode",)),
        (tokens.TABLE, ("pointInTimeRecovery",)),
        (tokens.TABLE_REPLICA, ("pointInTimeRecovery",)),
        (tokens.LOG_GROUP, ("retentionInDays",)),
        (tokens.ROLE, ("assumeRolePolicy",)),
        (tokens.SSO_INLINE_POLICY, ("inlinePolicy",)),
        (tokens.QUEUE, ("policy",)),
        (tokens.QUEUE_POLICY, ("policy",)),
        (tokens.TOPIC, ("policy",)),
        (tokens.TOPIC_POLICY, ("policy",)),
        (tokens.BUCKET_POLICY, ("policy",)),
        (tokens.LAMBDA_PERMISSION, ("principal", "sourceArn", "sourceAccount", "principalOrgId")),
        *[(t, ("acl", "accessControlPolicy")) for t in sorted(tokens.BUCKET_ACLS)],
        ("aws:s3/bucketV2:BucketV2", ("serverSideEncryptionConfigurations",)),
        ("aws:s3/bucket:Bucket", ("serverSideEncryptionConfiguration",)),
    ],
)
def test_each_property_a_policy_reads_is_an_output_of_its_type(
    type_token: str, props: tuple[str, ...]
) -> None:
    assert set(props) <= input_names(type_token), type_token


@pytest.mark.parametrize("module", ["bucket.py", "bucket_v2.py"])
def test_both_bucket_tokens_take_the_deprecated_inline_acl_grants_and_policy(module: str) -> None:
    source = (SDK_ROOT / "s3" / module).read_text(encoding="utf-8")
    for prop in ("acl", "grants", "policy"):
        assert _sdk_property(source, prop), (module, prop)


def test_the_nested_shapes_the_policies_walk_are_the_sdks() -> None:
    inputs = (SDK_ROOT / "s3" / "_inputs.py").read_text(encoding="utf-8")
    # Bucket: one rule with one default; BucketV2: lists of both.
    for camel in (
        "rule",
        "applyServerSideEncryptionByDefault",
        "rules",
        "applyServerSideEncryptionByDefaults",
    ):
        assert _sdk_property(inputs, camel), camel
    # Bucket grants carry uri and permissions; BucketAcl grants carry grantee.uri and permission.
    for camel in ("uri", "permissions", "grantee", "permission", "sseAlgorithm"):
        assert _sdk_property(inputs, camel), camel
