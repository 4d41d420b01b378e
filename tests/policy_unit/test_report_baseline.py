"""``envstack-policy baseline``: findings recorded as exemptions in a stack's config file, nothing else."""

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from envstack_policy.reports.baseline import (
    KEY,
    BaselineError,
    edit_stack_config,
    parse_expiry,
    record_baseline,
)
from envstack_policy.reports.events import EventLog, read_event_log

from .event_log_edits import LOOSE_BUCKET, PREVIEW, events, with_exemptions, write

TODAY = datetime.date(2026, 12, 4)
EXPIRES = datetime.date(2027, 3, 31)
STACK_FILE = """\
# dev's settings; reviewed with the code
config:
  aws:region: us-east-2   # the team's region
  rule-breakers:secret:
    secure: v1:abc:def
encryptionsalt: v1:salt
"""


def _entries(path: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = yaml.safe_load(path.read_text())["config"][KEY]
    return entries


@pytest.fixture
def stack_file(tmp_path: Path) -> Path:
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text(STACK_FILE)
    return path


def test_every_finding_that_counts_becomes_an_exemption_and_nothing_else_changes(stack_file: Path) -> None:
    recorded = record_baseline(read_event_log(PREVIEW), stack_file, EXPIRES, TODAY)
    # One exemption per policy and resource: the two wildcard findings on one role policy share one.
    assert len(recorded.added) == 22
    assert [f.policy for f in recorded.already_listed] == ["envstack-iam-no-wildcards"]
    text = stack_file.read_text()
    assert text.startswith(STACK_FILE.removesuffix("encryptionsalt: v1:salt\n"))
    assert text.endswith("encryptionsalt: v1:salt\n")
    entries = _entries(stack_file)
    assert entries == recorded.added
    assert [e["id"] for e in entries] == [f"baseline-{n}" for n in range(1, 23)]
    versioning = next(
        e for e in entries if e["policy"] == "envstack-s3-versioning" and e["urn"] == LOOSE_BUCKET
    )
    assert versioning["reason"] == "baseline of 2026-12-04"
    assert versioning["expires"] == "2027-03-31"
    assert set(versioning) == {"id", "policy", "urn", "reason", "expires"}


def test_acknowledged_findings_and_the_exemptions_policy_are_not_baselined(
    stack_file: Path, tmp_path: Path
) -> None:
    log = read_event_log(write(tmp_path / "log.jsonl", with_exemptions()))
    recorded = record_baseline(log, stack_file, EXPIRES, TODAY)
    assert len(recorded.added) == 19
    assert all(e["policy"] != "envstack-exemptions" for e in recorded.added)
    assert ("envstack-s3-versioning", LOOSE_BUCKET) not in {(e["policy"], e["urn"]) for e in recorded.added}


def test_a_second_baseline_appends_after_the_entries_already_there(stack_file: Path, tmp_path: Path) -> None:
    record_baseline(_only(read_event_log(PREVIEW), "envstack-s3-versioning"), stack_file, EXPIRES, TODAY)
    stack_file.write_text(
        stack_file.read_text().replace("  - id: baseline-2", "  # kept: a comment\n  - id: baseline-2")
    )
    recorded = record_baseline(read_event_log(PREVIEW), stack_file, EXPIRES, TODAY)
    assert sorted(f.policy for f in recorded.already_listed) == [
        "envstack-iam-no-wildcards",
        *["envstack-s3-versioning"] * 2,
    ]
    assert [e["id"] for e in recorded.added][:2] == ["baseline-3", "baseline-4"]
    assert "  # kept: a comment\n  - id: baseline-2" in stack_file.read_text()
    assert len(_entries(stack_file)) == 22


def _only(log: EventLog, policy: str) -> EventLog:
    log.findings = [f for f in log.findings if f.policy == policy]
    return log


def test_a_finding_without_a_resource_cannot_be_baselined(stack_file: Path, tmp_path: Path) -> None:
    log = events()
    for event in log:
        if (violation := event.get("policyEvent")) and violation["policyName"] == "envstack-s3-versioning":
            violation.pop("resourceUrn")
    recorded = record_baseline(read_event_log(write(tmp_path / "l.jsonl", log)), stack_file, EXPIRES, TODAY)
    assert {f.policy for f in recorded.no_resource} == {"envstack-s3-versioning"}
    assert len(recorded.added) == 20


def test_nothing_to_record_leaves_the_file_as_it_was(stack_file: Path) -> None:
    recorded = record_baseline(_only(read_event_log(PREVIEW), "none"), stack_file, EXPIRES, TODAY)
    assert recorded.added == []
    assert stack_file.read_text() == STACK_FILE


NEW = [
    {
        "id": "baseline-9",
        "policy": "p",
        "urn": "u",
        "reason": "baseline of 2026-12-04",
        "expires": "2027-03-31",
    }
]


@pytest.mark.parametrize(
    ("text", "existing", "expected"),
    [
        ("", [], "config:\n  envstack-policy:exemptions:\n  - id: baseline-9\n"),
        ("encryptionsalt: x\n", [], "encryptionsalt: x\nconfig:\n  envstack-policy:exemptions:\n"),
        (
            "config:\n    aws:region: us-east-2\n\n# end\n",
            [],
            "    aws:region: us-east-2\n    envstack-policy:exemptions:\n",
        ),
        (
            "config:\n  envstack-policy:exemptions: []\n  aws:region: x\n",
            [],
            "config:\n  envstack-policy:exemptions:\n  - id:",
        ),
        (
            'config:\n  "envstack-policy:exemptions":\n    - id: a\n      policy: p\n\n  aws:region: x\n',
            [{"id": "a", "policy": "p"}],
            "      policy: p\n    - id: baseline-9\n      policy: p\n",
        ),
    ],
)
def test_the_list_is_added_where_yaml_puts_it(text: str, existing: list[Any], expected: str) -> None:
    edited = edit_stack_config(text, existing, NEW)
    assert expected in edited
    before = yaml.safe_load(text) or {}
    after = yaml.safe_load(edited)
    assert after["config"][KEY] == [*existing, *NEW]
    assert {k: v for k, v in after["config"].items() if k != KEY} == {
        k: v for k, v in (before.get("config") or {}).items() if k != KEY
    }


def test_a_config_in_flow_style_is_refused() -> None:
    with pytest.raises(BaselineError, match="'config' is not written as a block mapping"):
        edit_stack_config("config: {aws:region: x}\n", [], NEW)


def test_an_edit_that_would_change_other_content_writes_nothing(stack_file: Path) -> None:
    # A block scalar whose last line reads like a comment: the new entries would land inside it.
    odd = (
        "config:\n  envstack-policy:exemptions:\n"
        "    - id: a\n      reason: |\n        text\n        # not a comment\n"
    )
    stack_file.write_text(odd)
    log = _only(read_event_log(PREVIEW), "envstack-s3-versioning")
    with pytest.raises(
        BaselineError, match="cannot add the baseline without changing the file's other content"
    ):
        record_baseline(log, stack_file, EXPIRES, TODAY)
    assert stack_file.read_text() == odd


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("config: [\n", "not YAML"),
        ("- a\n", "a stack config file is a mapping, found list"),
        ("config: 3\n", "'config' is int, not a mapping"),
        ("config:\n  envstack-policy:exemptions: bad\n", "config 'envstack-policy:exemptions' is not a list"),
    ],
)
def test_a_stack_file_it_cannot_read_is_refused(stack_file: Path, text: str, error: str) -> None:
    stack_file.write_text(text)
    with pytest.raises(BaselineError, match=error):
        record_baseline(read_event_log(PREVIEW), stack_file, EXPIRES, TODAY)


def test_a_missing_stack_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match=r"Pulumi\.nope\.yaml: cannot read: No such file"):
        record_baseline(read_event_log(PREVIEW), tmp_path / "Pulumi.nope.yaml", EXPIRES, TODAY)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("31/03/2027", "not a date in the form YYYY-MM-DD"),
        ("20270331", "not a date in the form YYYY-MM-DD"),
        ("2026-12-04", "must be after today \\(2026-12-04\\)"),
        ("2027-12-05", "more than 365 days ahead, which the pack refuses \\(maxDays 365\\)"),
    ],
)
def test_an_expiry_the_pack_would_refuse_is_refused_first(value: str, error: str) -> None:
    with pytest.raises(BaselineError, match=f"--expires '?{value}'?: {error}"):
        parse_expiry(value, TODAY)


def test_an_expiry_a_year_ahead_is_accepted() -> None:
    assert parse_expiry("2027-12-04", TODAY) == datetime.date(2027, 12, 4)
