"""SARIF, JUnit XML, Markdown and the gate, from recorded event logs, judged by the formats' own referees."""

import json
from pathlib import Path
from typing import Any

import pytest
from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    ResourceValidationPolicy,
    Severity,
)

from envstack_policy.pack import PACK_NAME, POLICIES
from envstack_policy.reports.events import EventLog, read_event_log
from envstack_policy.reports.gate import failing, parse_fail_on
from envstack_policy.reports.junit import junit_xml
from envstack_policy.reports.markdown import markdown_summary
from envstack_policy.reports.rules import Rule, at_least, pack_rules, rule_of, rules_for
from envstack_policy.reports.sarif import sarif_log
from envstack_testkit.report_referees import junit_cases, sarif_errors, sarif_records

from .event_log_edits import (
    ENGINE_EXCEPTION,
    LOOSE_BUCKET,
    PREVIEW,
    V2_BUCKET,
    events,
    with_exemptions,
    write,
)

KNOWN = {PACK_NAME: pack_rules(POLICIES)}


@pytest.fixture
def acknowledged_log(tmp_path: Path) -> EventLog:
    """The preview's log with a baseline entry, a reviewed exemption, stale ones and an invalid one."""
    return read_event_log(write(tmp_path / "log.jsonl", with_exemptions()))


def _sarif(log: EventLog, path: Path) -> dict[str, Any]:
    document = sarif_log(log, KNOWN)
    path.write_text(json.dumps(document), encoding="utf-8")
    return document


def test_the_sarif_validates_and_sarif_tools_reads_every_finding(tmp_path: Path) -> None:
    log = read_event_log(PREVIEW)
    document = _sarif(log, tmp_path / "report.sarif")
    assert sarif_errors(document) == []
    records = sarif_records(tmp_path / "report.sarif")
    assert len(records) == 23
    assert sum(r["Severity"] == "error" for r in records) == 16
    assert sum(r["Severity"] == "warning" for r in records) == 7
    assert {r["Tool"] for r in records} == {"envstack"}
    assert {r["Code"] for r in records} == {f.policy for f in log.findings}


def test_the_schema_referee_rejects_what_is_not_sarif() -> None:
    assert sarif_errors({"version": "2.1.0", "runs": [{"tool": {}}]}) == [
        "runs/0/tool: 'driver' is a required property"
    ]


def test_each_policy_is_a_rule_with_its_fix_and_severity(tmp_path: Path) -> None:
    run = _sarif(read_event_log(PREVIEW), tmp_path / "r.sarif")["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert set(rules) == {policy.name for policy in POLICIES}
    versioning = rules["envstack-s3-versioning"]
    assert versioning["shortDescription"]["text"] == "S3 buckets have versioning enabled."
    assert versioning["help"]["text"].startswith("Add an aws.s3.BucketVersioning with status Enabled")
    assert versioning["defaultConfiguration"]["level"] == "error"
    assert versioning["properties"]["security-severity"] == "5.5"
    result = next(r for r in run["results"] if r["ruleId"] == "envstack-s3-versioning")
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "envstack-s3-versioning"
    location = result["locations"][0]["logicalLocations"][0]
    assert location["fullyQualifiedName"] in {LOOSE_BUCKET, V2_BUCKET}
    assert "suppressions" not in result


def test_an_acknowledged_finding_is_a_suppressed_result_with_the_reason(
    acknowledged_log: EventLog, tmp_path: Path
) -> None:
    document = _sarif(acknowledged_log, tmp_path / "r.sarif")
    assert sarif_errors(document) == []
    results = document["runs"][0]["results"]
    suppressed = {r["suppressions"][0]["properties"]["exemption"]: r for r in results if "suppressions" in r}
    assert set(suppressed) == {"baseline-1", "baseline-2", "legacy-v2"}
    reviewed = suppressed["legacy-v2"]
    assert reviewed["level"] == "warning"
    assert reviewed["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "Bucket predates the rule; migration tracked",
            "properties": {
                "exemption": "legacy-v2",
                "source": "envstack",
                "expires": "2027-03-31",
                "approvedBy": "alice@example.com",
                "ticket": "SEC-123",
            },
        }
    ]
    assert reviewed["message"]["text"].startswith("v2-bucket (aws:s3:BucketV2): has no public access block.")
    # The pack's exemptions policy is not one of the pack's policies here yet: its rule comes from the log.
    rules = [rule["id"] for rule in document["runs"][0]["tool"]["driver"]["rules"]]
    assert rules.count("envstack-exemptions") == 1
    assert len(sarif_records(tmp_path / "r.sarif")) == 26


def test_the_engines_own_exception_is_a_suppression_too(tmp_path: Path) -> None:
    document = _sarif(read_event_log(ENGINE_EXCEPTION), tmp_path / "r.sarif")
    assert sarif_errors(document) == []
    suppressed = [r for r in document["runs"][0]["results"] if "suppressions" in r]
    assert [s["suppressions"][0]["justification"] for s in suppressed] == [
        "a test bucket that is emptied by hand"
    ]
    assert suppressed[0]["suppressions"][0]["properties"] == {
        "exemption": "loose-bucket-force-destroy",
        "source": "engine",
    }


def test_a_pack_the_report_does_not_know_gets_rules_from_its_findings(tmp_path: Path) -> None:
    log = events()
    for event in log:
        if violation := event.get("policyEvent"):
            violation.update(policyPackName="other", policyPackVersion="", severity="")
    document = _sarif(read_event_log(write(tmp_path / "other.jsonl", log)), tmp_path / "r.sarif")
    assert sarif_errors(document) == []
    runs = {run["tool"]["driver"]["name"]: run for run in document["runs"]}
    assert "version" not in runs["other"]["tool"]["driver"]
    assert len(runs["other"]["results"]) == 23
    rule = runs["other"]["tool"]["driver"]["rules"][0]
    assert "security-severity" not in rule["properties"]
    assert rule["help"]["text"] != ""


def test_framework_metadata_becomes_rule_tags_and_markdown_controls() -> None:
    policy = ResourceValidationPolicy(
        name="envstack-s3-versioning",
        description="S3 buckets have versioning enabled.",
        validate=lambda args, report: None,
        enforcement_level=EnforcementLevel.MANDATORY,
        severity=Severity.MEDIUM,
        framework=PolicyComplianceFramework(name="aws-fsbp", version="1.0.0"),
        tags=["S3.14"],
        url="https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-14",
    )
    rule = rule_of(policy)
    assert rule.controls == ("aws-fsbp S3.14",)
    log = read_event_log(PREVIEW)
    document = sarif_log(log, {PACK_NAME: {**KNOWN[PACK_NAME], rule.id: rule}})
    assert sarif_errors(document) == []
    sarif_rule = next(r for r in document["runs"][0]["tool"]["driver"]["rules"] if r["id"] == rule.id)
    assert sarif_rule["properties"]["tags"] == ["security", "S3.14", "aws-fsbp"]
    assert sarif_rule["helpUri"] == policy.url
    summary = markdown_summary(log, {rule.id: rule})
    assert "| aws-fsbp S3.14 | 2 |" in summary
    assert "| (no framework control) | 21 |" in summary


def test_tags_without_a_framework_are_controls_of_their_own() -> None:
    rule = Rule("p", "d", "h", "advisory", "", None, None, ("CIS 2.1.1",))
    assert rule.controls == ("CIS 2.1.1",)


def test_junit_has_a_case_per_policy_and_resource_failing_on_mandatory_findings(tmp_path: Path) -> None:
    path = tmp_path / "report.xml"
    path.write_bytes(junit_xml(read_event_log(PREVIEW)))
    cases = junit_cases(path)
    assert {c.suite for c in cases} == {"envstack 0.1.0"}
    by_key = {(c.name, c.classname): c for c in cases}
    assert len(by_key) == len(cases)
    versioning = by_key[("envstack-s3-versioning", LOOSE_BUCKET)]
    assert versioning.failed
    assert versioning.failure_message is not None
    assert versioning.failure_message.startswith("loose-bucket (aws:s3:Bucket): does not have versioning")
    # A stack policy that passed is one case for the stack; one that failed, a case per resource it named.
    assert not by_key[("envstack-sqs-visibility-timeout", "stack")].failed
    assert ("envstack-s3-versioning", "stack") not in by_key
    # An advisory finding leaves its case passing, with the finding in its output.
    tags = by_key[("envstack-tags-required", LOOSE_BUCKET)]
    assert not tags.failed
    assert tags.system_out is not None and tags.system_out.startswith("advisory [low]: loose-bucket")
    # Two mandatory findings of one policy on one resource fail one case.
    assert sum(c.failed for c in cases) == 15
    # 467 resource checks, 4 stack policies that passed, 10 (policy, resource) pairs of 6 that failed.
    assert len(cases) == 467 + 4 + 10


def test_junit_keeps_acknowledged_and_resourceless_findings(
    acknowledged_log: EventLog, tmp_path: Path
) -> None:
    path = tmp_path / "report.xml"
    path.write_bytes(junit_xml(acknowledged_log))
    by_key = {(c.name, c.classname): c for c in junit_cases(path)}
    reviewed = by_key[("envstack-s3-public-access-block", V2_BUCKET)]
    assert not reviewed.failed
    assert reviewed.system_out is not None
    assert reviewed.system_out.startswith(
        "acknowledged by exemption 'legacy-v2': Bucket predates the rule; migration tracked: v2-bucket"
    )
    invalid = [c for c in by_key.values() if c.name == "envstack-exemptions"]
    assert len(invalid) == 1 and invalid[0].failed


def test_a_stack_finding_without_a_resource_is_a_case_of_the_stack(tmp_path: Path) -> None:
    log = events()
    for event in log:
        if (violation := event.get("policyEvent")) and violation["policyName"] == "envstack-s3-versioning":
            violation.pop("resourceUrn")
    path = tmp_path / "report.xml"
    path.write_bytes(junit_xml(read_event_log(write(tmp_path / "log.jsonl", log))))
    stack_cases = [c for c in junit_cases(path) if c.name == "envstack-s3-versioning"]
    assert [(c.classname, c.failed) for c in stack_cases] == [("stack", True)]
    document = sarif_log(read_event_log(tmp_path / "log.jsonl"), KNOWN)
    assert sarif_errors(document) == []
    result = next(r for r in document["runs"][0]["results"] if r["ruleId"] == "envstack-s3-versioning")
    assert result["locations"][0]["logicalLocations"] == [{"kind": "resource", "name": "stack"}]


def test_markdown_counts_then_lists_each_finding_with_its_fix(acknowledged_log: EventLog) -> None:
    rules = rules_for(KNOWN[PACK_NAME], acknowledged_log.findings)
    summary = markdown_summary(acknowledged_log, rules)
    assert summary.startswith("## envstack policy report\n\n26 finding(s) in the preview (failed): ")
    assert "13 mandatory, 9 advisory, 4 acknowledged by an exemption" in summary
    assert "Baseline: 2 baseline entr(ies) still acknowledge a finding; 1 stale baseline entr(ies)" in summary
    assert "can be deleted (baseline-7)." in summary
    assert "| mandatory | 13 |" in summary and "| acknowledged | 4 |" in summary
    assert "| high | 3 |" in summary
    # Markdown markup in a message is escaped: the wildcard stays a star, not the start of emphasis.
    assert "allows wildcard action(s) \\*. **Fix:**" in summary
    findings = summary.split("### Findings\n\n")[1].splitlines()
    assert len(findings) == 26
    assert findings[0].startswith("- **mandatory** `envstack-exemptions` [medium] on `rule-breakers-dev`")
    assert findings[-2:] == [
        "- **acknowledged** `envstack-s3-public-access-block` [high] on `v2-bucket` "
        "(`aws:s3/bucketV2:BucketV2`): v2-bucket (aws:s3:BucketV2): has no public access block. "
        "**Fix:** add an aws.s3.BucketPublicAccessBlock "
        "with bucket=&lt;this bucket&gt;.id and blockPublicAcls, blockPublicPolicy, ignorePublicAcls and "
        "restrictPublicBuckets all true. _Exemption `legacy-v2`, expires 2027-03-31: "
        "Bucket predates the rule; migration tracked_",
        "- **acknowledged** `envstack-s3-versioning` [medium] on `loose-bucket` (`aws:s3/bucket:Bucket`): "
        "loose-bucket (aws:s3:Bucket): does not have versioning enabled, so an overwrite or a delete loses "
        "the object. **Fix:** add an aws.s3.BucketVersioning for it with versioningConfiguration "
        '{"status": "Enabled"} (and a lifecycle rule that expires noncurrent versions). '
        "_Exemption `baseline-1`, expires 2027-03-31: baseline of 2026-11-01_",
    ]


def test_markdown_of_a_clean_update_and_of_findings_without_a_fix(tmp_path: Path) -> None:
    log = events()
    for event in log:
        if violation := event.get("policyEvent"):
            violation.update(message="d\nno fix named | here\n", resourceUrn="", severity="")
        if summary := event.get("summaryEvent"):
            summary.update(isPreview=False, result="")
    clean = [e for e in log if "policyEvent" not in e]
    text = markdown_summary(read_event_log(write(tmp_path / "clean.jsonl", clean)), {})
    assert "0 finding(s) in the update (no result)" in text
    assert text.endswith("### Findings\n\nNo findings.\n")
    unknown = read_event_log(write(tmp_path / "nofix.jsonl", log))
    text = markdown_summary(unknown, {})
    assert (
        "- **mandatory** `envstack-s3-encryption` [unspecified] on the stack: no fix named \\| here\n" in text
    )
    assert "| unspecified | 12 |" in text  # the same message on the same (no) resource is one finding
    engine_excepted = read_event_log(ENGINE_EXCEPTION)
    text = markdown_summary(engine_excepted, rules_for({}, engine_excepted.findings))
    assert "_Exemption `loose-bucket-force-destroy`: a test bucket that is emptied by hand_" in text


@pytest.mark.parametrize(
    ("fail_on", "count"),
    [
        ("mandatory", 13),
        ("advisory", 22),
        ("severity>=high", 3),
        ("severity>=critical", 0),
        ("severity>=low", 22),
    ],
)
def test_the_gate_counts_what_fail_on_names_and_never_an_acknowledged_finding(
    acknowledged_log: EventLog, fail_on: str, count: int
) -> None:
    assert len(failing(acknowledged_log, parse_fail_on(fail_on))) == count


@pytest.mark.parametrize("value", ["error", "severity>=urgent", "severity>high"])
def test_an_unknown_fail_on_names_the_choices(value: str) -> None:
    with pytest.raises(
        ValueError, match=f"--fail-on '{value}' is not one of mandatory, advisory, severity>=low"
    ):
        parse_fail_on(value)


def test_an_unstated_severity_is_below_every_floor() -> None:
    assert not at_least("", "low")
    assert at_least("critical", "high")
