"""``envstack-policy report`` and ``baseline`` on event logs the real engine wrote.

The pinned CLI runs ``pulumi preview --policy-pack <executable pack>
--event-log FILE`` (with ``PULUMI_DEBUG_COMMANDS=true``, without which CLI
v3.274.1 does not register the flag) on the hand-written rule breakers'
program, and ``pulumi up`` likewise on a copy of examples/yaml judged by a
suffix it does not use (at advisory level, so the update goes ahead);
the installed ``envstack-policy`` command turns each log into SARIF, JUnit XML
and Markdown, which OASIS's schema, ``sarif-tools`` and ``junitparser``
accept and read back, and records the rule breakers' findings as a baseline
in their stack file, which the CLI then reads as the stack's config.
"""

import datetime
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from envstack_policy.reports.events import read_event_log
from envstack_testkit import engine
from envstack_testkit.report_referees import junit_cases, sarif_errors, sarif_records

from .conftest import RULE_BREAKERS, YAML_EXAMPLE, mandatory, reported

EXEMPTIONS_KEY = "envstack-policy:exemptions"
RECORDED = engine.ROOT / "tests" / "policy_unit" / "event_logs" / "rule_breakers_preview.jsonl"
"""The rule breakers' preview log the report's fast tests read (``make event-logs``)."""


@dataclass(frozen=True)
class Judged:
    """One preview with the pack and the event log it wrote."""

    workspace: engine.Workspace
    run: engine.Run
    event_log: Path


def envstack_policy(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed ``envstack-policy`` console script, as a CI step runs it."""
    return subprocess.run(
        [str(engine.REPORT_COMMAND), *args], capture_output=True, text=True, check=False, timeout=120
    )


def judge(workspace: engine.Workspace, name: str, *args: str) -> Judged:
    """``pulumi preview --policy-pack ... --event-log`` in ``workspace``."""
    event_log = workspace.root / f"{name}.jsonl"
    run = workspace.preview_with_pack("--event-log", str(event_log), *args)
    return Judged(workspace, run, event_log)


@pytest.fixture(scope="module")
def rule_breakers() -> Iterator[Judged]:
    """The rule breakers' preview (stack dev, no pack config) and its event log."""
    with engine.Workspace(RULE_BREAKERS, extra_env=engine.EVENT_LOG_ENV) as workspace:
        workspace.init_stack("dev")
        yield judge(workspace, "preview")


def report(judged: Judged, *args: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Path]]:
    """``envstack-policy report`` of a run's event log into all three formats."""
    out = {kind: judged.event_log.with_suffix(f".{kind}") for kind in ("sarif", "xml", "md")}
    result = envstack_policy(
        "report",
        "--event-log",
        str(judged.event_log),
        "--sarif",
        str(out["sarif"]),
        "--junit",
        str(out["xml"]),
        "--markdown",
        str(out["md"]),
        *args,
    )
    return result, out


def test_the_rule_breakers_log_becomes_sarif_junit_and_markdown_that_read_back(rule_breakers: Judged) -> None:
    assert rule_breakers.run.returncode != 0
    result, out = report(rule_breakers, "--fail-on", "mandatory")
    assert result.returncode == 1, result.stderr
    printed = rule_breakers.run.stdout.count("[mandatory] [severity:") + rule_breakers.run.stdout.count(
        "[advisory] [severity:"
    )
    document = json.loads(out["sarif"].read_text())
    assert sarif_errors(document) == []
    records = sarif_records(out["sarif"])
    # One SARIF result per violation the engine printed, at the level it printed it.
    assert len(records) == printed
    assert sum(r["Severity"] == "error" for r in records) == len(mandatory(rule_breakers.run))
    assert {r["Code"] for r in records} == reported(rule_breakers.run)
    cases = junit_cases(out["xml"])
    assert {c.name for c in cases if c.failed} == set(mandatory(rule_breakers.run))
    assert len(cases) > 400  # every policy on every resource, the passing checks included
    markdown = out["md"].read_text()
    assert (
        f"{printed} finding(s) in the preview (failed): {len(mandatory(rule_breakers.run))} mandatory"
        in markdown
    )
    assert result.stdout.startswith(
        f"{rule_breakers.event_log}: {len(mandatory(rule_breakers.run))} mandatory"
    )
    assert len(result.stderr.splitlines()) == len(mandatory(rule_breakers.run))


def test_the_recorded_event_log_the_fast_tests_read_is_not_stale(rule_breakers: Judged) -> None:
    def findings(path: Path) -> set[tuple[str, str, str, str]]:
        return {(f.policy, f.urn, f.level, f.text) for f in read_event_log(path).findings}

    assert findings(rule_breakers.event_log) == findings(RECORDED), "run `make event-logs`"


def test_a_severity_gate_passes_what_it_does_not_name(rule_breakers: Judged) -> None:
    result = envstack_policy(
        "report", "--event-log", str(rule_breakers.event_log), "--fail-on", "severity>=critical"
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_an_up_of_an_example_with_advisory_findings_is_reported_as_an_update() -> None:
    # examples/yaml judged by a suffix it does not use, the naming policy turned advisory: `up` goes ahead.
    with engine.Workspace(YAML_EXAMPLE, extra_env=engine.EVENT_LOG_ENV) as workspace:
        workspace.init_stack("dev")
        config = workspace.root / "pack-config.json"
        config.write_text(
            json.dumps({"envstack-naming-suffix": {"enforcementLevel": "advisory", "suffix": "alice"}})
        )
        event_log = workspace.root / "up.jsonl"
        run = workspace.up(
            "--policy-pack",
            engine.policy_pack_argument(),
            "--policy-pack-config",
            str(config),
            "--event-log",
            str(event_log),
        ).check()
        judged = Judged(workspace, run, event_log)
        result, out = report(judged, "--fail-on", "mandatory")
        assert result.returncode == 0, result.stderr
        document = json.loads(out["sarif"].read_text())
        assert sarif_errors(document) == []
        records = sarif_records(out["sarif"])
        assert {(r["Code"], r["Severity"]) for r in records} == {("envstack-naming-suffix", "warning")}
        assert len(records) == run.stdout.count("[advisory] [severity:")
        results = document["runs"][0]["results"]
        urns = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] for r in results}
        assert all(urn.startswith("urn:pulumi:dev::pulumi-infra::") for urn in urns)
        assert document["runs"][0]["properties"] == {"preview": False, "result": "succeeded"}
        assert not any(c.failed for c in junit_cases(out["xml"]))
        markdown = out["md"].read_text()
        assert (
            f"{len(records)} finding(s) in the update (succeeded): 0 mandatory, {len(records)} advisory"
            in markdown
        )
        assert "does not end with the environment suffix '-alice'" in markdown
        gate = envstack_policy("report", "--event-log", str(event_log), "--fail-on", "advisory")
        assert gate.returncode == 1


def test_a_baseline_is_recorded_in_the_stack_file_the_cli_reads(rule_breakers: Judged) -> None:
    stack_file = rule_breakers.workspace.program / "Pulumi.dev.yaml"
    before = yaml.safe_load(stack_file.read_text())
    expires = (datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=90)).isoformat()
    result = envstack_policy(
        "baseline",
        "--event-log",
        str(rule_breakers.event_log),
        "--stack-config",
        str(stack_file),
        "--expires",
        expires,
    )
    assert result.returncode == 0, result.stderr
    after = yaml.safe_load(stack_file.read_text())
    entries = after["config"].pop(EXEMPTIONS_KEY)
    assert after == before
    # One exemption per policy and resource the engine reported a finding for.
    pairs = {(e["policy"], e["urn"]) for e in entries}
    assert len(pairs) == len(entries)
    assert {policy for policy, _ in pairs} == reported(rule_breakers.run)
    # The engine reads the list back as the stack's config (what it hands the pack in ConfigureStack).
    config = rule_breakers.workspace.run("config", "get", EXEMPTIONS_KEY, "--json").check()
    assert json.loads(json.loads(config.stdout)["value"]) == entries


def test_after_a_baseline_only_a_new_finding_fails(rule_breakers: Judged) -> None:
    # Runs after the baseline test above (one module, in file order): the stack file holds the baseline.
    stack_file = rule_breakers.workspace.program / "Pulumi.dev.yaml"
    assert EXEMPTIONS_KEY in yaml.safe_load(stack_file.read_text())["config"]
    again = judge(rule_breakers.workspace, "baselined")
    assert again.run.returncode == 0, again.run.stdout
    assert 'ACKNOWLEDGED by exemption "baseline-1"' in again.run.stdout
    entries = yaml.safe_load(stack_file.read_text())["config"][EXEMPTIONS_KEY]
    result, out = report(again, "--fail-on", "advisory")
    assert result.returncode == 0, result.stderr
    assert f"{len(entries)} baseline entr(ies) remain, 0 stale" in result.stdout
    document = json.loads(out["sarif"].read_text())
    assert sarif_errors(document) == []
    results = document["runs"][0]["results"]
    # Every old finding is still reported, suppressed by its baseline entry with the entry's reason.
    assert len(results) == len(sarif_records(rule_breakers.event_log.with_suffix(".sarif")))
    reasons = {r["suppressions"][0]["justification"] for r in results}
    assert reasons == {entries[0]["reason"]}
    assert not any(c.failed for c in junit_cases(out["xml"]))
    # A new finding: the pack now judges names by a suffix the old findings did not break.
    config = rule_breakers.workspace.root / "pack-config.json"
    config.write_text(json.dumps({"envstack-naming-suffix": {"suffix": "alice"}}))
    new = judge(rule_breakers.workspace, "new", "--policy-pack-config", str(config))
    assert new.run.returncode != 0
    assert set(mandatory(new.run)) == {"envstack-naming-suffix"}
    result, _ = report(new, "--fail-on", "mandatory")
    assert result.returncode == 1
