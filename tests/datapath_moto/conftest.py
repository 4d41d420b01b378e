"""Fixtures for the data path on moto: one server per worker, and the runs.

The load run and the four fault runs go at once (``run_all``), each on its
own copy of the stack, so that the fault runs' retry waits overlap the load
instead of adding to it. Nothing is calibrated to the machine: the queues
keep the component's visibility timeout, so how fast the runs go changes no
outcome.
"""

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest

from envstack_testkit.datapath import (
    Outcome,
    format_table,
    run_scenario,
    scenario_recording,
    standard_scenarios,
)
from envstack_testkit.moto_server import MotoEndpoint, moto_server
from envstack_testkit.recording import Recording, record_environment_stack

LOAD_MESSAGES = int(os.environ.get("ENVSTACK_DATAPATH_MESSAGES", "1000"))
"""About a thousand messages, 1% poison; ``make bench`` runs 10,000."""
FAULT_MESSAGES = 50
SCENARIOS = standard_scenarios(LOAD_MESSAGES, FAULT_MESSAGES)
LOAD, *FAULT_SCENARIOS = SCENARIOS


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


def run_all(moto: MotoEndpoint, config: pytest.Config) -> dict[str, Outcome]:
    """Run the load on ``moto`` and the faults at the same time on a second server; untraced.

    moto does its work under one interpreter lock per server, and the load
    run alone keeps that busy. On a server of their own the fault runs' work
    goes to the other core instead of queueing behind the load's requests.
    Returns each outcome by fault name, and prints the table.
    """
    # Recording runs Pulumi's mocks, which need the main thread's event loop.
    recordings = [scenario_recording(scenario) for scenario in SCENARIOS]
    with (
        coverage_paused(config),
        moto_server() as second,
        ThreadPoolExecutor(max_workers=len(SCENARIOS)) as pool,
    ):
        futures = [
            pool.submit(run_scenario, moto if scenario is LOAD else second, recording, scenario)
            for scenario, recording in zip(SCENARIOS, recordings, strict=True)
        ]
        results = [future.result() for future in futures]
    print(f"\n{format_table(results)}")
    return {o.fault: o for o in results}
