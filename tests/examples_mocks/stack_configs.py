"""The examples' project and stack files, read the way the Pulumi CLI reads them.

Every example test derives what it expects from these files, never from a
copy: the component inputs a stack's config implies, and the ``PULUMI_CONFIG``
document the CLI would hand the program. A stack file edited by a user is
therefore tested as it stands.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SCHEMA = ROOT / "schema.json"
STACKS = ("dev", "staging", "prod")
LANGUAGES = ("python", "typescript", "go", "java", "yaml")
PROJECT = "pulumi-infra"

OUTPUTS = {
    "bucket_name": "bucketName",
    "bucket_arn": "bucketArn",
    "table_name": "tableName",
    "table_arn": "tableArn",
    "function_name": "functionName",
    "function_arn": "functionArn",
    "queue_url": "queueUrl",
    "queue_arn": "queueArn",
    "dlq_url": "dlqUrl",
    "dlq_arn": "dlqArn",
    "topic_arn": "topicArn",
    "role_arn": "roleArn",
}
"""Each stack export of the examples, and the component output it carries."""

CONFIG_INPUTS: Mapping[str, type] = {
    "environment": str,
    "environmentSuffix": str,
    "lambdaMemoryMb": int,
    "notificationEmail": str,
}
"""The config keys under ``pulumi-infra:`` the examples read, each named as the input it sets."""


def load_yaml(path: Path) -> dict[str, Any]:
    """One YAML document that must be a mapping."""
    document = yaml.safe_load(path.read_text())
    if not isinstance(document, dict):
        raise AssertionError(f"{path} is not a YAML mapping")
    return document


def project(language: str) -> dict[str, Any]:
    """The example's ``Pulumi.yaml``."""
    return load_yaml(EXAMPLES / language / "Pulumi.yaml")


@dataclass(frozen=True)
class StackConfig:
    """One ``Pulumi.<stack>.yaml`` of one example."""

    language: str
    stack: str
    values: Mapping[str, Any]
    """Every config key, namespaced as in the file (``aws:region``, ``pulumi-infra:...``)."""

    @property
    def region(self) -> str:
        """The AWS region the stack deploys to."""
        return str(self.values["aws:region"])

    def project_value(self, key: str) -> Any:
        """A value under the project's namespace, or None when the file leaves it out."""
        return self.values.get(f"{PROJECT}:{key}")

    def pulumi_config(self) -> dict[str, str]:
        """The config as the CLI hands it to a program: every value a string."""
        return {
            key: value if isinstance(value, str) else json.dumps(value) for key, value in self.values.items()
        }

    def expected_inputs(self) -> dict[str, Any]:
        """The component inputs this config implies, camelCase as on the wire."""
        inputs: dict[str, Any] = {}
        for key, kind in CONFIG_INPUTS.items():
            value = self.project_value(key)
            if value is not None:
                inputs[key] = kind(value)
        return inputs


def stack_config(language: str, stack: str) -> StackConfig:
    """Read one example's stack file."""
    document = load_yaml(EXAMPLES / language / f"Pulumi.{stack}.yaml")
    return StackConfig(language, stack, dict(document.get("config") or {}))


def schema() -> dict[str, Any]:
    """The package schema the SDKs are generated from."""
    document: dict[str, Any] = json.loads(SCHEMA.read_text())
    return document
