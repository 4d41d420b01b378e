"""The report's reader of the engine's event log, on logs the real engine recorded (and edits of them)."""

import json
from pathlib import Path

import pytest

from envstack_policy.reports.acknowledged import parse_acknowledged
from envstack_policy.reports.events import EventLogError, parse_events, read_event_log

from .event_log_edits import (
    ENGINE_EXCEPTION,
    LOOSE_BUCKET,
    PREVIEW,
    V2_BUCKET,
    events,
    with_exemptions,
    write,
)


def test_every_violation_the_engine_printed_is_a_finding_once() -> None:
    log = read_event_log(PREVIEW)
    assert len(log.findings) == 23
    assert sum(f.level == "mandatory" for f in log.findings) == 16
    assert log.packs == {"envstack": "0.1.0"}
    assert log.preview is True
    assert log.result == "failed"
    versioning = next(
        f for f in log.findings if f.policy == "envstack-s3-versioning" and f.urn == LOOSE_BUCKET
    )
    # The description line the engine puts first is gone; the policy's own message is whole.
    assert versioning.text.startswith("loose-bucket (aws:s3:Bucket): does not have versioning enabled")
    assert versioning.fix is not None and versioning.fix.startswith("add an aws.s3.BucketVersioning")
    assert (versioning.resource_name, versioning.resource_type) == ("loose-bucket", "aws:s3/bucket:Bucket")
    assert versioning.severity == "medium"
    assert versioning.counts


def test_the_checks_made_come_from_the_engines_summaries() -> None:
    log = read_event_log(PREVIEW)
    resource_checks = [c for c in log.checks if c.urn]
    stack_checks = {c.policy for c in log.checks if not c.urn}
    assert {"envstack-s3-versioning", "envstack-sqs-visibility-timeout"} <= stack_checks
    # 12 resources, each judged by the pack's 39 resource policies, except that the engine's
    # summary for the function names neither a pass nor a failure of envstack-lambda-env-encryption.
    per_resource = {
        urn: {c.policy for c in resource_checks if c.urn == urn} for urn in {c.urn for c in resource_checks}
    }
    assert len(per_resource) == 12
    assert sorted(len(policies) for policies in per_resource.values()) == [38] + [39] * 11


def test_a_run_twice_in_one_log_is_counted_once(tmp_path: Path) -> None:
    log = events()
    summary = next(i for i, e in enumerate(log) if "summaryEvent" in e)
    doubled = write(tmp_path / "twice.jsonl", log[:summary] + log)
    assert read_event_log(doubled).findings == read_event_log(PREVIEW).findings


def test_an_acknowledged_finding_carries_its_exemption(tmp_path: Path) -> None:
    log = read_event_log(write(tmp_path / "log.jsonl", with_exemptions()))
    by_id = {f.acknowledged.id: f for f in log.findings if f.acknowledged}
    baseline = by_id["baseline-1"]
    assert baseline.acknowledged is not None
    assert (baseline.policy, baseline.urn, baseline.level) == (
        "envstack-s3-versioning",
        LOOSE_BUCKET,
        "advisory",
    )
    assert baseline.text.startswith("loose-bucket (aws:s3:Bucket): does not have versioning enabled")
    assert (baseline.acknowledged.approved_by, baseline.acknowledged.ticket) == (None, None)
    reviewed = by_id["legacy-v2"].acknowledged
    assert reviewed is not None
    assert by_id["legacy-v2"].urn == V2_BUCKET
    assert reviewed.reason == "Bucket predates the rule; migration tracked"
    assert (reviewed.expires, reviewed.approved_by, reviewed.ticket) == (
        "2027-03-31",
        "alice@example.com",
        "SEC-123",
    )
    assert not by_id["legacy-v2"].counts
    assert log.baseline_remaining == ["baseline-1", "baseline-2"]
    assert log.baseline_stale == ["baseline-7"]


def test_a_message_in_another_shape_is_a_finding_that_counts() -> None:
    assert parse_acknowledged("ACKNOWLEDGED by someone: trust me. Finding: x") is None


def test_the_engines_own_exception_acknowledges_a_finding() -> None:
    log = read_event_log(ENGINE_EXCEPTION)
    excepted = [f for f in log.findings if f.acknowledged]
    assert [(f.policy, f.urn) for f in excepted] == [("envstack-s3-force-destroy", LOOSE_BUCKET)]
    acknowledgement = excepted[0].acknowledged
    assert acknowledgement is not None
    assert (acknowledgement.id, acknowledgement.source) == ("loose-bucket-force-destroy", "engine")
    assert acknowledgement.reason == "a test bucket that is emptied by hand"


def test_colour_codes_are_not_part_of_a_message(tmp_path: Path) -> None:
    log = events()
    violation = next(e["policyEvent"] for e in log if "policyEvent" in e)
    violation["message"] = "<{%fg 3%}>" + violation["message"].replace("\n", "\x1b[0m\n", 1) + "<{%reset%}>"
    first = read_event_log(write(tmp_path / "color.jsonl", log)).findings[0]
    assert first == read_event_log(PREVIEW).findings[0]


def test_a_message_without_a_description_line_is_kept_whole(tmp_path: Path) -> None:
    log = events()
    violation = next(e["policyEvent"] for e in log if "policyEvent" in e)
    violation["message"] = "only a message\n"
    assert read_event_log(write(tmp_path / "plain.jsonl", log)).findings[0].text == "only a message"


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("not json", "1: Expecting value"),
        ("[1]", "1: not an engine event (no 'sequence')"),
        ('{"sequence": 1, "policyEvent": {"message": "m"}}', "1: missing field 'policyName'"),
        (
            json.dumps(
                {
                    "sequence": 1,
                    "policyEvent": {
                        "message": "m",
                        "policyName": "p",
                        "policyPackName": "k",
                        "enforcementLevel": "remediate",
                    },
                }
            ),
            "1: enforcementLevel 'remediate' is not one of mandatory, advisory",
        ),
        ('{"sequence": 1, "summaryEvent": 3}', "1: 'int' object has no attribute 'get'"),
    ],
)
def test_a_line_that_is_not_an_engine_event_is_refused_with_its_number(line: str, error: str) -> None:
    with pytest.raises(EventLogError) as raised:
        parse_events(Path("log.jsonl"), [line])
    assert str(raised.value).startswith(f"log.jsonl:{error}")


def test_a_log_cut_short_is_refused(tmp_path: Path) -> None:
    log = [e for e in events() if "summaryEvent" not in e]
    with pytest.raises(EventLogError, match="no summaryEvent: the run did not finish"):
        read_event_log(write(tmp_path / "cut.jsonl", log))


def test_a_run_without_the_pack_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path / "nopack.jsonl", [e for e in events() if not any(k.startswith("policy") for k in e)]
    )
    path.write_text(path.read_text() + "\n  \n")  # blank lines are no events
    with pytest.raises(EventLogError, match="no policy pack ran in this run: pass --policy-pack"):
        read_event_log(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(EventLogError, match=r"missing\.jsonl: cannot read the event log: No such file"):
        read_event_log(tmp_path / "missing.jsonl")
