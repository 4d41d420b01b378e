"""Encryption at rest for RDS instances, Aurora and RDS clusters, and global clusters.

The pack already knows these types, for deletion protection; it also asks
that their storage be encrypted. ``storageEncrypted`` defaults to false for
all of them except Aurora Serverless v1 (``engineMode: serverless``), which
is always encrypted. A read replica, a cross-region replica cluster and a
global cluster made from an existing cluster take their encryption from
their source, which is judged where it is declared, so they are skipped.

A manual cluster snapshot (``rds.ClusterSnapshot``) has no encryption input
at all: pulumi-aws offers ``storageEncrypted`` and ``kmsKeyId`` only as
outputs, which AWS copies from the cluster the snapshot is taken of. So
``envstack-rds-cluster-snapshot-encryption`` judges the snapshot by that
cluster when the stack declares it (a stack policy), and by the snapshot's
own ``storageEncrypted`` once it is known (after the snapshot exists).
"""

from collections.abc import Mapping
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from .. import compliance
from ..readers import tokens
from ..readers.links import link, of_types
from ..readers.messages import message
from ..readers.values import UNKNOWN, lookup, output, truthy

INHERITED_FROM: Final[Mapping[str, str]] = {
    tokens.RDS_INSTANCE: "replicateSourceDb",
    tokens.RDS_CLUSTER: "replicationSourceIdentifier",
    tokens.RDS_GLOBAL_CLUSTER: "sourceDbClusterIdentifier",
}
"""Each type, with the input that makes it a copy whose encryption follows its source."""


def _encrypted_by_default(args: ResourceValidationArgs) -> Any:
    """Aurora Serverless v1 clusters are always encrypted; ``UNKNOWN`` when the engine mode is not known."""
    if args.resource_type != tokens.RDS_CLUSTER:
        return False
    mode = lookup(args.props, "engineMode")
    return mode if mode is UNKNOWN else mode == "serverless"


def validate_rds_storage_encryption(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """The database's storage is encrypted, unless it inherits its encryption from a source."""
    source_input = INHERITED_FROM.get(args.resource_type)
    if source_input is None:
        return
    source = lookup(args.props, source_input)
    encrypted = lookup(args.props, "storageEncrypted")
    if source is UNKNOWN or source or encrypted is UNKNOWN or truthy(encrypted):
        return
    default = _encrypted_by_default(args)
    if default is UNKNOWN or default:
        return
    report_violation(
        message(
            args.name,
            args.resource_type,
            "does not encrypt its storage at rest.",
            "set storageEncrypted to true (and kmsKeyId to a customer-managed key if you need one); an"
            " existing database is encrypted by restoring an encrypted copy of its snapshot.",
        ),
        None,
    )


rds_storage_encryption = ResourceValidationPolicy(
    name="envstack-rds-storage-encryption",
    **compliance.of("envstack-rds-storage-encryption"),
    description="RDS instances, Aurora and RDS clusters and global clusters encrypt their storage.",
    validate=validate_rds_storage_encryption,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "Set storageEncrypted=true (optionally kmsKeyId). Encryption can't be switched on in place: for an"
        " existing database, snapshot it, copy the snapshot with encryption and restore from the copy."
    ),
)


def cluster_encrypted(cluster: PolicyResource) -> bool | None:
    """Whether a stack's cluster encrypts its storage; ``None`` if not known yet or inherited."""
    source = output(cluster, "replicationSourceIdentifier")
    encrypted = output(cluster, "storageEncrypted")
    if source is UNKNOWN or source or encrypted is UNKNOWN:
        return None
    if truthy(encrypted):
        return True
    mode = output(cluster, "engineMode")
    if mode is UNKNOWN:
        return None
    return bool(mode == "serverless")


def _snapshot_problem(snapshot: PolicyResource, clusters: list[PolicyResource]) -> str | None:
    """What leaves the snapshot unencrypted, or ``None`` when it is encrypted or can't be known yet."""
    own = lookup(snapshot.props, "storageEncrypted")
    if own is not UNKNOWN and own is not None:
        return None if truthy(own) else "is not encrypted (storageEncrypted is false)."
    for cluster in clusters:
        if cluster_encrypted(cluster) is False:
            return (
                f"is a snapshot of cluster {cluster.name}, which does not encrypt its storage, so the"
                " snapshot is not encrypted either."
            )
    return None


def validate_rds_cluster_snapshot_encryption(
    args: StackValidationArgs, report_violation: ReportViolation
) -> None:
    """Each manual cluster snapshot is encrypted: by its own known output, else by its cluster's."""
    snapshots = of_types(args.resources, (tokens.RDS_CLUSTER_SNAPSHOT,))
    clusters = of_types(args.resources, (tokens.RDS_CLUSTER,))
    links = link(clusters, ("clusterIdentifier", "id"), snapshots, "dbClusterIdentifier")
    clusters_of = links.targets_of(clusters)
    for snapshot in snapshots:
        problem = _snapshot_problem(snapshot, clusters_of.get(snapshot.urn, []))
        if problem is not None:
            report_violation(
                message(
                    snapshot.name,
                    snapshot.resource_type,
                    problem,
                    "set storageEncrypted to true on the cluster it is taken of (an existing cluster is"
                    " encrypted by restoring an encrypted copy of a snapshot), or encrypt a copy with an"
                    " aws.rds.ClusterSnapshotCopy that sets kmsKeyId.",
                ),
                snapshot.urn,
            )


rds_cluster_snapshot_encryption = StackValidationPolicy(
    name="envstack-rds-cluster-snapshot-encryption",
    **compliance.of("envstack-rds-cluster-snapshot-encryption"),
    description="RDS cluster snapshots are encrypted: the clusters they are taken of encrypt their storage.",
    validate=validate_rds_cluster_snapshot_encryption,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "A cluster snapshot is encrypted exactly when its cluster is: set storageEncrypted=true on the"
        " aws.rds.Cluster (restore an unencrypted one from an encrypted snapshot copy), or copy the snapshot"
        " with aws.rds.ClusterSnapshotCopy and a kmsKeyId, and share or keep the copy instead."
    ),
)

POLICIES: list[Policy] = [rds_storage_encryption, rds_cluster_snapshot_encryption]
