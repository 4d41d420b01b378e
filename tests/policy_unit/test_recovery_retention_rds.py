"""DynamoDB point-in-time recovery, log retention and RDS storage encryption, called directly."""

from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_NUMBER_VALUE, UNKNOWN_STRING_VALUE

from envstack_policy.policies.database_encryption import validate_rds_storage_encryption
from envstack_policy.policies.recovery import validate_dynamodb_pitr
from envstack_policy.policies.retention import validate_log_retention
from envstack_policy.readers.messages import short

from .conftest import run

TABLE = "aws:dynamodb/table:Table"
REPLICA = "aws:dynamodb/tableReplica:TableReplica"


@pytest.mark.parametrize(
    ("token", "props", "fix"),
    [
        (TABLE, {}, "Fix: set pointInTimeRecovery to {'enabled': True}."),
        (
            TABLE,
            {"pointInTimeRecovery": {"enabled": False}},
            "Fix: set pointInTimeRecovery to {'enabled': True}.",
        ),
        (REPLICA, {"pointInTimeRecovery": False}, "Fix: set pointInTimeRecovery to true."),
    ],
    ids=["table-default", "table-off", "replica-off"],
)
def test_tables_without_point_in_time_recovery_are_reported(
    token: str, props: dict[str, Any], fix: str
) -> None:
    [message] = run(validate_dynamodb_pitr, token, props, name="t")
    assert message.startswith(f"t ({short(token)}): does not have point-in-time")
    assert message.endswith(fix)


@pytest.mark.parametrize(
    ("token", "props"),
    [
        (TABLE, {"pointInTimeRecovery": {"enabled": True}}),
        (TABLE, {"pointInTimeRecovery": {"enabled": UNKNOWN_BOOLEAN_VALUE}}),
        (TABLE, {"pointInTimeRecovery": UNKNOWN_STRING_VALUE}),
        (REPLICA, {"pointInTimeRecovery": True}),
        (REPLICA, {"pointInTimeRecovery": UNKNOWN_BOOLEAN_VALUE}),
        ("aws:sqs/queue:Queue", {}),
    ],
    ids=["on", "unknown-flag", "unknown-block", "replica-on", "replica-unknown", "other-type"],
)
def test_tables_with_recovery_on_or_not_known_yet_pass(token: str, props: dict[str, Any]) -> None:
    assert run(validate_dynamodb_pitr, token, props) == []


LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


@pytest.mark.parametrize(
    "props", [{}, {"retentionInDays": 0}, {"retentionInDays": None}, {"retentionInDays": True}]
)
def test_log_groups_that_keep_events_forever_are_reported(props: dict[str, Any]) -> None:
    [message] = run(validate_log_retention, LOG_GROUP, props, name="/aws/lambda/fn-dev")
    assert message == (
        "/aws/lambda/fn-dev (aws:cloudwatch:LogGroup): keeps its log events forever (no retentionInDays)."
        " Fix: set retentionInDays to one of the periods CloudWatch Logs accepts, e.g. 30 or 365."
    )


def test_log_groups_with_retention_or_not_known_yet_pass() -> None:
    assert run(validate_log_retention, LOG_GROUP, {"retentionInDays": 30}) == []
    assert run(validate_log_retention, LOG_GROUP, {"retentionInDays": 7.0}) == []
    assert run(validate_log_retention, LOG_GROUP, {"retentionInDays": UNKNOWN_NUMBER_VALUE}) == []
    assert run(validate_log_retention, "aws:sqs/queue:Queue", {}) == []


INSTANCE = "aws:rds/instance:Instance"
CLUSTER = "aws:rds/cluster:Cluster"
GLOBAL = "aws:rds/globalCluster:GlobalCluster"


@pytest.mark.parametrize(
    ("token", "props"),
    [
        (INSTANCE, {"engine": "postgres"}),
        (INSTANCE, {"engine": "postgres", "storageEncrypted": False}),
        (CLUSTER, {"engine": "aurora-postgresql"}),
        (CLUSTER, {"engine": "aurora-mysql", "engineMode": "provisioned", "storageEncrypted": False}),
        (GLOBAL, {"engine": "aurora-postgresql"}),
    ],
    ids=["instance-default", "instance-off", "aurora-default", "aurora-off", "global-default"],
)
def test_unencrypted_databases_are_reported(token: str, props: dict[str, Any]) -> None:
    [message] = run(validate_rds_storage_encryption, token, props, name="db")
    assert message.startswith(f"db ({short(token)}): does not encrypt its storage at rest.")
    assert "Fix: set storageEncrypted to true" in message


@pytest.mark.parametrize(
    ("token", "props"),
    [
        (INSTANCE, {"storageEncrypted": True}),
        (INSTANCE, {"storageEncrypted": UNKNOWN_BOOLEAN_VALUE}),
        (INSTANCE, {"replicateSourceDb": "orders-dev"}),
        (INSTANCE, {"replicateSourceDb": UNKNOWN_STRING_VALUE}),
        (CLUSTER, {"engine": "aurora-mysql", "engineMode": "serverless"}),
        (CLUSTER, {"engine": "aurora-mysql", "engineMode": UNKNOWN_STRING_VALUE}),
        (CLUSTER, {"replicationSourceIdentifier": "arn:aws:rds:us-west-2:1:cluster:orders"}),
        (GLOBAL, {"sourceDbClusterIdentifier": "arn:aws:rds:us-east-1:1:cluster:orders"}),
        (GLOBAL, {"storageEncrypted": True}),
        ("aws:docdb/cluster:Cluster", {}),
    ],
    ids=[
        "encrypted",
        "unknown",
        "replica",
        "unknown-replica",
        "serverless-v1",
        "unknown-mode",
        "replica-cluster",
        "from-cluster",
        "global-encrypted",
        "other-type",
    ],
)
def test_encrypted_inherited_or_not_known_yet_databases_pass(token: str, props: dict[str, Any]) -> None:
    assert run(validate_rds_storage_encryption, token, props) == []
