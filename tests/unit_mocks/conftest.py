"""Fixtures for tests that run the component under Pulumi's mocks."""

import pytest

from envstack_testkit.recording import Recording, record_environment_stack

ENVIRONMENTS = ("dev", "staging", "prod")


@pytest.fixture(scope="session")
def recordings() -> dict[str, Recording]:
    """Each environment with its defaults, recorded once for the whole session."""
    return {env: record_environment_stack({"environment": env}) for env in ENVIRONMENTS}


@pytest.fixture(params=ENVIRONMENTS)
def environment(request: pytest.FixtureRequest) -> str:
    """Each environment in turn."""
    return str(request.param)


@pytest.fixture
def recording(recordings: dict[str, Recording], environment: str) -> Recording:
    """The recorded stack of the current environment."""
    return recordings[environment]
