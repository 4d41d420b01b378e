"""The DynamoDB table that records one item per processed message."""

import pulumi
import pulumi_aws as aws

from .settings import Settings

TIMESTAMP_INDEX = "timestamp-index"
"""The global secondary index that lets readers query items by time."""


def create_table(name: str, settings: Settings, parent: pulumi.Resource) -> aws.dynamodb.Table:
    """Create the pay-per-request table with its timestamp index and PITR."""
    return aws.dynamodb.Table(
        f"{name}-table",
        name=settings.names.table,
        billing_mode="PAY_PER_REQUEST",
        hash_key="id",
        attributes=[
            aws.dynamodb.TableAttributeArgs(name="id", type="S"),
            aws.dynamodb.TableAttributeArgs(name="timestamp", type="N"),
        ],
        global_secondary_indexes=[
            aws.dynamodb.TableGlobalSecondaryIndexArgs(
                name=TIMESTAMP_INDEX,
                key_schemas=[
                    aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(
                        attribute_name="timestamp", key_type="HASH"
                    )
                ],
                projection_type="ALL",
            )
        ],
        point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(enabled=True),
        server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(
            enabled=True, kms_key_arn=settings.kms_key_arn
        ),
        deletion_protection_enabled=False,
        tags=dict(settings.tags),
        opts=pulumi.ResourceOptions(parent=parent),
    )
