"""The policy pack spawned as the engine spawns it, one process per stack name, shared per session.

Starting the pack costs about half a second, so every test in this folder
talks to the same process for a given stack, as the engine does for one
preview. Pack config is state in that process, so the ``analyzer`` fixtures
reset it after each test.
"""

from collections.abc import Callable, Iterator

import pytest

from envstack_testkit.analyzer_harness import PolicyAnalyzer
from envstack_testkit.policy_fixtures import ENVIRONMENTS
from envstack_testkit.recording import Recording, record_environment_stack


@pytest.fixture(scope="session")
def recordings() -> dict[str, Recording]:
    """The real component recorded under mocks for dev, staging and prod (stack named after each)."""
    return {env: record_environment_stack(args, stack=env) for env, args in ENVIRONMENTS.items()}


@pytest.fixture(scope="session")
def pack_for() -> Iterator[Callable[[str], PolicyAnalyzer]]:
    """The running pack for a stack name, started on first use and stopped at the end of the session."""
    running: dict[str, PolicyAnalyzer] = {}

    def get(stack: str) -> PolicyAnalyzer:
        if stack not in running:
            running[stack] = PolicyAnalyzer(stack=stack).__enter__()
        return running[stack]

    yield get
    for analyzer in running.values():
        analyzer.close()


@pytest.fixture
def analyzer(pack_for: Callable[[str], PolicyAnalyzer]) -> Iterator[PolicyAnalyzer]:
    """The pack for stack ``dev``, with its config reset after the test."""
    pack = pack_for("dev")
    yield pack
    pack.configure({})


@pytest.fixture(params=list(ENVIRONMENTS))
def environment(request: pytest.FixtureRequest) -> str:
    """Each environment in turn."""
    return str(request.param)
