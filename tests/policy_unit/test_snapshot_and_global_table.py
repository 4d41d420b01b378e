"""Stack policies for what pulumi-aws gives no setting of its own: cluster snapshots, legacy global tables."""

from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_ARRAY_VALUE, UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE

from envstack_policy.policies.database_encryption import validate_rds_cluster_snapshot_encryption
from envstack_policy.policies.recovery import validate_dynamodb_global_table_pitr

from .conftest import StackResource, run_stack

CLUSTER = "aws:rds/cluster:Cluster"
SNAPSHOT = "aws:rds/clusterSnapshot:ClusterSnapshot"
TABLE = "aws:dynamodb/table:Table"
GLOBAL_TABLE = "aws:dynamodb/globalTable:GlobalTable"


def _cluster(**props: Any) -> StackResource:
    return StackResource(
        CLUSTER, "reports", {"clusterIdentifier": "reports-dev", "engine": "aurora-postgresql", **props}
    )


def _snapshot(depends: dict[str, list[str]] | None = None, **props: Any) -> StackResource:
    return StackResource(SNAPSHOT, "snap", {"dbClusterIdentifier": "reports-dev", **props}, depends or {})


def test_a_snapshot_of_an_unencrypted_cluster_is_reported_on_the_snapshot() -> None:
    [(found, urn)] = run_stack(
        validate_rds_cluster_snapshot_encryption, [_cluster(storageEncrypted=False), _snapshot()]
    )
    assert urn == "urn:snap"
    assert found == (
        "snap (aws:rds:ClusterSnapshot): is a snapshot of cluster reports, which does not encrypt its"
        " storage, so the snapshot is not encrypted either. Fix: set storageEncrypted to true on the cluster"
        " it is taken of (an existing cluster is encrypted by restoring an encrypted copy of a snapshot), or"
        " encrypt a copy with an aws.rds.ClusterSnapshotCopy that sets kmsKeyId."
    )


@pytest.mark.parametrize(
    "cluster",
    [
        _cluster(),
        _cluster(storageEncrypted=UNKNOWN_BOOLEAN_VALUE),
        _cluster(engineMode="provisioned"),
    ],
    ids=["unset", "computed-at-preview", "provisioned"],
)
def test_a_cluster_left_unencrypted_makes_its_snapshots_unencrypted(cluster: StackResource) -> None:
    [(found, _)] = run_stack(validate_rds_cluster_snapshot_encryption, [cluster, _snapshot()])
    assert "is a snapshot of cluster reports, which does not encrypt its storage" in found


def test_a_snapshots_own_known_output_decides() -> None:
    [(found, _)] = run_stack(validate_rds_cluster_snapshot_encryption, [_snapshot(storageEncrypted=False)])
    assert found.startswith("snap (aws:rds:ClusterSnapshot): is not encrypted (storageEncrypted is false).")
    encrypted = _snapshot(storageEncrypted=True)
    assert (
        run_stack(validate_rds_cluster_snapshot_encryption, [_cluster(storageEncrypted=False), encrypted])
        == []
    )


def test_the_cluster_is_found_by_property_dependency_while_its_identifier_is_unknown() -> None:
    snapshot = _snapshot({"dbClusterIdentifier": ["reports"]}, dbClusterIdentifier=UNKNOWN_STRING_VALUE)
    [(found, _)] = run_stack(
        validate_rds_cluster_snapshot_encryption, [_cluster(storageEncrypted=False), snapshot]
    )
    assert "is a snapshot of cluster reports" in found


@pytest.mark.parametrize(
    ("resources"),
    [
        [_cluster(storageEncrypted=True), _snapshot()],
        [_cluster(engineMode="serverless"), _snapshot()],
        [
            StackResource("aws:ssm/parameter:Parameter", "mode", {"value": "serverless"}),
            StackResource(
                CLUSTER,
                "reports",
                {"clusterIdentifier": "reports-dev", "engineMode": UNKNOWN_STRING_VALUE},
                {"engineMode": ["mode"]},
            ),
            _snapshot(),
        ],
        [
            _cluster(replicationSourceIdentifier="arn:aws:rds:us-west-2:123456789012:cluster:source"),
            _snapshot(),
        ],
        [_cluster(storageEncrypted=False), _snapshot(dbClusterIdentifier="another-cluster")],
        [_snapshot()],
        [_snapshot(storageEncrypted=UNKNOWN_BOOLEAN_VALUE)],
        [
            StackResource(CLUSTER, "src", {"clusterIdentifier": "src", "storageEncrypted": True}),
            StackResource(
                CLUSTER,
                "reports",
                {"clusterIdentifier": "reports-dev", "replicationSourceIdentifier": UNKNOWN_STRING_VALUE},
                {"replicationSourceIdentifier": ["src"]},
            ),
            _snapshot(),
        ],
    ],
    ids=[
        "encrypted",
        "serverless-v1",
        "engine-mode-unknown",
        "replica-inherits",
        "cluster-of-another-stack",
        "no-cluster",
        "own-output-unknown",
        "source-unknown",
    ],
)
def test_encrypted_inherited_or_unknowable_snapshots_pass(resources: list[StackResource]) -> None:
    assert run_stack(validate_rds_cluster_snapshot_encryption, resources) == []


def _table(logical: str, pitr: Any, name: str = "orders-dev") -> StackResource:
    props: dict[str, Any] = {"name": name}
    if pitr is not None:
        props["pointInTimeRecovery"] = pitr
    return StackResource(TABLE, logical, props)


def _global(
    *regions: str, depends: dict[str, list[str]] | None = None, name: Any = "orders-dev"
) -> StackResource:
    return StackResource(
        GLOBAL_TABLE,
        "global",
        {"name": name, "replicas": [{"regionName": r} for r in regions]},
        depends or {},
    )


def test_a_global_table_whose_table_lacks_recovery_is_reported_naming_the_table() -> None:
    east = _table("east", {"enabled": True})
    west = _table("west", {"enabled": False})
    [(found, urn)] = run_stack(
        validate_dynamodb_global_table_pitr, [east, west, _global("us-east-1", "us-west-2")]
    )
    assert urn == "urn:global"
    assert found == (
        "global (aws:dynamodb:GlobalTable): is a legacy global table without recovery everywhere: its"
        " table west does not have point-in-time recovery on. Fix: declare each replica region's"
        " aws.dynamodb.Table of the same name in this stack with pointInTimeRecovery {'enabled': True}, or"
        " replace the legacy global table with the table's replicas input (version 2019.11.21), each"
        " replica with pointInTimeRecovery."
    )


@pytest.mark.parametrize(
    "pitr", [None, UNKNOWN_ARRAY_VALUE, {}], ids=["unset", "computed-at-preview", "no-flag"]
)
def test_a_table_left_without_recovery_counts_as_off(pitr: Any) -> None:
    [(found, _)] = run_stack(
        validate_dynamodb_global_table_pitr, [_table("east", pitr), _global("us-east-1")]
    )
    assert "its table east does not have point-in-time recovery on." in found


def test_replica_regions_without_a_table_in_the_stack_are_reported() -> None:
    east = _table("east", {"enabled": True})
    other = _table("other", {"enabled": True}, name="invoices-dev")
    [(found, _)] = run_stack(
        validate_dynamodb_global_table_pitr, [east, other, _global("us-east-1", "us-west-2")]
    )
    assert "it has 2 replica regions but the stack declares 1 table(s) of its name" in found
    [(found, _)] = run_stack(validate_dynamodb_global_table_pitr, [_global("us-east-1")])
    assert "it has 1 replica regions but the stack declares 0 table(s) of its name" in found


def test_the_tables_are_found_by_property_dependency_while_the_name_is_unknown() -> None:
    west = _table("west", {"enabled": False})
    found = run_stack(
        validate_dynamodb_global_table_pitr,
        [west, _global("us-west-2", depends={"name": ["west"]}, name=UNKNOWN_STRING_VALUE)],
    )
    assert len(found) == 1 and "its table west does not" in found[0][0]


@pytest.mark.parametrize(
    "resources",
    [
        [
            _table("east", {"enabled": True}),
            _table("west", {"enabled": True}),
            _global("us-east-1", "us-west-2"),
        ],
        [_table("east", {"enabled": UNKNOWN_BOOLEAN_VALUE}), _global("us-east-1")],
        [_table("east", {"enabled": True}), _global("us-east-1", name=UNKNOWN_STRING_VALUE)],
        [
            _table("east", {"enabled": False}),
            StackResource(GLOBAL_TABLE, "global", {"name": "orders-dev", "replicas": UNKNOWN_ARRAY_VALUE}),
        ],
        [
            _table("east", {"enabled": True}),
            StackResource(
                GLOBAL_TABLE,
                "global",
                {"name": "orders-dev", "replicas": [{"regionName": UNKNOWN_STRING_VALUE}]},
            ),
        ],
        [
            StackResource(TABLE, "east", {"name": UNKNOWN_STRING_VALUE}),
            _global("us-east-1", depends={"name": ["east"]}, name=UNKNOWN_STRING_VALUE),
        ],
        [_table("east", {"enabled": False})],
    ],
    ids=[
        "every-replica-recovers",
        "flag-unknown",
        "name-unknown",
        "replicas-unknown",
        "region-unknown",
        "table-name-unknown",
        "no-global-table",
    ],
)
def test_global_tables_that_recover_or_cant_be_known_yet_pass(resources: list[StackResource]) -> None:
    assert run_stack(validate_dynamodb_global_table_pitr, resources) == []
