"""S3 versioning: a bucket that holds data keeps earlier versions of what is overwritten or deleted.

The original description asks for a versioned bucket (its integration test
reads ``get_bucket_versioning`` and expects ``Enabled``), and Checkov's
CKV_AWS_21 asks the same of every bucket. Versioning does not stop
``pulumi destroy``: with ``forceDestroy`` (``envstack-s3-force-destroy``) the
provider deletes every version with the bucket.
"""

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyResource,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from .. import compliance
from ..readers import tokens
from ..readers.links import Links, link, of_types
from ..readers.messages import message
from ..readers.values import UNKNOWN, items, lookup, output, truthy


def _versioned(bucket: PolicyResource, configs: Links) -> bool | None:
    """Whether versioning is on, inline or by a ``BucketVersioning``; ``None`` if not known yet."""
    inline = [output(bucket, "versioning"), *items(output(bucket, "versionings"))]
    for block in inline:
        enabled = lookup(block, "enabled")
        if block is UNKNOWN or enabled is UNKNOWN:
            return None
        if truthy(enabled):
            return True
    for config in configs.of(bucket):
        status = lookup(config.props, "versioningConfiguration", "status")
        if status is UNKNOWN:
            return None
        if status == "Enabled":
            return True
    return False


def validate_s3_versioning(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Each bucket has versioning enabled."""
    buckets = of_types(args.resources, tokens.BUCKETS)
    configs = link(buckets, ("bucket", "id"), of_types(args.resources, tokens.BUCKET_VERSIONING), "bucket")
    if configs.unresolved:
        return
    for bucket in buckets:
        if _versioned(bucket, configs) is False:
            report_violation(
                message(
                    bucket.name,
                    bucket.resource_type,
                    "does not have versioning enabled, so an overwrite or a delete loses the object.",
                    "add an aws.s3.BucketVersioning for it with versioningConfiguration"
                    ' {"status": "Enabled"} (and a lifecycle rule that expires noncurrent versions).',
                ),
                bucket.urn,
            )


s3_versioning = StackValidationPolicy(
    name="envstack-s3-versioning",
    **compliance.of("envstack-s3-versioning"),
    description="S3 buckets have versioning enabled.",
    validate=validate_s3_versioning,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "Add an aws.s3.BucketVersioning with status Enabled; expire noncurrent versions in a lifecycle rule."
    ),
)

POLICIES: list[Policy] = [s3_versioning]
