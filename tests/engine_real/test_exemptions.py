"""Exemptions under the real engine: the pinned CLI starts the executable pack and hands it both sources.

Two programs: a hand-written YAML stack that is not envstack's (one bare
``aws:s3/bucket:Bucket`` with none of the companions the pack asks for, the
legacy bucket a team adopting the pack finds everywhere), and a copy of
examples/yaml. Exemptions come from the pack config (``--policy-pack-config``)
and from the stack's own ``Pulumi.<stack>.yaml`` under
``envstack-policy:exemptions``, which the engine passes in ``ConfigureStack``.
The unquoted YAML dates in the stack files are deliberate: that is how a
user writes them, and the engine turns them into text the pack must read.

Each fixture is one engine run; the tests read its output. Outcomes pinned
here: acknowledged (by URN, by type/name glob, from each source), expired,
stale, malformed, forbidden; at preview, at ``up`` and in
``pulumi policy analyze``. The previews and the ``up`` also record the
engine's event log, which ``envstack-policy report`` turns into SARIF, JUnit
and Markdown, judged by the formats' own referees.
"""

import json
import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from envstack_testkit import engine
from envstack_testkit.report_referees import junit_cases, sarif_errors, sarif_records

from .conftest import YAML_EXAMPLE, mandatory, reported

PROJECT = "legacy-estate"
BUCKET_URN = f"urn:pulumi:dev::{PROJECT}::aws:s3/bucket:Bucket::legacy-uploads"
SOON = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()

LEGACY_ESTATE = Path(__file__).resolve().parent / "legacy_estate"
"""The hand-written program: one bare bucket (its Pulumi.yaml says why)."""

GONE_QUEUE = f"urn:pulumi:dev::{PROJECT}::aws:sqs/queue:Queue::legacy-events"
"""A queue this stack no longer has: its exemption is stale."""

BUCKET_POLICIES = ("envstack-s3-encryption", "envstack-s3-public-access-block", "envstack-s3-tls-only")
"""The bucket's mandatory findings besides versioning, which the pack config waives by pattern."""


def stack_file(expires: str) -> str:
    """The stack's file with one exemption, written as a user writes it (the date unquoted)."""
    return (
        "config:\n"
        "  envstack-policy:exemptions:\n"
        "    - id: legacy-bucket-versioning\n"
        "      policy: envstack-s3-versioning\n"
        f'      urn: "{BUCKET_URN}"\n'
        "      reason: Bucket predates the versioning rule; migration tracked\n"
        f"      expires: {expires}\n"
        "      approvedBy: alice@example.com\n"
        "      ticket: SEC-123\n"
    )


def pack_exemptions(*, with_versioning: bool = False) -> list[dict[str, Any]]:
    """The platform team's entries: the bucket's other findings by glob, a stale one, another stack's."""
    entries: list[dict[str, Any]] = [
        {
            "id": f"legacy-{policy.removeprefix('envstack-s3-')}",
            "policy": policy,
            "type": "aws:s3/bucket:Bucket",
            "name": "legacy-*",
            "reason": "Legacy buckets are rebuilt in the Q3 migration",
            "expires": SOON,
            "approvedBy": "platform@example.com",
        }
        for policy in BUCKET_POLICIES
    ]
    entries.append(
        {
            "id": "old-queue-encryption",
            "policy": "envstack-sqs-encryption",
            "urn": GONE_QUEUE,
            "reason": "The legacy queue was deleted last quarter",
            "expires": SOON,
        }
    )
    # The pack config serves every stack: another stack's entry is neither applied nor stale here.
    entries.append(
        {**entries[-1], "id": "prod-queue-encryption", "urn": GONE_QUEUE.replace(":dev::", ":prod::")}
    )
    if with_versioning:
        entries.append(
            {
                "id": "legacy-versioning-central",
                "policy": "envstack-s3-versioning",
                "urn": BUCKET_URN,
                "reason": "Bucket predates the versioning rule; migration tracked",
                "expires": SOON,
            }
        )
    return entries


def write_pack_config(workspace: engine.Workspace, name: str, settings: dict[str, Any]) -> str:
    path = workspace.root / name
    path.write_text(json.dumps({"envstack-exemptions": settings}))
    return str(path)


def event_log(workspace: engine.Workspace, name: str) -> str:
    """Where a run of ``workspace`` records the engine's event log (``--event-log``)."""
    return str(workspace.root / f"{name}.jsonl")


def report(
    workspace: engine.Workspace, name: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, Path]]:
    """``envstack-policy report --fail-on mandatory`` of one run's event log, as a CI step runs it."""
    log = Path(event_log(workspace, name))
    out = {kind: log.with_suffix(f".{kind}") for kind in ("sarif", "xml", "md")}
    result = subprocess.run(
        [
            str(engine.REPORT_COMMAND),
            "report",
            "--event-log",
            str(log),
            "--sarif",
            str(out["sarif"]),
            "--junit",
            str(out["xml"]),
            "--markdown",
            str(out["md"]),
            "--fail-on",
            "mandatory",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return result, out


def sarif_results(out: dict[str, Path]) -> list[dict[str, Any]]:
    """The SARIF file's results, once the schema and sarif-tools have both accepted it."""
    document = json.loads(out["sarif"].read_text())
    assert sarif_errors(document) == []
    results: list[dict[str, Any]] = document["runs"][0]["results"]
    assert len(sarif_records(out["sarif"])) == len(results)
    return results


def lines(run: engine.Run, start: str) -> list[str]:
    """The engine's printed policy messages that start with ``start``."""
    return [line.strip() for line in run.stdout.splitlines() if line.strip().startswith(start)]


def levels(run: engine.Run, policy: str) -> list[str]:
    """The levels the engine printed for one policy's violations."""
    return re.findall(
        r"\[(mandatory|advisory)\] \[severity: \w+\]\s+" + re.escape(policy) + r"\s", run.stdout
    )


@pytest.fixture(scope="module")
def legacy() -> Iterator[engine.Workspace]:
    """The hand-written stack ``dev`` whose file exempts the bucket from versioning until next month."""
    with engine.Workspace(LEGACY_ESTATE, extra_env=engine.EVENT_LOG_ENV) as workspace:
        (workspace.program / "Pulumi.dev.yaml").write_text(stack_file(SOON))
        workspace.init_stack("dev")
        yield workspace


@pytest.fixture(scope="module")
def exempted_preview(legacy: engine.Workspace) -> engine.Run:
    """Preview with both sources: every mandatory finding of the bucket is waived."""
    config = write_pack_config(legacy, "exempt.json", {"exemptions": pack_exemptions()})
    return legacy.preview_with_pack(
        "--policy-pack-config", config, "--event-log", event_log(legacy, "exempted")
    )


@pytest.fixture(scope="module")
def exempted_up(legacy: engine.Workspace, exempted_preview: engine.Run) -> engine.Run:
    """``pulumi up`` with the same exemptions (after the preview, which leaves no state behind)."""
    config = str(legacy.root / "exempt.json")
    return legacy.up(
        "--policy-pack",
        engine.policy_pack_argument(),
        "--policy-pack-config",
        config,
        "--event-log",
        event_log(legacy, "exempted-up"),
    )


@pytest.fixture(scope="module")
def analyzed(legacy: engine.Workspace, exempted_up: engine.Run) -> engine.Run:
    """``pulumi policy analyze`` of the deployed stack: no ConfigureStack there, so the pack config only."""
    exempted_up.check()
    config = write_pack_config(legacy, "central.json", {"exemptions": pack_exemptions(with_versioning=True)})
    return legacy.run(
        "policy", "analyze", "--policy-pack", engine.policy_pack_argument(), "--policy-pack-config", config
    )


@pytest.fixture(scope="module")
def refused_preview(legacy: engine.Workspace, analyzed: engine.Run) -> engine.Run:
    """Preview with the stack's exemption expired, encryption forbidden, and one malformed entry."""
    (legacy.program / "Pulumi.dev.yaml").write_text(stack_file("2020-01-31"))
    malformed = {
        "policy": "envstack-s3-versioning",
        "name": "legacy-*",
        "reason": "old",
        "expires": "31/12/2026",
    }
    config = write_pack_config(
        legacy,
        "refused.json",
        {"exemptions": [*pack_exemptions(), malformed], "forbidden": ["envstack-s3-encryption"]},
    )
    return legacy.preview_with_pack(
        "--policy-pack-config", config, "--event-log", event_log(legacy, "refused")
    )


def test_exempted_findings_pass_the_preview_as_acknowledged_advisories(exempted_preview: engine.Run) -> None:
    run = exempted_preview
    assert run.returncode == 0, run.output
    assert mandatory(run) == []
    for policy in (*BUCKET_POLICIES, "envstack-s3-versioning"):
        assert levels(run, policy) == ["advisory"], policy
    acknowledged = lines(run, "ACKNOWLEDGED by exemption")
    # The engine prints the policy's description on a line of its own, then the acknowledged finding.
    assert any(
        line.startswith(
            'ACKNOWLEDGED by exemption "legacy-bucket-versioning" (expires '
            f"{SOON}; approved by alice@example.com; ticket SEC-123): Bucket predates the versioning rule; "
            "migration tracked. Finding: "
        )
        for line in acknowledged
    ), acknowledged
    assert sorted(line.split('"')[1] for line in acknowledged) == [
        "legacy-bucket-versioning",
        "legacy-encryption",
        "legacy-public-access-block",
        "legacy-tls-only",
    ]
    # The finding itself is still printed under the acknowledgement, fix included.
    assert "does not have versioning enabled" in run.stdout


def test_an_exemption_that_matches_nothing_is_reported_stale(exempted_preview: engine.Run) -> None:
    assert levels(exempted_preview, "envstack-exemptions") == ["advisory"]
    stale = lines(exempted_preview, "STALE exemption")
    assert len(stale) == 1
    assert stale[0].startswith(
        'STALE exemption "old-queue-encryption": no finding of envstack-sqs-encryption'
    )


def test_up_applies_the_same_exemptions(exempted_up: engine.Run) -> None:
    assert exempted_up.returncode == 0, exempted_up.output
    assert mandatory(exempted_up) == []
    assert len(lines(exempted_up, "ACKNOWLEDGED by exemption")) == 4
    assert len(lines(exempted_up, "STALE exemption")) == 1


def test_policy_analyze_applies_the_pack_config_exemptions(analyzed: engine.Run) -> None:
    assert analyzed.returncode == 0, analyzed.output
    assert mandatory(analyzed) == []
    acknowledged = {line.split('"')[1] for line in lines(analyzed, "ACKNOWLEDGED by exemption")}
    assert acknowledged == {
        "legacy-versioning-central",
        "legacy-encryption",
        "legacy-public-access-block",
        "legacy-tls-only",
    }
    assert [line.split('"')[1] for line in lines(analyzed, "STALE exemption")] == ["old-queue-encryption"]


def test_an_expired_exemption_fails_the_preview_and_says_when_it_expired(refused_preview: engine.Run) -> None:
    run = refused_preview
    assert run.returncode != 0
    assert "error: preview failed" in run.output
    assert levels(run, "envstack-s3-versioning") == ["mandatory"]
    assert '(exemption "legacy-bucket-versioning" expired on 2020-01-31 and no longer applies)' in run.stdout


def test_malformed_and_forbidden_exemptions_are_mandatory_and_waive_nothing(
    refused_preview: engine.Run,
) -> None:
    run = refused_preview
    invalid = lines(run, "INVALID exemption")
    assert (
        'INVALID exemption "pack-config[5]": field reason = "old": must be at least 10 characters' in invalid
    )
    assert (
        'INVALID exemption "pack-config[5]": field expires = "31/12/2026": must be an ISO date (YYYY-MM-DD)'
        in invalid
    )
    assert (
        'INVALID exemption "legacy-encryption": field policy = "envstack-s3-encryption": '
        "exemptions for this policy are forbidden by the pack config"
    ) in invalid
    assert sorted(levels(run, "envstack-exemptions")) == ["advisory"] + ["mandatory"] * 3  # the stale one
    # The forbidden entry waived nothing: encryption is mandatory again; the allowed ones still hold.
    assert levels(run, "envstack-s3-encryption") == ["mandatory"]
    assert levels(run, "envstack-s3-tls-only") == ["advisory"]
    assert set(mandatory(run)) == {"envstack-s3-versioning", "envstack-s3-encryption", "envstack-exemptions"}


@pytest.fixture(scope="module")
def example_with_exemptions() -> Iterator[engine.Run]:
    """examples/yaml's dev stack judged by a suffix it does not use; its stack file waives each finding."""
    with engine.Workspace(YAML_EXAMPLE) as workspace:
        stack_path: Path = workspace.program / "Pulumi.dev.yaml"
        settings = yaml.safe_load(stack_path.read_text())
        settings["config"]["envstack-policy:exemptions"] = [
            {
                "id": "suffix-rename-pending",
                "policy": "envstack-naming-suffix",
                "type": "aws:*",
                "name": "*",
                "reason": "Names move to the -alice suffix with the next release",
                "expires": SOON,
                "ticket": "PLAT-7",
            }
        ]
        stack_path.write_text(yaml.safe_dump(settings, sort_keys=False))
        workspace.init_stack("dev")
        config = workspace.root / "pack-config.json"
        config.write_text(json.dumps({"envstack-naming-suffix": {"suffix": "alice"}}))
        yield workspace.preview_with_pack("--policy-pack-config", str(config))


def test_a_glob_exemption_in_an_examples_stack_file_acknowledges_each_child(
    example_with_exemptions: engine.Run,
) -> None:
    run = example_with_exemptions
    assert run.returncode == 0, run.output
    assert mandatory(run) == []
    acknowledged = lines(run, 'ACKNOWLEDGED by exemption "suffix-rename-pending"')
    # One per physically named child of the component: each is reported, none is dropped.
    assert len(acknowledged) == len(levels(run, "envstack-naming-suffix")) >= 5
    assert all("approved by nobody named; ticket PLAT-7" in line for line in acknowledged)
    assert "envstack-naming-suffix" in reported(run)


@pytest.mark.parametrize("name", ["exempted", "exempted-up"])
def test_an_exempted_runs_event_log_reports_suppressed_findings_and_passes_the_gate(
    legacy: engine.Workspace, exempted_up: engine.Run, name: str
) -> None:
    exempted_up.check()
    result, out = report(legacy, name)
    assert result.returncode == 0, result.stdout + result.stderr
    results = sarif_results(out)
    # Each waived finding is still a result, suppressed with its exemption's reason as the justification.
    suppressed = {
        r["ruleId"]: r["suppressions"][0]["justification"] for r in results if r.get("suppressions")
    }
    assert suppressed == {
        "envstack-s3-versioning": "Bucket predates the versioning rule; migration tracked",
        **{policy: "Legacy buckets are rebuilt in the Q3 migration" for policy in BUCKET_POLICIES},
    }
    assert not [r for r in results if r["level"] == "error"]
    stale = [r for r in results if r["ruleId"] == "envstack-exemptions"]
    assert [(r["level"], r["message"]["text"].split('"')[1]) for r in stale] == [
        ("warning", "old-queue-encryption")
    ]
    assert not any(case.failed for case in junit_cases(out["xml"]))
    assert "old-queue-encryption" in out["md"].read_text()


def test_a_refused_runs_event_log_reports_the_expired_and_invalid_exemptions_and_fails_the_gate(
    legacy: engine.Workspace, refused_preview: engine.Run
) -> None:
    result, out = report(legacy, "refused")
    assert result.returncode == 1, result.stdout + result.stderr
    results = sarif_results(out)
    errors = sorted(r["ruleId"] for r in results if r["level"] == "error")
    assert errors == ["envstack-exemptions"] * 3 + ["envstack-s3-encryption", "envstack-s3-versioning"]
    (expired,) = [r for r in results if r["ruleId"] == "envstack-s3-versioning"]
    assert "suppressions" not in expired
    assert '(exemption "legacy-bucket-versioning" expired on 2020-01-31' in expired["message"]["text"]
    invalid = [
        r["message"]["text"]
        for r in results
        if r["ruleId"] == "envstack-exemptions" and r["level"] == "error"
    ]
    assert all(text.startswith("INVALID exemption") for text in invalid), invalid
    failed = {case.name for case in junit_cases(out["xml"]) if case.failed}
    assert failed == {"envstack-exemptions", "envstack-s3-encryption", "envstack-s3-versioning"}
