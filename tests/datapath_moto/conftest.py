"""Fixtures for the data path on moto: one server, the invocation budget, and the runs.

The load run and the four fault runs go at once, each on its own copy of the
stack, so that the fault runs' retry waits overlap the load instead of adding
to it; the budget is measured under that same concurrency.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from envstack_testkit.datapath import Outcome, calibrate, format_table, run_scenarios, standard_scenarios
from envstack_testkit.moto_server import MotoEndpoint, moto_server
from envstack_testkit.recording import Recording, record_environment_stack

LOAD_MESSAGES = int(os.environ.get("ENVSTACK_DATAPATH_MESSAGES", "1000"))
"""About a thousand messages, 1% poison; ``make bench`` runs 10,000."""
FAULT_MESSAGES = 50
SCENARIOS = standard_scenarios(LOAD_MESSAGES, FAULT_MESSAGES)


@pytest.fixture(scope="session")
def moto() -> Iterator[MotoEndpoint]:
    """moto on a loopback port for the whole session."""
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def dev_recording() -> Recording:
    """The component's dev environment, recorded once."""
    return record_environment_stack({"environment": "dev"})


@contextmanager
def coverage_paused(config: pytest.Config) -> Iterator[None]:
    """Stop line tracing while the runs last: tests/handler_moto covers the handler,
    and tracing every boto3 line of 1,200 messages only slows the runs down."""
    plugin = config.pluginmanager.getplugin("_cov")
    controller = getattr(plugin, "cov_controller", None)
    if controller is None:
        yield
        return
    controller.pause()
    try:
        yield
    finally:
        controller.resume()


@pytest.fixture(scope="session")
def outcomes(moto: MotoEndpoint, dev_recording: Recording, pytestconfig: pytest.Config) -> dict[str, Outcome]:
    """Every scenario's outcome by fault name, after the budget was measured on this machine now."""
    with coverage_paused(pytestconfig):
        budget = calibrate(moto, dev_recording, pollers=sum(s.pollers for s in SCENARIOS))
        results = run_scenarios(moto, SCENARIOS, budget_seconds=budget)
    print(f"\ninvocation budget {budget:.2f} s\n{format_table(results)}")
    return {o.fault: o for o in results}
