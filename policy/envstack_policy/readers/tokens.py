"""The pulumi-aws v7 type tokens the policies look at.

v7 renamed ``BucketV2`` back to ``Bucket`` and the ``...V2`` configuration
resources to their plain names, but keeps the ``...V2`` tokens as
deprecated aliases; a program written against either still creates the same
AWS resource, so every policy accepts both spellings.
"""

from typing import Final

BUCKET: Final = "aws:s3/bucket:Bucket"
BUCKET_V2: Final = "aws:s3/bucketV2:BucketV2"
BUCKETS: Final = frozenset({BUCKET, BUCKET_V2})
BUCKET_ENCRYPTION: Final = frozenset(
    {
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    }
)
BUCKET_OBJECT_LOCK: Final = frozenset(
    {
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
    }
)
BUCKET_PUBLIC_ACCESS_BLOCK: Final = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_POLICY: Final = "aws:s3/bucketPolicy:BucketPolicy"
BUCKET_ACLS: Final = frozenset({"aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"})
TABLE: Final = "aws:dynamodb/table:Table"
TABLE_REPLICA: Final = "aws:dynamodb/tableReplica:TableReplica"
QUEUE: Final = "aws:sqs/queue:Queue"
QUEUE_REDRIVE_POLICY: Final = "aws:sqs/redrivePolicy:RedrivePolicy"
QUEUE_POLICY: Final = "aws:sqs/queuePolicy:QueuePolicy"
TOPIC: Final = "aws:sns/topic:Topic"
TOPIC_POLICY: Final = "aws:sns/topicPolicy:TopicPolicy"
FUNCTION: Final = "aws:lambda/function:Function"
LAMBDA_PERMISSION: Final = "aws:lambda/permission:Permission"
EVENT_SOURCE_MAPPING: Final = "aws:lambda/eventSourceMapping:EventSourceMapping"
ROLE: Final = "aws:iam/role:Role"
LOG_GROUP: Final = "aws:cloudwatch/logGroup:LogGroup"
METRIC_ALARM: Final = "aws:cloudwatch/metricAlarm:MetricAlarm"
RDS_INSTANCE: Final = "aws:rds/instance:Instance"
RDS_CLUSTER: Final = "aws:rds/cluster:Cluster"
RDS_GLOBAL_CLUSTER: Final = "aws:rds/globalCluster:GlobalCluster"
POLICY_ATTACHMENTS: Final = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
    "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": "policyArns",
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": "policyArns",
    ROLE: "managedPolicyArns",
    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment": "managedPolicyArn",
    "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive": "managedPolicyArns",
}
"""Resources that attach managed policies to a role, user or group, with the input holding the ARN(s)."""
IAM_POLICY_DOCUMENTS: Final = frozenset(
    {
        "aws:iam/policy:Policy",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/userPolicy:UserPolicy",
        "aws:iam/groupPolicy:GroupPolicy",
    }
)
"""Identity policies whose ``policy`` input is the document itself."""
SSO_INLINE_POLICY: Final = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
"""An IAM Identity Center permission set's inline policy: an identity policy (``inlinePolicy``) that
becomes a role's in every account the permission set is assigned to."""

# Types whose deletion protection ``destroyability`` checks.
DOCDB_CLUSTER: Final = "aws:docdb/cluster:Cluster"
DOCDB_GLOBAL_CLUSTER: Final = "aws:docdb/globalCluster:GlobalCluster"
NEPTUNE_CLUSTER: Final = "aws:neptune/cluster:Cluster"
NEPTUNE_GLOBAL_CLUSTER: Final = "aws:neptune/globalCluster:GlobalCluster"
NEPTUNE_GRAPH: Final = "aws:neptunegraph/graph:Graph"
EKS_CLUSTER: Final = "aws:eks/cluster:Cluster"
QLDB_LEDGER: Final = "aws:qldb/ledger:Ledger"
DSQL_CLUSTER: Final = "aws:dsql/cluster:Cluster"
LB_LOAD_BALANCER: Final = "aws:lb/loadBalancer:LoadBalancer"
ALB_LOAD_BALANCER: Final = "aws:alb/loadBalancer:LoadBalancer"
COGNITO_USER_POOL: Final = "aws:cognito/userPool:UserPool"
VERIFIED_PERMISSIONS_POLICY_STORE: Final = "aws:verifiedpermissions/policyStore:PolicyStore"
EC2_INSTANCE: Final = "aws:ec2/instance:Instance"
NETWORK_FIREWALL: Final = "aws:networkfirewall/firewall:Firewall"
SMS_VOICE_POOL: Final = "aws:pinpoint/smsvoicev2Pool:Smsvoicev2Pool"
SMS_VOICE_PHONE_NUMBER: Final = "aws:pinpoint/smsvoicev2PhoneNumber:Smsvoicev2PhoneNumber"
SMS_VOICE_SENDER_ID: Final = "aws:pinpoint/smsvoicev2SenderId:Smsvoicev2SenderId"

# Types of the exposure, key and destroy-time policies.
KMS_KEY: Final = "aws:kms/key:Key"
KMS_KEY_POLICY: Final = "aws:kms/keyPolicy:KeyPolicy"
RDS_CLUSTER_INSTANCE: Final = "aws:rds/clusterInstance:ClusterInstance"
FUNCTION_URL: Final = "aws:lambda/functionUrl:FunctionUrl"
RDS_SNAPSHOTS: Final = frozenset(
    {
        "aws:rds/snapshot:Snapshot",
        "aws:rds/snapshotCopy:SnapshotCopy",
        "aws:rds/clusterSnapshot:ClusterSnapshot",
        "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy",
    }
)
"""Manual DB and cluster snapshots and their copies: each has ``sharedAccounts``."""
S3_ACCESS_POINT: Final = "aws:s3/accessPoint:AccessPoint"
BUCKET_OWNERSHIP_CONTROLS: Final = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
BUCKET_VERSIONING: Final = frozenset(
    {"aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"}
)

# Types of the cluster-snapshot encryption, TLS-in-transit and legacy global table policies.
RDS_CLUSTER_SNAPSHOT: Final = "aws:rds/clusterSnapshot:ClusterSnapshot"
RDS_PARAMETER_GROUP: Final = "aws:rds/parameterGroup:ParameterGroup"
DYNAMODB_GLOBAL_TABLE: Final = "aws:dynamodb/globalTable:GlobalTable"
"""A legacy (version 2017.11.29) global table, layered on tables of its name in each replica region."""
