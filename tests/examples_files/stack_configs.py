"""The examples' project and stack files, read the way the Pulumi CLI reads them.

Every example test derives what it expects from these files, never from a
copy, so a stack file edited by a user is tested as it stands.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
STACKS = ("dev", "staging", "prod")
LANGUAGES = ("python", "typescript", "go", "java", "yaml")
PROJECT = "pulumi-infra"


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


def stack_config(language: str, stack: str) -> StackConfig:
    """Read one example's stack file."""
    document = load_yaml(EXAMPLES / language / f"Pulumi.{stack}.yaml")
    return StackConfig(language, stack, dict(document.get("config") or {}))
