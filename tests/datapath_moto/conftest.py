"""Fixtures for the data path on moto: one server, and the invocation budget measured once."""

from collections.abc import Iterator

import pytest

from envstack_testkit.datapath import calibrate
from envstack_testkit.moto_server import MotoEndpoint, moto_server
from envstack_testkit.recording import Recording, record_environment_stack

CONCURRENT_POLLERS = 4
"""The most pollers any test runs at once; the budget is measured under that contention."""


@pytest.fixture(scope="session")
def moto() -> Iterator[MotoEndpoint]:
    """moto on a loopback port for the whole session."""
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def dev_recording() -> Recording:
    """The component's dev environment, recorded once."""
    return record_environment_stack({"environment": "dev"})


@pytest.fixture(scope="session")
def budget_seconds(moto: MotoEndpoint, dev_recording: Recording) -> float:
    """The stand-in function timeout, from batches measured on this machine now."""
    return calibrate(moto, dev_recording, pollers=CONCURRENT_POLLERS)
