"""Fixtures for the examples run under the real engine by their own language's Automation API.

Each language's run is made once per pytest run (``runs.language_run``) and
read by that language's module and by the parity module. The pinned CLI
and the compiled drivers must exist: ``make test`` builds them first
(``make engine automation-deps``); a missing one fails, never skips.
"""

from collections.abc import Callable
from pathlib import Path

import pytest

from envstack_testkit import automation, engine

from .runs import LanguageRun, language_run, shared_folder

RunOf = Callable[[str], LanguageRun]


@pytest.fixture(scope="session", autouse=True)
def pinned_engine() -> None:
    """The pinned CLI and the plugin folder, as for tests/engine_real."""
    assert engine.PULUMI.exists(), f"{engine.PULUMI} is missing: run `make engine`"
    assert (engine.PLUGINS / "pulumi-resource-aws").exists(), (
        "the plugin folder is missing: run `make engine`"
    )


@pytest.fixture(scope="session")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's folder shared by every xdist worker (or the session's own without xdist)."""
    return shared_folder(tmp_path_factory)


@pytest.fixture(scope="session")
def run_of(shared: Path) -> RunOf:
    """``run_of(language)``: that language's run (``yaml`` included), made once per pytest run."""
    built = {
        "typescript": automation.TYPESCRIPT_DRIVER,
        "go": automation.GO_DRIVER,
        "java": automation.JAVA_CLASSPATH,
    }

    def run(language: str) -> LanguageRun:
        if language in built:
            assert built[language].exists(), f"{built[language]} is missing: run `make automation-deps`"
        return language_run(shared, language)

    return run
