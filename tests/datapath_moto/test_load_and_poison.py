"""About a thousand messages, 1% poison, through the real handler on the component's queue.

``ENVSTACK_DATAPATH_MESSAGES`` changes the count; ``make bench`` runs 10,000.
"""

import os

import pytest

from envstack_testkit.datapath import Outcome, Scenario, run_scenarios
from envstack_testkit.moto_server import MotoEndpoint

MESSAGES = int(os.environ.get("ENVSTACK_DATAPATH_MESSAGES", "1000"))


@pytest.fixture(scope="module")
def outcome(moto: MotoEndpoint, budget_seconds: float) -> Outcome:
    moto.reset()
    [result] = run_scenarios(
        moto, [Scenario("none (load)", MESSAGES)], budget_seconds=budget_seconds, pollers=2
    )
    return result


def test_every_guarantee_holds_under_load(outcome: Outcome) -> None:
    assert outcome.problems == ()


def test_every_good_message_is_stored_once_and_every_poison_message_is_dead_lettered(
    outcome: Outcome,
) -> None:
    poison = round(MESSAGES * 0.01)
    assert (outcome.messages_in, outcome.stored_once, outcome.in_dlq) == (MESSAGES, MESSAGES - poison, poison)
    assert (outcome.lost, outcome.duplicated) == (0, 0)


def test_the_mapping_deletes_every_good_message_and_never_a_poison_one(outcome: Outcome) -> None:
    assert outcome.log.deleted == outcome.sent.good
    assert all(outcome.log.reported_failed[mid] >= 1 for mid in outcome.sent.poison)
