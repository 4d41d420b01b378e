"""The four faults of the data path, each injected at the boto3 client, then recovery.

Each row must show every message stored once or dead-lettered, none lost,
none duplicated, and the fault must really have struck.
"""

import pytest

from envstack_testkit.datapath import Outcome, struck_messages

from .conftest import FAULT_MESSAGES, SCENARIOS

# The first test runs every scenario (the session fixture); a busy machine needs longer than 300 s.
# Every test of the runs shares one xdist worker, so the scenarios run once per session.
pytestmark = [pytest.mark.timeout(900), pytest.mark.xdist_group("datapath-runs")]

FAULTS = [s.fault for s in SCENARIOS if s.fault != "none (load)"]


@pytest.mark.parametrize("fault", FAULTS)
def test_the_guarantees_hold_after_recovery(outcomes: dict[str, Outcome], fault: str) -> None:
    outcome = outcomes[fault]
    assert outcome.problems == ()
    assert (outcome.messages_in, outcome.stored_once, outcome.in_dlq) == (
        FAULT_MESSAGES,
        FAULT_MESSAGES - 1,
        1,
    )
    assert (outcome.lost, outcome.duplicated) == (0, 0)


@pytest.mark.parametrize("fault", [f for f in FAULTS if not f.startswith("killed")])
def test_each_struck_message_failed_once_and_was_received_again(
    outcomes: dict[str, Outcome], fault: str
) -> None:
    outcome = outcomes[fault]
    assert outcome.fault_calls == len(struck_messages(FAULT_MESSAGES))
    assert outcome.redelivered_good >= outcome.fault_calls


def test_a_kill_fails_the_whole_batch_so_its_finished_records_come_back(outcomes: dict[str, Outcome]) -> None:
    killed = outcomes["killed between writes and delete"]
    assert killed.log.failed_invocations >= killed.fault_calls == 3
    # The killed record had finished every write; it is received again and still stored once.
    assert killed.redelivered_good >= killed.fault_calls
