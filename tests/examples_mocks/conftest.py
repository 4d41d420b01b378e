"""Fixtures: the compiled YAML engine harness, and each of the examples' stacks.

The examples' programs run under the real engine in tests/engine_automation;
what stays here needs no engine: the stack files, and Pulumi YAML's engine
(as a Go library, under the Go SDK's mocks) refusing programs the schema
forbids.
"""

from pathlib import Path

import pytest

from .stack_configs import ROOT, STACKS
from .toolchains import YAML_ENGINE, build_go_test

BUILD = ROOT / "build" / "examples_mocks"
"""The compiled YAML engine test, kept between sessions (git-ignored)."""


def _newest(paths: list[Path]) -> float:
    return max(path.stat().st_mtime for path in paths)


@pytest.fixture(scope="session")
def yaml_engine_binary() -> Path:
    """The YAML engine harness, compiled, rebuilt when a Go source is newer."""
    binary = BUILD / "yaml_engine.test"
    sources = [*YAML_ENGINE.glob("*.go"), YAML_ENGINE / "go.mod", YAML_ENGINE / "go.sum"]
    if not binary.exists() or binary.stat().st_mtime < _newest(sources):
        build_go_test(YAML_ENGINE, binary)
    return binary


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    """Each of the examples' stacks."""
    return str(request.param)
