"""IAM database authentication called directly: RDS instances and clusters."""

from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE

from envstack_policy.policies.database_auth import validate_rds_iam_auth

from .conftest import run

INSTANCE = "aws:rds/instance:Instance"
CLUSTER = "aws:rds/cluster:Cluster"


@pytest.mark.parametrize(
    ("token", "props", "shown"),
    [
        (INSTANCE, {"engine": "postgres"}, "aws:rds:Instance"),
        (INSTANCE, {"engine": "mysql", "iamDatabaseAuthenticationEnabled": False}, "aws:rds:Instance"),
        (INSTANCE, {"engine": "mariadb"}, "aws:rds:Instance"),
        (CLUSTER, {"engine": "aurora-postgresql"}, "aws:rds:Cluster"),
        (CLUSTER, {"engine": "aurora-mysql", "engineMode": "provisioned"}, "aws:rds:Cluster"),
    ],
    ids=["postgres", "mysql-off", "mariadb", "aurora-postgresql", "aurora-mysql-provisioned"],
)
def test_a_database_without_iam_authentication_is_reported(
    token: str, props: dict[str, Any], shown: str
) -> None:
    [found] = run(validate_rds_iam_auth, token, props, name="db")
    assert found.startswith(f"db ({shown}): does not set iamDatabaseAuthenticationEnabled")
    assert "Fix: set iamDatabaseAuthenticationEnabled to true" in found


@pytest.mark.parametrize(
    ("token", "props"),
    [
        (INSTANCE, {"engine": "postgres", "iamDatabaseAuthenticationEnabled": True}),
        (INSTANCE, {"engine": "postgres", "iamDatabaseAuthenticationEnabled": UNKNOWN_BOOLEAN_VALUE}),
        (INSTANCE, {"engine": "sqlserver-ex"}),
        (INSTANCE, {"replicateSourceDb": "orders-dev"}),
        (CLUSTER, {"engine": "aurora-postgresql", "iamDatabaseAuthenticationEnabled": True}),
        (CLUSTER, {"engine": "aurora-mysql", "engineMode": "serverless"}),
        ("aws:rds/globalCluster:GlobalCluster", {"engine": "aurora-postgresql"}),
    ],
    ids=[
        "enabled",
        "unknown",
        "sqlserver",
        "replica-without-engine",
        "cluster-enabled",
        "serverless-v1",
        "global",
    ],
)
def test_enabled_unknown_or_unsupported_databases_pass(token: str, props: dict[str, Any]) -> None:
    assert run(validate_rds_iam_auth, token, props) == []
