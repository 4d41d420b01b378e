"""Naming: every physically named resource carries the environment suffix.

The suffix is the policy's ``suffix`` config, or else what the engine says of
the stack: its ``environmentSuffix`` or ``environment`` config, or its name
(``stack.py``). A name carries the suffix
when it ends in ``-<suffix>`` (``envstack-data-dev``, ``/aws/lambda/app-dev``),
ignoring case and a FIFO queue's ``.fifo``.

Auto-naming: when a program gives no explicit name, the AWS provider names
the resource ``<logical name>-<7 random hex digits>`` during its Check, which
runs before the engine asks the pack. The random part can never carry a
suffix, so the policy strips it and judges the logical name instead:
``Bucket("data-dev")`` becomes ``data-dev-1a2b3c4`` and passes,
``Bucket("data")`` becomes ``data-1a2b3c4`` and fails with a hint to rename
it. The same rule applies when the name is still absent (the provider has
not auto-named it yet). A ``namePrefix``/``bucketPrefix`` must end in the
suffix (a trailing ``-`` is allowed). A name not known until deployment is
skipped during preview and checked on ``pulumi up``.
"""

import re
from collections.abc import Mapping

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from .. import compliance
from ..readers import config, stack, tokens
from ..readers.messages import message
from ..readers.values import UNKNOWN, lookup

NAME_PROPERTIES: Mapping[str, tuple[str, str | None]] = {
    tokens.BUCKET: ("bucket", "bucketPrefix"),
    tokens.BUCKET_V2: ("bucket", "bucketPrefix"),
    tokens.TABLE: ("name", None),
    tokens.QUEUE: ("name", "namePrefix"),
    tokens.TOPIC: ("name", "namePrefix"),
    tokens.FUNCTION: ("name", None),
    tokens.ROLE: ("name", "namePrefix"),
    tokens.LOG_GROUP: ("name", "namePrefix"),
}
"""Each physically named type: its name input and its name-prefix input, if any."""

_AUTO_NAME = re.compile(r"^(?P<logical>.+)-[0-9a-f]{7}$")


def carries(name: str, suffix: str) -> bool:
    """Whether a physical name ends with ``-<suffix>`` (case-insensitive, ``.fifo`` ignored)."""
    base = name.lower().removesuffix(".fifo")
    return base.endswith(f"-{suffix.lower()}")


def auto_named(name: str, logical: str) -> bool:
    """Whether ``name`` is the provider's auto-name for ``logical``: ``<logical>-<7 hex>``."""
    match = _AUTO_NAME.match(name.lower().removesuffix(".fifo"))
    return match is not None and match.group("logical") == logical.lower()


def validate_naming(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """Report a physical name without the environment suffix."""
    properties = NAME_PROPERTIES.get(args.resource_type)
    if properties is None:
        return
    suffix = config.text(args.get_config(), "suffix") or stack.environment_suffix(args.urn)
    if not suffix:
        args.not_applicable("no suffix in this policy's config and no stack from the engine")
    name_key, prefix_key = properties
    name = lookup(args.props, name_key)
    prefix = lookup(args.props, prefix_key) if prefix_key else None
    if name is UNKNOWN or prefix is UNKNOWN:
        return
    if isinstance(name, str) and name and not auto_named(name, args.name):
        if not carries(name, suffix):
            report_violation(
                message(
                    args.name,
                    args.resource_type,
                    f"physical name '{name}' does not end with the environment suffix '-{suffix}'.",
                    f"set {name_key} to a name ending in '-{suffix}'.",
                ),
                None,
            )
    elif isinstance(prefix, str) and prefix:
        if not carries(prefix.rstrip("-"), suffix):
            report_violation(
                message(
                    args.name,
                    args.resource_type,
                    f"name prefix '{prefix}' does not end with the environment suffix '-{suffix}'.",
                    f"set {prefix_key} to '<name>-{suffix}-', or an explicit {name_key}"
                    f" ending in '-{suffix}'.",
                ),
                None,
            )
    elif not carries(args.name, suffix):
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"is auto-named from its logical name '{args.name}', which does not end with '-{suffix}',"
                " so its physical name will not either.",
                f"set {name_key} to a name ending in '-{suffix}', or rename the resource to"
                f" '{args.name}-{suffix}'.",
            ),
            None,
        )


naming_suffix = ResourceValidationPolicy(
    name="envstack-naming-suffix",
    **compliance.of("envstack-naming-suffix"),
    description="Physically named resources carry the environment suffix.",
    validate=validate_naming,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    config_schema=PolicyConfigSchema(
        properties={
            "suffix": {
                "type": "string",
                "minLength": 1,
                "description": "The environment suffix; defaults to the stack's environmentSuffix or"
                " environment config, else its name.",
            }
        }
    ),
    remediation_steps=(
        "Give the bucket, table, queue, topic, function, role or log group an explicit name ending in"
        " '-<suffix>', or a logical name ending in '-<suffix>' when relying on auto-naming."
    ),
)

POLICIES = [naming_suffix]
