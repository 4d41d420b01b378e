"""The data path's runs: about a thousand messages with 1% poison, and four faults, each then recovered.

The load run must store every good message once and dead-letter every
poison one. Each fault, injected at the boto3 client, must show every
message stored once or dead-lettered, none lost, none duplicated, and must
really have struck. Every run is one module fixture (``outcomes``), all five
at once so that the fault runs' retry waits overlap the load; its tests
share this module so that xdist (``--dist loadfile``) gives them one worker
and the runs happen once.
"""

import math

import pytest

from envstack_testkit.datapath import Outcome, struck_messages
from envstack_testkit.moto_server import MotoEndpoint

from .conftest import FAULT_MESSAGES, FAULT_SCENARIOS, LOAD_MESSAGES, run_all

# The first test runs every scenario (the module fixture); a busy machine needs longer than 300 s.
pytestmark = pytest.mark.timeout(900)

FAULTS = [s.fault for s in FAULT_SCENARIOS]


@pytest.fixture(scope="module")
def outcomes(moto: MotoEndpoint, pytestconfig: pytest.Config) -> dict[str, Outcome]:
    """Every run's outcome by fault name."""
    return run_all(moto, pytestconfig)


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


# --- the load run -----------------------------------------------------------------------------


@pytest.fixture
def outcome(outcomes: dict[str, Outcome]) -> Outcome:
    return outcomes["none (load)"]


def test_every_guarantee_holds_under_load(outcome: Outcome) -> None:
    assert outcome.problems == ()


def test_every_good_message_is_stored_once_and_every_poison_message_is_dead_lettered(
    outcome: Outcome,
) -> None:
    poison = math.ceil(LOAD_MESSAGES * 0.01)
    assert outcome.messages_in == LOAD_MESSAGES
    assert (outcome.stored_once, outcome.in_dlq) == (LOAD_MESSAGES - poison, poison)
    assert (outcome.lost, outcome.duplicated) == (0, 0)


def test_the_mapping_deletes_every_good_message_and_never_a_poison_one(outcome: Outcome) -> None:
    assert outcome.log.deleted == outcome.sent.good
    assert all(outcome.log.reported_failed[mid] >= 1 for mid in outcome.sent.poison)
