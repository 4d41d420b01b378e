"""The audit that judges each run can fail: every broken guarantee is named and counted.

These feed ``judge`` what the stores would hold after a faulty handler, so a
data-path test that passes does so because the stores were right, not
because the audit cannot see a loss or a duplicate.
"""

from collections import Counter

from envstack_testkit.datapath import Audit, Sent, judge
from envstack_testkit.event_source_mapping import DeliveryLog

GOOD = frozenset({"g1", "g2", "g3"})
POISON = frozenset({"p1"})
SENT = Sent(good=GOOD, poison=POISON)


def healthy() -> tuple[Audit, DeliveryLog]:
    items = {mid: {"id": {"S": mid}, "announced": {"BOOL": True}} for mid in GOOD}
    audit = Audit(
        versions=Counter(dict.fromkeys(GOOD, 1)),
        items=items,
        announced=Counter(dict.fromkeys(GOOD, 1)),
        dead_letters=Counter({"p1": 1}),
        source_empty=True,
    )
    log = DeliveryLog(receives=Counter({"g1": 1, "g2": 1, "g3": 1, "p1": 3}), longest_invocation_seconds=0.1)
    return audit, log


def test_a_healthy_run_has_no_problems() -> None:
    audit, log = healthy()
    counts, problems = judge(SENT, audit, log, max_receive_count=3, visibility_seconds=2)
    assert problems == []
    assert counts == {"stored_once": 3, "in_dlq": 1, "lost": 0, "duplicated": 0}


def test_a_second_object_version_is_a_duplicate() -> None:
    audit, log = healthy()
    audit.versions["g1"] = 2
    counts, problems = judge(SENT, audit, log, max_receive_count=3, visibility_seconds=2)
    assert counts["duplicated"] == 1
    assert any("duplicated" in p for p in problems)
    assert any("counts do not add up" in p for p in problems)


def test_a_message_missing_from_the_table_is_lost() -> None:
    audit, log = healthy()
    del audit.items["g2"]
    counts, problems = judge(SENT, audit, log, max_receive_count=3, visibility_seconds=2)
    assert counts["lost"] == 1
    assert any("lost" in p for p in problems)
    assert any("stores disagree" in p for p in problems)


def test_a_second_announcement_is_a_duplicate() -> None:
    audit, log = healthy()
    audit.announced["g3"] = 2
    counts, problems = judge(SENT, audit, log, max_receive_count=3, visibility_seconds=2)
    assert counts["duplicated"] == 1
    assert problems


def test_poison_dead_lettered_after_the_wrong_number_of_receives_is_reported() -> None:
    audit, log = healthy()
    log.receives["p1"] = 2
    _, problems = judge(SENT, audit, log, max_receive_count=3, visibility_seconds=2)
    assert problems == ["poison messages not received exactly 3 times: {'p1': 2}"]


def test_a_good_message_in_the_dlq_and_a_queue_left_non_empty_are_reported() -> None:
    audit, log = healthy()
    audit.dead_letters["g1"] = 1
    audit.versions["g1"] = 0
    del audit.items["g1"]
    audit.announced["g1"] = 0
    stuck = Audit(audit.versions, audit.items, audit.announced, audit.dead_letters, source_empty=False)
    counts, problems = judge(SENT, stuck, log, max_receive_count=3, visibility_seconds=2)
    assert counts == {"stored_once": 2, "in_dlq": 2, "lost": 0, "duplicated": 0}
    assert any("not poison" in p for p in problems)
    assert "the source queue is not empty" in problems


def test_an_invocation_as_long_as_the_visibility_timeout_breaks_the_premise() -> None:
    audit, log = healthy()
    log.longest_invocation_seconds = 2.5
    _, problems = judge(SENT, audit, log, max_receive_count=3, visibility_seconds=2)
    assert len(problems) == 1
    assert "visibility timeout" in problems[0]


def test_a_message_received_again_while_its_invocation_ran_breaks_the_premise() -> None:
    audit, log = healthy()
    log.received_in_flight["g2"] = 1
    _, problems = judge(SENT, audit, log, max_receive_count=3, visibility_seconds=2)
    assert problems == ["1 messages received again while an invocation that had them was still running"]
