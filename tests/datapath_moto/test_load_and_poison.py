"""About a thousand messages, 1% poison, through the real handler on the component's queue."""

import math

import pytest

from envstack_testkit.datapath import Outcome

from .conftest import LOAD_MESSAGES

# The first test runs every scenario (the session fixture); a busy machine needs longer than 300 s.
# Every test of the runs shares one xdist worker, so the scenarios run once per session.
pytestmark = [pytest.mark.timeout(900), pytest.mark.xdist_group("datapath-runs")]


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
