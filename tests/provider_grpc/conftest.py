"""One provider plugin per test session, spawned as the engine spawns it.

Starting the plugin costs about two seconds (it imports pulumi_aws), so every
test in this folder talks to the same process, as the engine does for every
component of one deployment. Each Construct still gets its own recording
monitor, so registrations never leak between tests.
"""

from collections.abc import Iterator

import pytest

from envstack_provider.component import TYPE_TOKEN
from envstack_testkit.provider_harness import ConstructOutcome, ProviderProcess, construct, spawn_provider

ENVIRONMENTS = ("dev", "staging", "prod")


@pytest.fixture(scope="session")
def provider() -> Iterator[ProviderProcess]:
    """The provider plugin, running from provider/ with the venv's Python."""
    with spawn_provider() as process:
        yield process


@pytest.fixture(scope="session")
def constructed(provider: ProviderProcess) -> dict[str, ConstructOutcome]:
    """Each environment constructed with its defaults, in a stack of the same name."""
    return {
        env: construct(provider, TYPE_TOKEN, "envstack", {"environment": env}, stack=env)
        for env in ENVIRONMENTS
    }


@pytest.fixture(params=ENVIRONMENTS)
def environment(request: pytest.FixtureRequest) -> str:
    """Each environment in turn."""
    return str(request.param)


@pytest.fixture
def outcome(constructed: dict[str, ConstructOutcome], environment: str) -> ConstructOutcome:
    """The Construct of the current environment."""
    return constructed[environment]
