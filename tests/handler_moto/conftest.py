"""Fixtures for the handler against moto in server mode: one server, a fresh stack per test."""

from collections.abc import Iterator

import pytest

from envstack_testkit.moto_server import MotoEndpoint, moto_server
from envstack_testkit.moto_stack import MotoStack, deploy, subscribe_probe_queue
from envstack_testkit.recording import Recording, record_environment_stack


@pytest.fixture(scope="session")
def moto() -> Iterator[MotoEndpoint]:
    """moto on a loopback port for the whole session."""
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def dev_recording() -> Recording:
    """The component's dev environment, recorded once."""
    return record_environment_stack({"environment": "dev"})


@pytest.fixture
def stack(moto: MotoEndpoint, dev_recording: Recording) -> MotoStack:
    """The dev stack's bucket, table, queues and topic, fresh on an empty moto account."""
    moto.reset()
    return deploy(moto, dev_recording, with_function=False)


@pytest.fixture
def probe_url(moto: MotoEndpoint, stack: MotoStack) -> str:
    """A queue subscribed to the topic: what the topic announced lands here."""
    return subscribe_probe_queue(moto, stack.outputs["topic_arn"], "announcements-probe")
