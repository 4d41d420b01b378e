"""``envstack-policy`` as a CI step calls it: the files it writes, what it prints and its exit code."""

import datetime
import json
import shutil
from pathlib import Path

import pytest
import yaml

from envstack_policy.cli import main
from envstack_testkit.report_referees import junit_cases, sarif_errors, sarif_records

from .event_log_edits import PREVIEW, events, with_exemptions, write


def test_report_writes_every_format_and_passes_without_a_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = {kind: tmp_path / f"report.{kind}" for kind in ("sarif", "xml", "md")}
    code = main(
        [
            "report",
            "--event-log",
            str(PREVIEW),
            "--sarif",
            str(out["sarif"]),
            "--program-file",
            "infra/Pulumi.yaml",
            "--junit",
            str(out["xml"]),
            "--markdown",
            str(out["md"]),
        ]
    )
    assert code == 0
    assert capsys.readouterr().out == (
        f"{PREVIEW}: 16 mandatory, 7 advisory, 0 acknowledged finding(s); "
        "0 baseline entr(ies) remain, 0 stale baseline entr(ies) to delete\n"
    )
    document = json.loads(out["sarif"].read_text())
    assert sarif_errors(document) == []
    records = sarif_records(out["sarif"])
    assert len(records) == 23
    # The file named is every result's physical location, which sarif-tools reads as its location.
    assert {r["Location"] for r in records} == {"infra/Pulumi.yaml"}
    assert sum(case.failed for case in junit_cases(out["xml"])) == 15
    assert out["md"].read_text().startswith("## envstack policy report\n")


@pytest.mark.parametrize(("fail_on", "code"), [("mandatory", 1), ("severity>=critical", 0)])
def test_fail_on_sets_the_exit_code_and_names_what_failed(
    fail_on: str, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--event-log", str(PREVIEW), "--fail-on", fail_on]) == code
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == (16 if code else 0)
    if code:
        assert (
            "fails --fail-on mandatory: envstack-s3-versioning on urn:pulumi:dev::rule-breakers::"
            in "\n".join(errors)
        )


def test_acknowledged_findings_pass_the_gate_and_the_baseline_left_is_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(tmp_path / "log.jsonl", with_exemptions())
    assert main(["report", "--event-log", str(log), "--fail-on", "severity>=high"]) == 1
    out, err = capsys.readouterr()
    assert "13 mandatory, 9 advisory, 4 acknowledged finding(s); 2 baseline entr(ies) remain, 1 stale" in out
    assert (
        "public-access-block on urn:pulumi:dev::rule-breakers::envstackbroken:index:RuleBreakers"
        "$aws:s3/bucket:" in err
    )
    assert "v2-bucket" not in err


def test_a_bad_fail_on_or_event_log_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--event-log", str(PREVIEW), "--fail-on", "warning"]) == 2
    assert capsys.readouterr().err == (
        "envstack-policy report: --fail-on 'warning' is not one of mandatory, advisory, "
        "severity>=low, severity>=medium, severity>=high, severity>=critical\n"
    )
    assert main(["report", "--event-log", str(tmp_path / "none.jsonl")]) == 2
    assert "envstack-policy report: " in capsys.readouterr().err


def test_an_output_that_cannot_be_written_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--event-log", str(PREVIEW), "--junit", str(tmp_path / "no" / "dir.xml")]) == 2
    assert "envstack-policy report: [Errno 2] No such file or directory" in capsys.readouterr().err


def test_baseline_records_the_findings_and_says_what_it_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stack_file = tmp_path / "Pulumi.dev.yaml"
    stack_file.write_text("config:\n  aws:region: us-east-2\n")
    expires = (datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=90)).isoformat()
    log = tmp_path / "log.jsonl"
    shutil.copy(PREVIEW, log)
    args = ["baseline", "--event-log", str(log), "--stack-config", str(stack_file), "--expires", expires]
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{stack_file}: 22 baseline exemption(s) added, expiring {expires}"
    assert out[1].startswith("already listed, not added again: envstack-iam-no-wildcards on urn:")
    entries = yaml.safe_load(stack_file.read_text())["config"]["envstack-policy:exemptions"]
    assert len(entries) == 22 and entries[0]["expires"] == expires


def test_baseline_names_findings_no_exemption_can_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = events()
    for event in log:
        if (violation := event.get("policyEvent")) and violation["policyName"] == "envstack-sqs-encryption":
            violation.pop("resourceUrn")
    stack_file = tmp_path / "Pulumi.dev.yaml"
    stack_file.write_text("")
    expires = (datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=30)).isoformat()
    args = [
        "baseline",
        "--event-log",
        str(write(tmp_path / "log.jsonl", log)),
        "--stack-config",
        str(stack_file),
    ]
    assert main([*args, "--expires", expires]) == 0
    err = capsys.readouterr().err
    assert err.startswith(
        "not recorded: envstack-sqs-encryption names no resource, so no exemption can match it:"
    )


def test_baseline_refuses_an_expiry_in_the_past(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["baseline", "--event-log", str(PREVIEW), "--stack-config", str(tmp_path / "P.yaml")]
    assert main([*args, "--expires", "2020-01-01"]) == 2
    assert "envstack-policy baseline: --expires 2020-01-01: must be after today" in capsys.readouterr().err
