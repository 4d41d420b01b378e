"""Exposure, KMS, versioning, visibility-timeout and destroy-time policies, called directly."""

import json
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_NUMBER_VALUE, UNKNOWN_STRING_VALUE

from envstack_policy.policies.destroyability import validate_leaves_nothing
from envstack_policy.policies.event_sources import validate_visibility_timeout
from envstack_policy.policies.exposure import (
    validate_lambda_env_secrets,
    validate_lambda_service_permission,
    validate_lambda_url_auth,
    validate_rds_public,
    validate_rds_snapshot_public,
    validate_s3_access_point_public,
)
from envstack_policy.policies.kms import validate_kms_key_rotation
from envstack_policy.policies.resource_policies import validate_kms_public_policy
from envstack_policy.policies.versioning import validate_s3_versioning

from .conftest import StackResource, run, run_stack

INSTANCE = "aws:rds/instance:Instance"
CLUSTER = "aws:rds/cluster:Cluster"
CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
PERMISSION = "aws:lambda/permission:Permission"
URL = "aws:lambda/functionUrl:FunctionUrl"
KEY = "aws:kms/key:Key"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
QUEUE = "aws:sqs/queue:Queue"
FUNCTION = "aws:lambda/function:Function"
MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping"


@pytest.mark.parametrize("token", [INSTANCE, CLUSTER_INSTANCE])
def test_a_publicly_accessible_database_is_reported(token: str) -> None:
    [found] = run(validate_rds_public, token, {"publiclyAccessible": True}, name="db")
    assert "reachable from the internet" in found and found.endswith(
        "Fix: set publiclyAccessible to false and reach the database from inside its VPC."
    )
    assert run(validate_rds_public, token, {"publiclyAccessible": False}) == []
    assert run(validate_rds_public, QUEUE, {"publiclyAccessible": True}) == []


def test_a_function_url_without_authorization_is_reported() -> None:
    [found] = run(validate_lambda_url_auth, URL, {"authorizationType": "NONE"}, name="u")
    assert found.startswith("u (aws:lambda:FunctionUrl): has authorizationType NONE")
    assert "Fix: set authorizationType to AWS_IAM" in found
    assert run(validate_lambda_url_auth, URL, {"authorizationType": "AWS_IAM"}) == []
    assert run(validate_lambda_url_auth, PERMISSION, {"authorizationType": "NONE"}) == []


@pytest.mark.parametrize(
    ("props", "reported"),
    [
        ({"principal": "s3.amazonaws.com"}, True),
        ({"principal": "events.amazonaws.com", "sourceArn": ""}, True),
        ({"principal": "s3.amazonaws.com", "sourceArn": "arn:aws:s3:::b"}, False),
        ({"principal": "s3.amazonaws.com", "sourceAccount": "123456789012"}, False),
        ({"principal": "s3.amazonaws.com", "sourceArn": UNKNOWN_STRING_VALUE}, False),
        ({"principal": "*"}, False),
        ({"principal": "123456789012"}, False),
        ({"principal": UNKNOWN_STRING_VALUE}, False),
    ],
    ids=["s3", "events-empty-arn", "arn", "account", "arn-unknown", "anyone", "account-principal", "unknown"],
)
def test_a_service_permission_needs_a_source(props: dict[str, Any], reported: bool) -> None:
    found = run(validate_lambda_service_permission, PERMISSION, props, name="p")
    assert bool(found) is reported
    if reported:
        assert "on behalf of any account's resources" in found[0] and "Fix: set sourceArn" in found[0]
    assert run(validate_lambda_service_permission, URL, props) == []


@pytest.mark.parametrize(
    ("props", "reported"),
    [
        ({}, True),
        ({"enableKeyRotation": False}, True),
        ({"enableKeyRotation": False, "customerMasterKeySpec": "SYMMETRIC_DEFAULT"}, True),
        ({"enableKeyRotation": True}, False),
        ({"enableKeyRotation": UNKNOWN_BOOLEAN_VALUE}, False),
        ({"customerMasterKeySpec": "RSA_2048"}, False),
    ],
    ids=["default", "off", "symmetric-off", "on", "unknown", "asymmetric"],
)
def test_symmetric_keys_rotate(props: dict[str, Any], reported: bool) -> None:
    found = run(validate_kms_key_rotation, KEY, props, name="k")
    assert bool(found) is reported
    if reported:
        assert found[0].endswith("Fix: set enableKeyRotation to true.")
    assert run(validate_kms_key_rotation, QUEUE, props) == []


def test_a_key_policy_open_to_anyone_is_reported() -> None:
    open_policy = json.dumps(
        {
            "Statement": [
                {"Sid": "Any", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}
            ]
        }
    )
    [found] = run(validate_kms_public_policy, KEY, {"policy": open_policy}, name="k")
    assert "to use the key without a condition" in found
    [found] = run(
        validate_kms_public_policy, "aws:kms/keyPolicy:KeyPolicy", {"policy": open_policy}, name="kp"
    )
    assert found.startswith("kp (aws:kms:KeyPolicy)")


def _bucket(token: str = BUCKET, **props: Any) -> StackResource:
    return StackResource(token, "data", {"bucket": "data-dev", **props})


def _versioning(status: Any, bucket: Any = "data-dev") -> StackResource:
    return StackResource(VERSIONING, "ver", {"bucket": bucket, "versioningConfiguration": {"status": status}})


@pytest.mark.parametrize(
    ("resources", "reported"),
    [
        ([_bucket()], True),
        ([_bucket(), _versioning("Suspended")], True),
        ([_bucket(versioning={"enabled": False})], True),
        ([_bucket(), _versioning("Enabled")], False),
        ([_bucket(versioning={"enabled": True})], False),
        ([_bucket(BUCKET_V2, versionings=[{"enabled": True}])], False),
        ([_bucket(versioning={"enabled": UNKNOWN_BOOLEAN_VALUE})], False),
        ([_bucket(), _versioning(UNKNOWN_STRING_VALUE)], False),
        ([_bucket(), _versioning("Enabled", bucket=UNKNOWN_STRING_VALUE)], False),
    ],
    ids=["none", "suspended", "inline-off", "enabled", "inline-on", "v2-inline", "inline-unknown",
         "status-unknown", "unresolved"],
)  # fmt: skip
def test_buckets_are_versioned(resources: list[StackResource], reported: bool) -> None:
    found = run_stack(validate_s3_versioning, resources)
    assert bool(found) is reported
    if reported:
        message, urn = found[0]
        assert message.startswith("data (aws:s3:Bucket): does not have versioning enabled")
        assert urn == "urn:data"


def test_a_bucket_whose_inline_versioning_comes_from_another_resource_is_not_judged_yet() -> None:
    bucket = StackResource(BUCKET, "data", {"bucket": "data-dev", "versioning": UNKNOWN_STRING_VALUE},
                           depends={"versioning": ["other"]})  # fmt: skip
    other = StackResource(QUEUE, "other", {})
    assert run_stack(validate_s3_versioning, [bucket, other]) == []


def _feed(visibility: Any = None, timeout: Any = None, *, source: str = "arn:q") -> list[StackResource]:
    queue = {"arn": "arn:q", **({} if visibility is None else {"visibilityTimeoutSeconds": visibility})}
    function = {"name": "fn-dev", "arn": "arn:f", **({} if timeout is None else {"timeout": timeout})}
    return [
        StackResource(QUEUE, "q", queue),
        StackResource(FUNCTION, "fn", function),
        StackResource(MAPPING, "m", {"eventSourceArn": source, "functionName": "arn:f"}),
    ]


@pytest.mark.parametrize(
    ("resources", "reported"),
    [
        (_feed(30, 300), True),
        (_feed(None, 60), True),
        (_feed(300, 300), False),
        (_feed(), False),
        (_feed(1800, UNKNOWN_NUMBER_VALUE), False),
        (_feed(30, 300, source="arn:other"), False),
    ],
    ids=["shorter", "default-visibility", "equal", "defaults", "computed-timeout", "other-queue"],
)
def test_a_queue_is_invisible_as_long_as_its_function_runs(
    resources: list[StackResource], reported: bool
) -> None:
    found = run_stack(validate_visibility_timeout, resources)
    assert bool(found) is reported
    if reported:
        message, urn = found[0]
        assert message.startswith("q (aws:sqs:Queue): has a visibility timeout of")
        assert (
            "so AWS rejects the event source mapping" in message
            and "Fix: set visibilityTimeoutSeconds" in message
        )
        assert urn == "urn:q"


def test_a_timeout_from_another_resource_is_not_judged_yet() -> None:
    queue, function, mapping = _feed(30)
    props = {"name": "fn-dev", "arn": "arn:f", "timeout": UNKNOWN_NUMBER_VALUE}
    function = StackResource(FUNCTION, "fn", props, depends={"timeout": ["q"]})
    assert run_stack(validate_visibility_timeout, [queue, function, mapping]) == []


@pytest.mark.parametrize(
    ("token", "props", "problem"),
    [
        ("aws:cloudwatch/logGroup:LogGroup", {"skipDestroy": True}, "sets skipDestroy"),
        ("aws:lambda/layerVersion:LayerVersion", {"skipDestroy": "true"}, "sets skipDestroy"),
        (INSTANCE, {}, "does not set skipFinalSnapshot"),
        (CLUSTER, {"skipFinalSnapshot": False}, "does not set skipFinalSnapshot"),
        (INSTANCE, {"skipFinalSnapshot": True, "deleteAutomatedBackups": False}, "Backups to false"),
        (INSTANCE, {"skipFinalSnapshot": True, "deleteAutomatedBackups": "false"}, "Backups to false"),
        (KEY, {}, "pending deletion"),
        (KEY, {"deletionWindowInDays": 30}, "pending deletion"),
    ],
    ids=["log-skip", "layer-skip", "rds-default", "cluster-off", "backups-kept", "backups-kept-text",
         "key-default", "key-30"],
)  # fmt: skip
def test_what_destroy_would_leave_behind_is_reported(token: str, props: dict[str, Any], problem: str) -> None:
    [found] = run(validate_leaves_nothing, token, props, name="r")
    assert problem in found and "Fix: " in found


@pytest.mark.parametrize(
    ("token", "props"),
    [
        ("aws:cloudwatch/logGroup:LogGroup", {"skipDestroy": False}),
        (INSTANCE, {"skipFinalSnapshot": True}),
        (INSTANCE, {"skipFinalSnapshot": True, "deleteAutomatedBackups": True}),
        (INSTANCE, {"skipFinalSnapshot": UNKNOWN_BOOLEAN_VALUE}),
        (KEY, {"deletionWindowInDays": 7}),
        (KEY, {"deletionWindowInDays": UNKNOWN_NUMBER_VALUE}),
        (QUEUE, {"skipDestroy": True}),
    ],
    ids=["log-kept", "rds-skip", "backups-deleted", "rds-unknown", "key-7", "key-unknown", "not-listed"],
)
def test_destroyable_settings_pass(token: str, props: dict[str, Any]) -> None:
    assert run(validate_leaves_nothing, token, props) == []


@pytest.mark.parametrize(
    ("variables", "reported"),
    [
        ({"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE"}, ["AWS_ACCESS_KEY_ID"]),
        ({"KEY": "id AKIAIOSFODNN7EXAMPLE"}, ["KEY"]),
        ({"DB_PASSWORD": "hunter2hunter2", "API_KEY": "0123456789abcdef"}, ["API_KEY", "DB_PASSWORD"]),
        ({"DB_PASSWORD": "short"}, []),
        ({"DB_PASSWORD_ARN": "arn:aws:secretsmanager:us-east-1:1:secret:db"}, []),
        ({"TOKEN_PARAMETER": "/envstack/dev/token"}, []),
        ({"TABLE_NAME": "envstack-metadata-dev", "COUNT": 3}, []),
        ({"DB_PASSWORD": UNKNOWN_STRING_VALUE}, []),
    ],
    ids=["access-key", "embedded-key", "named", "too-short", "arn", "parameter-path", "plain", "unknown"],
)
def test_credentials_in_function_environment_variables_are_reported(
    variables: dict[str, Any], reported: list[str]
) -> None:
    found = run(validate_lambda_env_secrets, FUNCTION, {"environment": {"variables": variables}}, name="fn")
    if reported:
        [message] = found
        assert (
            f"environment variable(s) {', '.join(reported)}," in message and "Fix: keep the secret" in message
        )
    else:
        assert found == []


def test_functions_without_variables_and_other_types_are_not_judged() -> None:
    assert run(validate_lambda_env_secrets, FUNCTION, {}) == []
    assert (
        run(validate_lambda_env_secrets, FUNCTION, {"environment": {"variables": UNKNOWN_STRING_VALUE}}) == []
    )
    assert (
        run(validate_lambda_env_secrets, QUEUE, {"environment": {"variables": {"X": "AKIAIOSFODNN7EXAMPLE"}}})
        == []
    )


SNAPSHOTS = [
    "aws:rds/snapshot:Snapshot",
    "aws:rds/snapshotCopy:SnapshotCopy",
    "aws:rds/clusterSnapshot:ClusterSnapshot",
    "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy",
]


@pytest.mark.parametrize("token", SNAPSHOTS)
def test_a_snapshot_shared_with_all_is_reported(token: str) -> None:
    [found] = run(validate_rds_snapshot_public, token, {"sharedAccounts": ["123456789012", "ALL"]}, name="s")
    assert "shares the snapshot with 'all'" in found
    assert "Fix: list the account IDs" in found


@pytest.mark.parametrize(
    "props",
    [{"sharedAccounts": ["123456789012"]}, {"sharedAccounts": [UNKNOWN_STRING_VALUE]}, {}],
    ids=["named", "unknown", "unshared"],
)
def test_a_snapshot_shared_with_named_accounts_or_none_passes(props: dict[str, Any]) -> None:
    assert run(validate_rds_snapshot_public, SNAPSHOTS[0], props) == []
    assert run(validate_rds_snapshot_public, INSTANCE, {"sharedAccounts": ["all"]}) == []


ACCESS_POINT = "aws:s3/accessPoint:AccessPoint"
ALL_ON = dict.fromkeys(
    ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"), True
)


def test_an_access_point_with_a_public_access_flag_off_is_reported() -> None:
    block = {**ALL_ON, "restrictPublicBuckets": False, "blockPublicPolicy": False}
    props = {"bucket": "b-dev", "publicAccessBlockConfiguration": block}
    [found] = run(validate_s3_access_point_public, ACCESS_POINT, props, name="ap")
    assert "turns blockPublicPolicy, restrictPublicBuckets off" in found
    assert "Fix: leave publicAccessBlockConfiguration unset" in found


@pytest.mark.parametrize(
    "props",
    [
        {"publicAccessBlockConfiguration": ALL_ON},
        {"publicAccessBlockConfiguration": {"blockPublicAcls": True}},
        {"publicAccessBlockConfiguration": {**ALL_ON, "blockPublicPolicy": UNKNOWN_BOOLEAN_VALUE}},
        {},
    ],
    ids=["all-on", "defaults", "unknown", "unset"],
)
def test_an_access_point_that_keeps_the_defaults_passes(props: dict[str, Any]) -> None:
    assert run(validate_s3_access_point_public, ACCESS_POINT, {"bucket": "b-dev", **props}) == []
    assert (
        run(
            validate_s3_access_point_public,
            BUCKET,
            {"publicAccessBlockConfiguration": {"blockPublicAcls": False}},
        )
        == []
    )
