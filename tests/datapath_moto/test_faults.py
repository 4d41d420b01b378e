"""The four faults of issue 6, each injected at the boto3 client, then recovery.

The four run at once, each on its own copy of the stack, so their retry
waits overlap; each row must show every message stored once or dead-lettered,
none lost, none duplicated.
"""

import pytest

from envstack_testkit.datapath import Outcome, format_table, run_scenarios, standard_scenarios
from envstack_testkit.moto_server import MotoEndpoint

FAULT_MESSAGES = 50
FAULTS = [
    s for s in standard_scenarios(load_messages=0, fault_messages=FAULT_MESSAGES) if s.fault != "none (load)"
]


@pytest.fixture(scope="module")
def outcomes(moto: MotoEndpoint, budget_seconds: float) -> dict[str, Outcome]:
    moto.reset()
    results = run_scenarios(moto, FAULTS, budget_seconds=budget_seconds, pollers=1)
    print("\n" + format_table(results))
    return {o.fault: o for o in results}


@pytest.mark.parametrize("fault", [s.fault for s in FAULTS])
def test_the_guarantees_hold_after_recovery(outcomes: dict[str, Outcome], fault: str) -> None:
    outcome = outcomes[fault]
    assert outcome.problems == ()
    good = FAULT_MESSAGES - 1
    assert (outcome.messages_in, outcome.stored_once, outcome.in_dlq) == (FAULT_MESSAGES, good, 1)
    assert (outcome.lost, outcome.duplicated) == (0, 0)


@pytest.mark.parametrize("fault", [s.fault for s in FAULTS])
def test_the_fault_really_happened_and_forced_retries(outcomes: dict[str, Outcome], fault: str) -> None:
    outcome = outcomes[fault]
    assert outcome.fault_calls > 0
    assert outcome.redelivered_good > 0


def test_a_kill_fails_the_whole_batch_so_its_finished_records_come_back(outcomes: dict[str, Outcome]) -> None:
    killed = outcomes["killed between writes and delete"]
    assert killed.log.failed_invocations >= killed.fault_calls == 3
    # The killed record had finished every write; it is received again and still stored once.
    assert killed.redelivered_good >= killed.fault_calls
    assert killed.problems == ()
