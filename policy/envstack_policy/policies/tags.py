"""Tags: the required tag keys are on every taggable AWS resource.

Taggable means the pulumi-aws v7 type takes a ``tags`` input (``taggable.py``,
generated from the SDK). Tags the AWS provider adds through its
``defaultTags`` setting count, because AWS applies them to the resource too.
"""

from collections.abc import Mapping, MutableMapping
from typing import Any, cast

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from .. import compliance
from ..data.taggable import TAGGABLE_TYPES
from ..readers import config, stack
from ..readers.messages import message
from ..readers.values import UNKNOWN, json_object, lookup

DEFAULT_REQUIRED_TAGS = ("Environment",)


def _provider_default_tags(args: ResourceValidationArgs) -> Any:
    """The keys of the AWS provider's ``defaultTags`` (its config arrives as JSON text)."""
    if args.provider is None:
        return {}
    return lookup(json_object(lookup(args.provider.props, "defaultTags")), "tags") or {}


def missing_tags(args: ResourceValidationArgs) -> list[str] | None:
    """Required keys the resource lacks; ``None`` when it is not taggable or its tags are unknown."""
    if args.resource_type not in TAGGABLE_TYPES:
        return None
    required = config.strings(args.get_config(), "requiredTags", DEFAULT_REQUIRED_TAGS)
    tags = lookup(args.props, "tags")
    defaults = _provider_default_tags(args)
    if tags is UNKNOWN or defaults is UNKNOWN:
        return None
    present = {
        *(tags if isinstance(tags, Mapping) else ()),
        *(defaults if isinstance(defaults, Mapping) else ()),
    }
    return [key for key in required if key not in present]


def validate_tags(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """Report the required tag keys a taggable resource lacks."""
    missing = missing_tags(args)
    if missing:
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"is missing required tag(s) {', '.join(missing)}.",
                f"add tags {{{', '.join(f'{key!r}: ...' for key in missing)}}}"
                " (or the AWS provider's defaultTags).",
            ),
            None,
        )


def tag_value(key: str, values: Mapping[str, str], urn: str) -> str | None:
    """The value remediation gives a missing tag: from config, and ``Environment`` from the stack."""
    if key in values:
        return values[key]
    if key == "Environment":
        return stack.environment(urn) or None
    return None


def remediate_tags(args: ResourceValidationArgs) -> Mapping[str, Any] | None:
    """Add the missing tags whose value is known; a key with no value is left for a person to set."""
    missing = missing_tags(args)
    if not missing:
        return None
    values = config.string_map(args.get_config(), "tagValues")
    added = {key: value for key in missing if (value := tag_value(key, values, args.urn)) is not None}
    if not added:
        return None
    props = cast(MutableMapping[str, Any], args.props)
    tags = lookup(props, "tags")
    props["tags"] = {**(dict(tags) if isinstance(tags, Mapping) else {}), **added}
    return props


required_tags = ResourceValidationPolicy(
    name="envstack-tags-required",
    **compliance.of("envstack-tags-required"),
    description="Taggable AWS resources carry the required tag keys.",
    validate=validate_tags,
    # pulumi-policy types remediate as returning an awaitable, but it accepts a plain mapping too.
    remediate=remediate_tags,  # type: ignore[arg-type]
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.LOW,
    config_schema=PolicyConfigSchema(
        properties={
            "requiredTags": config.string_list_option(
                "Tag keys every taggable resource must have.", DEFAULT_REQUIRED_TAGS
            ),
            "tagValues": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "default": {},
                "description": "Values the remediate level fills in for missing keys"
                " (Environment defaults to the stack's environment config, else its name).",
            },
        }
    ),
    remediation_steps="Add the tags (the remediate level adds those whose value it knows).",
)

POLICIES = [required_tags]
