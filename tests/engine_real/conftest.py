"""Fixtures for the tests that run the real Pulumi CLI (``make engine``'s pinned build).

Each test works on a temporary copy of a program (``envstack_testkit.engine``),
with its own local state backend, and starts the plugins as the engine starts
them: executables on ``PATH``. The policy pack is passed to ``--policy-pack``
as its folder where a Python language host exists and as its executable
entry point otherwise, which is the case on these machines.
"""

import re
from collections.abc import Iterator
from typing import Any

import pytest

from envstack_testkit import engine
from envstack_testkit.stack_files import ENVIRONMENTS, stack_config

__all__ = ["ENVIRONMENTS", "RULE_BREAKERS", "YAML_EXAMPLE", "mandatory", "reported", "stack_settings"]

YAML_EXAMPLE = engine.YAML_EXAMPLE
RULE_BREAKERS = engine.RULE_BREAKERS


@pytest.fixture(scope="session", autouse=True)
def pinned_engine() -> None:
    """The pinned CLI must exist: ``make test`` builds it first; a missing one fails, never skips."""
    assert engine.PULUMI.exists(), f"{engine.PULUMI} is missing: run `make engine`"
    assert (engine.PLUGINS / "pulumi-resource-aws").exists(), (
        "the plugin folder is missing: run `make engine`"
    )


@pytest.fixture
def yaml_example() -> Iterator[engine.Workspace]:
    """A fresh copy of examples/yaml with its own state."""
    with engine.Workspace(YAML_EXAMPLE) as workspace:
        yield workspace


def stack_settings(environment: str) -> dict[str, Any]:
    """The checked-in YAML stack file's config for one environment."""
    return stack_config(environment, "yaml")


def mandatory(run: engine.Run) -> list[str]:
    """The policy ids of the mandatory violations the engine printed."""
    return re.findall(r"\[mandatory\] \[severity: \w+\]\s+(\S+)", run.stdout)


def reported(run: engine.Run) -> set[str]:
    """Every policy id the engine printed a violation for."""
    return set(re.findall(r"\[(?:mandatory|advisory)\] \[severity: \w+\]\s+(\S+)", run.stdout))
