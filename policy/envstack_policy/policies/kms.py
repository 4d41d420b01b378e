"""KMS keys: automatic rotation of symmetric keys (Checkov CKV_AWS_7, cdk-nag AwsSolutions-KMS5).

A key's policy is judged with the other resource policies (``resource_policies``),
and its deletion window with what ``pulumi destroy`` leaves behind (``destroyability``).
"""

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from .. import compliance
from ..readers import tokens
from ..readers.messages import message
from ..readers.values import UNKNOWN, lookup, truthy

SYMMETRIC = "SYMMETRIC_DEFAULT"
"""The key spec that AWS can rotate automatically (asymmetric and HMAC keys cannot be)."""

KEY_SPECS = frozenset(
    {
        SYMMETRIC,
        *(f"RSA_{bits}" for bits in (2048, 3072, 4096)),
        *(f"ECC_NIST_P{bits}" for bits in (256, 384, 521)),
        "ECC_SECG_P256K1",
        *(f"HMAC_{bits}" for bits in (224, 256, 384, 512)),
        *(f"ML_DSA_{level}" for level in (44, 65, 87)),
        *(f"ML_KEM_{level}" for level in (512, 768, 1024)),
        "ECC_NIST_EDWARDS25519",
        "SM2",
    }
)
"""The key specs KMS has (its API's KeySpec, pinned to botocore's model by a test); it refuses any other
``customerMasterKeySpec``."""


def validate_kms_key_rotation(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """A symmetric encryption key rotates its key material every year; a spec KMS lacks is reported."""
    if args.resource_type != tokens.KMS_KEY:
        return
    spec = lookup(args.props, "customerMasterKeySpec")
    rotation = lookup(args.props, "enableKeyRotation")
    if isinstance(spec, str) and spec not in KEY_SPECS:
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"has customerMasterKeySpec {spec!r}, which is not a key spec KMS has, so whether it must"
                " rotate cannot be judged.",
                f"set customerMasterKeySpec to one KMS has, e.g. '{SYMMETRIC}' with enableKeyRotation true.",
            ),
            None,
        )
        return
    if spec not in (None, SYMMETRIC) or rotation is UNKNOWN or truthy(rotation):
        return
    report_violation(
        message(
            args.name,
            args.resource_type,
            "is a symmetric key without automatic rotation, so its key material never changes.",
            "set enableKeyRotation to true.",
        ),
        None,
    )


kms_key_rotation = ResourceValidationPolicy(
    name="envstack-kms-key-rotation",
    **compliance.of("envstack-kms-key-rotation"),
    description="Symmetric KMS keys rotate automatically.",
    validate=validate_kms_key_rotation,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="Set enableKeyRotation=true on the aws.kms.Key.",
)

POLICIES: list[Policy] = [kms_key_rotation]
