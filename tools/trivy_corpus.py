"""Write the second corpus of the differential test: Trivy's Terraform examples as pulumi-aws resources.

The differential test's first corpus is the project's own. This one is
written by others: every check of aquasecurity/trivy-checks ships good and
bad Terraform examples (``checks/cloud/aws/<service>/<check>.yaml``), the
cases its own documentation and tests stand on. For each Trivy check that
judges what a policy of the pack judges (``CHECKS``), the example files are
kept verbatim under ``tests/policy_checkov/trivy/source`` with their
provenance (repository, commit, path, Trivy's id) and licence; this tool
parses each example with Checkov's pinned HCL parser (``tools/hcl_json.py``,
under ``.venv-checkov``'s Python) and translates it with
``tools/terraform_to_pulumi.py`` into ``tests/policy_checkov/trivy/corpus.json``.
An example the translator cannot translate exactly is listed there with the
reason, never dropped silently. ``CHECKS_LEFT_OUT`` says why the other checks of
the pack's services are not taken.

``make trivy-corpus`` re-translates the kept sources; with
``TRIVY_CHECKS=<git dir of a trivy-checks clone>`` (``fetch
github:aquasecurity/trivy-checks`` puts one under /work/.mirror) it first
copies the example files afresh from that clone's HEAD. The drift test
(``tests/policy_checkov/test_trivy_corpus.py``) re-translates the kept
sources and compares.
"""

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tools.terraform_to_pulumi import UntranslatableError, translate

ROOT = Path(__file__).resolve().parents[1]
HOME = ROOT / "tests" / "policy_checkov" / "trivy"
SOURCE = HOME / "source"
CORPUS = HOME / "corpus.json"
PROVENANCE = SOURCE / "PROVENANCE.json"
REPOSITORY = "aquasecurity/trivy-checks"
HCL_JSON = ROOT / "tools" / "hcl_json.py"
CHECKOV_PYTHON = ROOT / ".venv-checkov" / "bin" / "python"


@dataclass(frozen=True)
class Check:
    """A Trivy check, the pack's policies that judge the same thing, and Checkov's checks that do."""

    policies: tuple[str, ...]
    checkov: tuple[str, ...]
    config: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


_PAB = ("envstack-s3-public-access-block",)
_WILDCARDS = ("envstack-iam-no-wildcards",)
_IAM_WILDCARD_CHECKS = ("CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_355")

CHECKS: Mapping[str, Check] = {
    "s3/block_public_acls": Check(_PAB, ("CKV_AWS_53",)),
    "s3/block_public_policy": Check(_PAB, ("CKV_AWS_54",)),
    "s3/ignore_public_acls": Check(_PAB, ("CKV_AWS_55",)),
    "s3/no_public_buckets": Check(_PAB, ("CKV_AWS_56",)),
    "s3/specify_public_access_block": Check(_PAB, ("CKV2_AWS_6",)),
    "s3/enable_bucket_encryption": Check(("envstack-s3-encryption",), ("CKV_AWS_19",)),
    "s3/enable_versioning": Check(("envstack-s3-versioning",), ("CKV_AWS_21",)),
    "s3/no_public_access_with_acl": Check(("envstack-s3-public-acl",), ("CKV_AWS_20",)),
    "sns/enable_topic_encryption": Check(("envstack-sns-encryption",), ("CKV_AWS_26",)),
    "sqs/enable_queue_encryption": Check(("envstack-sqs-encryption",), ("CKV_AWS_27",)),
    "sqs/no_wildcards_in_policy_documents": Check(("envstack-sqs-all-actions",), ("CKV_AWS_72",)),
    "dynamodb/enable_recovery": Check(("envstack-dynamodb-pitr",), ("CKV_AWS_28",)),
    "dynamodb/table_customer_key": Check(
        ("envstack-dynamodb-encryption",),
        ("CKV_AWS_119",),
        {"envstack-dynamodb-encryption": {"requireKmsKey": True}},
    ),
    "kms/auto_rotate_keys": Check(("envstack-kms-key-rotation",), ("CKV_AWS_7",)),
    "iam/no_policy_wildcards": Check(_WILDCARDS, _IAM_WILDCARD_CHECKS),
    "iam/limit_s3_full_access": Check(_WILDCARDS, _IAM_WILDCARD_CHECKS),
    "lambda/restrict_source_arn": Check(("envstack-lambda-service-permission",), ("CKV_AWS_364",)),
    "rds/disable_public_access": Check(("envstack-rds-public",), ("CKV_AWS_17",)),
    "rds/encrypt_cluster_storage_data": Check(("envstack-rds-storage-encryption",), ("CKV_AWS_96",)),
    "rds/encrypt_instance_storage_data": Check(("envstack-rds-storage-encryption",), ("CKV_AWS_16",)),
}
"""Trivy check (its path under checks/cloud/aws, without .yaml) -> what judges the same thing."""

CHECKS_LEFT_OUT: Mapping[str, str] = {
    "s3/encryption_customer_key": "a customer-managed key is a key-management choice (CKV_AWS_145)",
    "sns/topic_encryption_with_cmk": "a customer-managed key is a key-management choice",
    "sqs/queue_encryption_with_cmk": "a customer-managed key is a key-management choice",
    "cloudwatch/log_group_customer_key": "Logs encrypts every log group; a CMK is a choice (CKV_AWS_158)",
    "dynamodb/enable_at_rest_encryption": "DAX clusters are not a service the pack judges",
    "s3/enable_logging": "access logs need a longer-lived log bucket (CKV_AWS_18 is not applicable)",
    "s3/enable_object_read_logging": "CloudTrail data events are an account-level audit choice",
    "s3/enable_object_write_logging": "CloudTrail data events are an account-level audit choice",
    "s3/require_mfa_delete": "MFA delete needs the root user's MFA device, which no stack can set",
    "lambda/enable_tracing": "X-Ray tracing is an observability choice (CKV_AWS_50 is not applicable)",
    "rds/enable_performance_insights": "Performance Insights is an operations choice",
    "rds/performance_insights_encryption_customer_key": "Performance Insights is an operations choice",
    "rds/specify_backup_retention": "backup retention is a recovery choice (CKV_AWS_133 is not applicable)",
    "iam/enforce_group_mfa": "MFA for IAM users is an account's identity setup",
    "iam/no_root_access_keys": "the root user's keys are an account's, not a resource of an environment",
    "iam/no_user_attached_policies": "IAM users are account identities (CKV_AWS_40 is not applicable)",
    "iam/no_password_reuse": "an account-wide password policy (CKV_AWS_13 is not applicable)",
    "iam/require_lowercase_in_passwords": "an account-wide password policy (CKV_AWS_11 is not applicable)",
    "iam/require_numbers_in_passwords": "an account-wide password policy (CKV_AWS_12 is not applicable)",
    "iam/require_symbols_in_passwords": "an account-wide password policy (CKV_AWS_14 is not applicable)",
    "iam/require_uppercase_in_passwords": "an account-wide password policy (CKV_AWS_15 is not applicable)",
    "iam/set_max_password_age": "an account-wide password policy (CKV_AWS_9 is not applicable)",
    "iam/set_minimum_password_length": "an account-wide password policy (CKV_AWS_10 is not applicable)",
}
"""Trivy checks of the pack's services with Terraform examples that the pack does not judge, and why."""


def _git(git_dir: Path, *arguments: str) -> str:
    done = subprocess.run(
        ["git", f"--git-dir={git_dir}", *arguments], capture_output=True, text=True, check=True
    )
    return done.stdout


def _trivy_id(rego: str) -> str:
    found = re.search(r"^#\s+id:\s*(\S+)", rego, re.MULTILINE)
    if found is None:
        raise ValueError("a Trivy check without an id in its METADATA")
    return found.group(1)


def extract(git_dir: Path) -> None:
    """Copy each check's example file, its licence and their provenance from a trivy-checks clone."""
    commit = _git(git_dir, "rev-parse", "HEAD").strip()
    files: dict[str, dict[str, str]] = {}
    for check in sorted(CHECKS):
        path = f"checks/cloud/aws/{check}.yaml"
        target = SOURCE / f"{check}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_git(git_dir, "show", f"HEAD:{path}"))
        files[check] = {"path": path, "id": _trivy_id(_git(git_dir, "show", f"HEAD:{path[:-5]}.rego"))}
    (SOURCE / "LICENSE").write_text(_git(git_dir, "show", "HEAD:LICENSE"))
    provenance = {"repository": REPOSITORY, "commit": commit, "licence": "MIT", "files": files}
    PROVENANCE.write_text(json.dumps(provenance, indent=1, sort_keys=True) + "\n")


def parse_hcl(texts: Sequence[str]) -> list[dict[str, Any]]:
    """Each HCL text as Checkov's pinned parser reads it (run under Checkov's Python)."""
    if not CHECKOV_PYTHON.exists():
        raise RuntimeError(f"{CHECKOV_PYTHON} is missing: run `make checkov-venv`")
    done = subprocess.run(
        [str(CHECKOV_PYTHON), str(HCL_JSON)],
        input=json.dumps(list(texts)),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"tools/hcl_json.py failed:\n{done.stderr[-4000:]}")
    parsed: list[dict[str, Any]] = json.loads(done.stdout)
    return parsed


def case_key(check: str, verdict: str, example: int) -> str:
    """A case's key: a Terraform identifier (the plan's addresses carry it) without ``__``."""
    return "trivy_" + re.sub(r"[^a-z0-9]+", "_", f"{check}_{verdict}{example}")


def corpus() -> dict[str, Any]:
    """The translated corpus, from the kept sources."""
    provenance = json.loads(PROVENANCE.read_text())
    examples: list[tuple[str, str, int, str]] = []
    for check in sorted(CHECKS):
        document = yaml.safe_load((SOURCE / f"{check}.yaml").read_text())
        for verdict in ("good", "bad"):
            for example, text in enumerate(document["terraform"][verdict], start=1):
                examples.append((check, verdict, example, text))
    parsed = parse_hcl([text for *_, text in examples])
    cases: list[dict[str, Any]] = []
    untranslated: list[dict[str, Any]] = []
    for (check, verdict, example, _), configuration in zip(examples, parsed, strict=True):
        entry = {
            "key": case_key(check, verdict, example),
            "check": check,
            "id": provenance["files"][check]["id"],
            "path": provenance["files"][check]["path"],
            "verdict": verdict,
            "example": example,
        }
        try:
            resources = translate(configuration)
        except UntranslatableError as error:
            untranslated.append({**entry, "reason": str(error)})
            continue
        entry["resources"] = [{"type": r.type, "name": r.name, "properties": r.properties} for r in resources]
        cases.append(entry)
    return {
        "repository": provenance["repository"],
        "commit": provenance["commit"],
        "cases": cases,
        "untranslated": untranslated,
    }


def dumps(document: Mapping[str, Any]) -> str:
    """The corpus as it is checked in."""
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    """``make trivy-corpus``: optionally re-extract from a clone, then translate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trivy-checks", type=Path, help="git dir of a trivy-checks clone to copy from")
    arguments = parser.parse_args(argv)
    if arguments.trivy_checks:
        extract(arguments.trivy_checks)
    CORPUS.write_text(dumps(corpus()))
    print(f"wrote {CORPUS.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
