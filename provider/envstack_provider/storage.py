"""The S3 bucket that keeps every processed message body.

The bucket is built from the v7 per-concern resources (versioning, encryption,
lifecycle, ...), each a child of the bucket so that ``pulumi destroy`` removes
them with it. ``force_destroy`` lets destroy empty a versioned bucket, which
is what makes every environment disposable.
"""

import pulumi
import pulumi_aws as aws

from . import transport
from .settings import Settings


def deny_insecure_transport(bucket_arn: str) -> str:
    """The bucket policy document: refuse every request not made over TLS, to the bucket and its objects."""
    return transport.deny_insecure_transport("s3:*", [bucket_arn, f"{bucket_arn}/*"])


def create_storage(name: str, settings: Settings, parent: pulumi.Resource) -> aws.s3.Bucket:
    """Create the bucket with versioning, encryption, lifecycle and access controls; return the bucket."""
    bucket = aws.s3.Bucket(
        f"{name}-bucket",
        bucket=settings.names.bucket,
        force_destroy=True,
        tags=dict(settings.tags),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    child = pulumi.ResourceOptions(parent=bucket)
    aws.s3.BucketVersioning(
        f"{name}-bucket-versioning",
        bucket=bucket.id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
        opts=child,
    )
    sse = (
        aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm="aws:kms", kms_master_key_id=settings.kms_key_arn
        )
        if settings.kms_key_arn is not None
        else aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm="AES256"
        )
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-bucket-encryption",
        bucket=bucket.id,
        rules=[
            aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=sse,
                bucket_key_enabled=settings.kms_key_arn is not None,
            )
        ],
        opts=child,
    )
    aws.s3.BucketLifecycleConfiguration(
        f"{name}-bucket-lifecycle",
        bucket=bucket.id,
        rules=[
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="expire-noncurrent-versions",
                status="Enabled",
                filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                    noncurrent_days=settings.noncurrent_version_expiration_days
                ),
                abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                    days_after_initiation=7
                ),
            )
        ],
        opts=child,
    )
    public_access_block = aws.s3.BucketPublicAccessBlock(
        f"{name}-bucket-public-access-block",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=child,
    )
    aws.s3.BucketOwnershipControls(
        f"{name}-bucket-ownership",
        bucket=bucket.id,
        rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
        opts=child,
    )
    aws.s3.BucketPolicy(
        f"{name}-bucket-policy",
        bucket=bucket.id,
        policy=bucket.arn.apply(deny_insecure_transport),
        # S3 rejects a bucket policy while the public access block is being
        # written; ordering them avoids a flaky first deployment.
        opts=pulumi.ResourceOptions(parent=bucket, depends_on=[public_access_block]),
    )
    return bucket
