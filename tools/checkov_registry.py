"""Print, as JSON, every Checkov check that applies to a Terraform type of the pack's services.

Run by Checkov's own interpreter (``.venv-checkov/bin/python tools/checkov_registry.py``):
Checkov lives in a virtualenv of its own (``make checkov-venv``) because its
pins conflict with the main one, so this file imports nothing but Checkov and
the standard library. It reads the two registries Checkov's Terraform plan
runner scans with: the resource checks (``CKV_AWS_*``, Python classes, one
registry keyed by Terraform type) and the graph checks (``CKV2_AWS_*``, YAML
definitions with their own ``resource_types``). A check is in scope when one
of its types starts with a prefix of ``IN_SCOPE_PREFIXES``, or when it asks
for deletion protection on any AWS type, which the pack's destroyability
rule inverts (``DELETION_PROTECTION``).

``tests/policy_checkov`` compares this list with the coverage matrix in
``policy/README.md``, so a Checkov upgrade that adds a check fails there until
the matrix says what the pack does about it.
"""

import json
import sys
from typing import Any

IN_SCOPE_PREFIXES = (
    "aws_s3_",
    "aws_dynamodb_",
    "aws_sqs_",
    "aws_sns_",
    "aws_lambda_",
    "aws_iam_",
    "aws_cloudwatch_log_",
    "aws_db_",
    "aws_rds_",
    "aws_kms_",
)
"""Terraform type prefixes of S3, DynamoDB, SQS, SNS, Lambda, IAM, CloudWatch Logs, RDS and KMS."""

EVERY_TYPE = 100
"""A graph check declared for ``resource_types: all`` lists every type Checkov knows (thousands)."""


DELETION_PROTECTION = "deletion protection"
"""A check whose title asks for this on an AWS type is in scope whatever the type: the pack's
``envstack-aws-deletion-protection`` inverts it (deletion protection makes ``pulumi destroy`` fail)."""


def _in_scope(types: Any) -> list[str]:
    return sorted(t for t in types if isinstance(t, str) and t.startswith(IN_SCOPE_PREFIXES))


def _inverted(check: Any, types: Any) -> list[str]:
    """The AWS types of a check that asks for deletion protection (see ``DELETION_PROTECTION``)."""
    if DELETION_PROTECTION not in str(check.name).lower():
        return []
    return sorted(t for t in types if isinstance(t, str) and t.startswith("aws_"))


def checks() -> dict[str, dict[str, Any]]:
    """Check id -> its title, the in-scope types it applies to, and whether it is declared for all types."""
    from checkov.common.bridgecrew.check_type import CheckType  # noqa: PLC0415 - only in Checkov's venv
    from checkov.common.checks_infra.registry import get_graph_checks_registry  # noqa: PLC0415
    from checkov.terraform.checks.resource.registry import resource_registry  # noqa: PLC0415

    found: dict[str, dict[str, Any]] = {}
    for resource_type, registered in resource_registry.checks.items():
        for check in registered:
            if _in_scope([resource_type]) or _inverted(check, [resource_type]):
                entry = found.setdefault(check.id, {"title": check.name, "types": set(), "all": False})
                entry["types"].add(resource_type)
    graph = get_graph_checks_registry(CheckType.TERRAFORM)
    graph.load_checks()
    for check in graph.checks:
        types = _in_scope(check.resource_types) or _inverted(check, check.resource_types)
        if types:
            entry = found.setdefault(check.id, {"title": check.name, "types": set(), "all": False})
            entry["types"].update(types)
            entry["all"] = len(check.resource_types) > EVERY_TYPE
    return {
        check_id: {"title": entry["title"], "types": sorted(entry["types"]), "all": entry["all"]}
        for check_id, entry in sorted(found.items())
    }


if __name__ == "__main__":
    json.dump(checks(), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
