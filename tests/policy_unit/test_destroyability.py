"""Destroyability policies called directly: protect, forceDestroy, Object Lock, protection flags."""

from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE

from envstack_policy.policies.destroyability import (
    PROTECTION_FLAGS,
    remediate_force_destroy,
    validate_deletion_protection,
    validate_dynamodb_deletion_protection,
    validate_force_destroy,
    validate_no_object_lock,
    validate_no_protect,
)

from .conftest import resource_args, run

BUCKET = "aws:s3/bucket:Bucket"


def test_protected_resources_are_reported_whatever_their_type() -> None:
    [message] = run(validate_no_protect, "random:index/randomId:RandomId", {}, name="id", protect=True)
    assert message.startswith("id (random:index:RandomId): has the protect option set")
    assert "Fix: remove protect=True" in message
    assert run(validate_no_protect, BUCKET, {}, protect=False) == []


@pytest.mark.parametrize("props", [{}, {"forceDestroy": False}])
def test_buckets_without_force_destroy_are_reported(props: dict[str, Any]) -> None:
    [message] = run(validate_force_destroy, BUCKET, props, name="data")
    assert message == (
        "data (aws:s3:Bucket): does not set forceDestroy, so destroy fails while the bucket holds objects."
        " Fix: set forceDestroy to true."
    )


def test_force_destroy_on_unknown_or_other_types_passes() -> None:
    assert run(validate_force_destroy, BUCKET, {"forceDestroy": True}) == []
    assert run(validate_force_destroy, "aws:s3/bucketV2:BucketV2", {"forceDestroy": True}) == []
    assert run(validate_force_destroy, BUCKET, {"forceDestroy": UNKNOWN_BOOLEAN_VALUE}) == []
    assert run(validate_force_destroy, "aws:sqs/queue:Queue", {}) == []


def test_remediation_sets_force_destroy_only_where_missing() -> None:
    fixed = remediate_force_destroy(resource_args(BUCKET, {"bucket": "b-dev"}, proxy=False))
    assert fixed == {"bucket": "b-dev", "forceDestroy": True}
    assert remediate_force_destroy(resource_args(BUCKET, {"forceDestroy": True}, proxy=False)) is None


@pytest.mark.parametrize(
    ("type_token", "props"),
    [
        (BUCKET, {"objectLockEnabled": True}),
        (BUCKET, {"objectLockConfiguration": {"objectLockEnabled": "Enabled"}}),
        ("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", {"bucket": "b"}),
        ("aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2", {"bucket": "b"}),
    ],
)
def test_object_lock_in_any_form_is_reported(type_token: str, props: dict[str, Any]) -> None:
    [message] = run(validate_no_object_lock, type_token, props, name="lock")
    assert "turns on S3 Object Lock" in message
    assert "Fix: remove objectLockEnabled" in message


def test_buckets_without_object_lock_pass() -> None:
    assert run(validate_no_object_lock, BUCKET, {"objectLockEnabled": False}) == []
    assert run(validate_no_object_lock, "aws:sqs/queue:Queue", {"objectLockEnabled": True}) == []


def test_dynamodb_deletion_protection_is_reported_on_tables_and_replicas() -> None:
    for type_token in ("aws:dynamodb/table:Table", "aws:dynamodb/tableReplica:TableReplica"):
        [message] = run(
            validate_dynamodb_deletion_protection, type_token, {"deletionProtectionEnabled": True}
        )
        assert "Fix: set deletionProtectionEnabled to false." in message
    assert (
        run(
            validate_dynamodb_deletion_protection,
            "aws:dynamodb/table:Table",
            {"deletionProtectionEnabled": False},
        )
        == []
    )
    assert (
        run(
            validate_dynamodb_deletion_protection,
            "aws:rds/instance:Instance",
            {"deletionProtectionEnabled": True},
        )
        == []
    )


@pytest.mark.parametrize(
    ("type_token", "props", "shown"),
    [
        ("aws:rds/instance:Instance", {"deletionProtection": True}, "deletionProtection set to True"),
        (
            "aws:cognito/userPool:UserPool",
            {"deletionProtection": "ACTIVE"},
            "deletionProtection set to 'ACTIVE'",
        ),
        ("aws:ec2/instance:Instance", {"disableApiTermination": True}, "disableApiTermination set to True"),
        ("aws:qldb/ledger:Ledger", {}, "deletionProtection left unset (AWS defaults it on)"),
    ],
)
def test_known_protection_flags_are_reported(type_token: str, props: dict[str, Any], shown: str) -> None:
    [message] = run(validate_deletion_protection, type_token, props, name="db")
    assert f"has {shown}, so destroy fails." in message
    assert "Fix: set " in message


@pytest.mark.parametrize(
    ("type_token", "props"),
    [
        ("aws:rds/instance:Instance", {}),
        ("aws:rds/instance:Instance", {"deletionProtection": False}),
        ("aws:rds/instance:Instance", {"deletionProtection": UNKNOWN_BOOLEAN_VALUE}),
        ("aws:rds/instance:Instance", {"deletionProtection": {"odd": "shape"}}),
        ("aws:qldb/ledger:Ledger", {"deletionProtection": False}),
        ("aws:cognito/userPool:UserPool", {"deletionProtection": "INACTIVE"}),
        ("aws:sqs/queue:Queue", {"deletionProtection": True}),
    ],
)
def test_protection_off_unknown_or_unknown_types_pass(type_token: str, props: dict[str, Any]) -> None:
    assert run(validate_deletion_protection, type_token, props) == []


def test_every_protection_flag_is_an_input_of_its_pulumi_aws_type() -> None:
    from .aws_sdk import input_names

    for type_token, flag in PROTECTION_FLAGS.items():
        assert flag.prop in input_names(type_token), type_token
