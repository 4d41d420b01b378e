"""The report bench's 50-environment event log: the real preview's per-resource events, 50 times over."""

from pathlib import Path

from bench.report import replicate
from envstack_policy.reports.events import parse_events

PREVIEW = Path(__file__).resolve().parents[1] / "policy_unit" / "event_logs" / "rule_breakers_preview.jsonl"
"""A real preview's event log (see that folder's README), the shape the bench records afresh."""


def test_fifty_copies_are_fifty_environments_of_distinct_resources() -> None:
    one = parse_events(PREVIEW, PREVIEW.read_text().splitlines())
    fifty = parse_events(PREVIEW, list(replicate(PREVIEW.read_text().splitlines(), 50)))
    # Nothing is counted once for all copies: every finding and check is there 50 times.
    assert len(fifty.findings) == 50 * len(one.findings) == 1150
    resource_checks = [c for c in one.checks if c.urn]
    assert len([c for c in fifty.checks if c.urn]) == 50 * len(resource_checks)
    assert {c.policy for c in fifty.checks if not c.urn} == {c.policy for c in one.checks if not c.urn}
    urns = {f.urn for f in fifty.findings}
    assert len(urns) == 50 * len({f.urn for f in one.findings})
    assert all(urn.rsplit("-env", 1)[1].isdigit() for urn in urns)
    assert (fifty.preview, fifty.result, fifty.packs) == (one.preview, one.result, one.packs)


def test_the_run_events_stay_once_and_sequences_stay_in_order() -> None:
    lines = list(replicate(PREVIEW.read_text().splitlines(), 3))
    assert sum('"summaryEvent"' in line for line in lines) == 1
    assert sum('"preludeEvent"' in line for line in lines) == 1
    assert [line.split(",", 1)[0] for line in lines] == [f'{{"sequence": {n}' for n in range(len(lines))]
