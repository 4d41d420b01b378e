"""The test suite's wall time: ``make test`` without its set-up, and its slowest tests.

CI and every contributor pay for ``make test`` on each change. Its set-up
(creating the venv, building the SDKs: the ``TEST_PREREQS``) is done once
before timing, by ``make bench`` 's own prerequisites; what is timed is what
``make test`` then runs: ``make lint``, ``make typecheck`` and
``make test-python``, each as its own make invocation. pytest is asked for its
durations of every test through ``PYTEST_ADDOPTS`` (``--durations=0``), so
the suite runs with exactly the options ``make test`` gives it, and the
report can name the ten slowest tests and the time spent per test folder.
"""

import os
import re
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PARTS = ("lint", "typecheck", "test-python")
"""The make targets ``make test`` runs after its prerequisites, in its order."""
FAST = "test-fast"
"""The inner loop's make target, timed on its own: lint, types and the suites that need no build."""

_DURATION = re.compile(r"^(?P<seconds>\d+(?:\.\d+)?)s\s+(?P<phase>call|setup|teardown)\s+(?P<test>\S.*)$")
_SUMMARY = re.compile(r"^=+ (?P<summary>.*\d+ (?:passed|failed|error).*) in [\d.]+s")


@dataclass(frozen=True)
class SlowTest:
    """One line of pytest's ``--durations`` report."""

    seconds: float
    phase: str
    test: str


@dataclass(frozen=True)
class PartRun:
    """One make target's run: its wall time, exit code and output."""

    target: str
    seconds: float
    returncode: int
    output: str


@dataclass(frozen=True)
class SuiteRun:
    """One run of the whole suite, part by part."""

    parts: tuple[PartRun, ...]

    @property
    def seconds(self) -> float:
        """The suite's wall time: the parts run one after the other, as in ``make test``."""
        return sum(part.seconds for part in self.parts)

    @property
    def failures(self) -> list[str]:
        """The targets that exited non-zero, with their exit codes."""
        return [f"make {part.target} exited {part.returncode}" for part in self.parts if part.returncode]

    def pytest_output(self) -> str:
        """What ``make test-python`` printed."""
        return next((part.output for part in self.parts if part.target == "test-python"), "")


def slowest_tests(pytest_output: str) -> list[SlowTest]:
    """The tests of pytest's ``slowest N durations`` section, slowest first."""
    found = []
    for line in pytest_output.splitlines():
        match = _DURATION.match(line.strip())
        if match:
            found.append(SlowTest(float(match["seconds"]), match["phase"], match["test"]))
    return sorted(found, key=lambda slow: slow.seconds, reverse=True)


def summary_line(pytest_output: str) -> str:
    """The final count line of pytest (``123 passed, 2 skipped``), or empty if it printed none."""
    for line in reversed(pytest_output.splitlines()):
        match = _SUMMARY.match(line.strip())
        if match:
            return match["summary"]
    return ""


def time_by_folder(slow: Sequence[SlowTest]) -> dict[str, float]:
    """Seconds spent per test folder (setup, call and teardown), most expensive first.

    The folders are the levels of ``docs/CONVENTIONS.md``, so this says which
    level, and so which owner, the suite's time goes to.
    """
    totals: dict[str, float] = {}
    for entry in slow:
        path = entry.test.split("::", 1)[0]
        folder = str(Path(path).parent)
        totals[folder] = totals.get(folder, 0.0) + entry.seconds
    return dict(sorted(totals.items(), key=lambda item: item[1], reverse=True))


def run_part(target: str, durations: int = 0) -> PartRun:
    """Run one make target in the repository and time it."""
    env = {**os.environ, "PYTEST_ADDOPTS": f"{os.environ.get('PYTEST_ADDOPTS', '')} --durations={durations}"}
    # A make that runs this benchmark exports its flags; the suite must run as
    # a plain `make test` would, not as a sub-make of `make bench`.
    for variable in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        env.pop(variable, None)
    start = time.perf_counter()
    completed = subprocess.run(
        ["make", "--no-print-directory", target],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        check=False,
    )
    seconds = time.perf_counter() - start
    return PartRun(target, seconds, completed.returncode, completed.stdout.decode(errors="replace"))


def run_suite(parts: Sequence[str] = PARTS) -> SuiteRun:
    """Run the parts of ``make test`` in order; a failing part does not stop the others."""
    return SuiteRun(tuple(run_part(target) for target in parts))
