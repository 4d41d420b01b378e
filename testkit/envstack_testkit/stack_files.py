"""The examples' stack files as component inputs: the one source of every environment's sample settings.

``examples/<language>/Pulumi.<env>.yaml`` is what a user deploys; the demo, the
policy fixtures and the benchmarks take each environment's inputs from the
same files, so a sample can never drift from what the examples ship.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PROJECT = "pulumi-infra"
ENVIRONMENTS = ("dev", "staging", "prod")

_INPUTS: Mapping[str, str] = {
    "environment": "environment",
    "environmentSuffix": "environment_suffix",
    "lambdaMemoryMb": "lambda_memory_mb",
    "notificationEmail": "notification_email",
}
"""Each ``pulumi-infra:`` config key the examples read, and the component input it sets."""


def stack_config(environment: str, language: str = "python") -> dict[str, Any]:
    """Every config key of one example's stack file, namespaced as in the file."""
    document = yaml.safe_load((EXAMPLES / language / f"Pulumi.{environment}.yaml").read_text())
    config: dict[str, Any] = dict(document["config"])
    return config


def environment_args(environment: str, language: str = "python") -> dict[str, Any]:
    """The component inputs one example's stack file sets (Python names, as ``EnvironmentStackArgs``)."""
    config = stack_config(environment, language)
    return {name: config[f"{PROJECT}:{key}"] for key, name in _INPUTS.items() if f"{PROJECT}:{key}" in config}
