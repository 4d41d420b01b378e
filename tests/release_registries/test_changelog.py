"""CHANGELOG.md and the release gates: the bump the changes require, schema-tools' verdict, the entries.

The version in ``VERSION`` is held to the same rules ``make version``
applies: at least the bump its changelog entry and Pulumi's ``schema-tools
compare`` with the last release's schema require (a breaking change fails
here unless the major version moves), and the entry carries the comparison's
report as ``make changelog-schema`` writes it. The rules themselves are
checked on small changelogs and on copies of the schema broken on purpose.
"""

import json
import shutil
from pathlib import Path

import pytest

from tools.release import changelog, gates, schema_compat
from tools.release.versions import REPO_ROOT, VersionError, check_go_major, read_version

ENTRY = """# Changelog

## [Unreleased]

## [1.3.0] - 2027-01-02

### Added

- a thing

### Upgrade notes

- create 2 `aws:sqs/queuePolicy:QueuePolicy`: why
- update 1 `aws:s3/bucket:Bucket`: why
- create 1 `aws:sqs/queuePolicy:QueuePolicy`: another
- Plain advice that announces no operation.

## [1.2.0] - 2027-01-01

### Fixed

- a bug
"""


def _entry(**sections: list[str]) -> changelog.Entry:
    return changelog.Entry(
        "9.9.9", "2027-01-01", {name.replace("_", " "): lines for name, lines in sections.items()}
    )


def test_the_checked_in_changelog_has_a_dated_entry_for_the_version_and_one_for_the_last_release() -> None:
    text = changelog.read(REPO_ROOT)
    version = read_version()
    entry = changelog.entry_for(text, version)
    assert entry is not None and entry.date is not None
    last = schema_compat.last_release(REPO_ROOT, version)
    assert changelog.entry_for(text, last) is not None
    assert (
        gates.check_publishable(REPO_ROOT, version)
        == f"CHANGELOG.md has the entry for {version} ({entry.date})"
    )


def test_the_version_is_at_least_the_bump_its_entry_and_the_schema_comparison_require() -> None:
    """``make test`` fails here when a change needs a larger release than ``VERSION`` is."""
    version = read_version()
    entry = changelog.entry_for(changelog.read(REPO_ROOT), version)
    assert entry is not None
    verdict = schema_compat.compare(REPO_ROOT, version)
    changelog.check_bump(verdict.old_version, version, changelog.required_bump(entry), "the entry")
    changelog.check_bump(verdict.old_version, version, verdict.bump, "schema-tools")


def test_the_entry_carries_schema_tools_report_as_make_changelog_schema_writes_it() -> None:
    version = read_version()
    entry = changelog.entry_for(changelog.read(REPO_ROOT), version)
    assert entry is not None
    report = schema_compat.compare(REPO_ROOT, version).report()
    written = [line for line in report.splitlines() if line.startswith("- ")]
    assert entry.lines(changelog.SCHEMA_COMPARISON) == written, "run `make changelog-schema`"


@pytest.mark.parametrize(
    ("sections", "bump"),
    [
        ({"Removed": ["- an input"]}, "major"),
        ({"Changed": [f"- {changelog.BREAKING_MARK} the table's key"]}, "major"),
        ({"Added": ["- an input"]}, "minor"),
        ({"Changed": ["- a default"]}, "minor"),
        ({"Deprecated": ["- an input"]}, "minor"),
        ({"Fixed": ["- a bug"], "Security": ["- a policy"]}, "patch"),
    ],
)
def test_the_sections_of_an_entry_decide_the_smallest_release(
    sections: dict[str, list[str]], bump: str
) -> None:
    assert changelog.required_bump(_entry(**sections)) == bump


def test_an_entry_without_a_change_is_not_a_release() -> None:
    with pytest.raises(changelog.ChangelogError, match=r"\[9\.9\.9\] lists no change"):
        changelog.required_bump(_entry(Upgrade_notes=["- create 1 `x`"]))


@pytest.mark.parametrize(
    ("old", "new", "required", "message"),
    [
        (
            "0.2.0",
            "0.2.1",
            "minor",
            "0.2.1 is a patch release after 0.2.0, but the entry requires a minor release",
        ),
        (
            "0.2.0",
            "0.3.0",
            "major",
            "0.3.0 is a minor release after 0.2.0, but the entry requires a major release",
        ),
        ("0.2.0", "0.2.0", "patch", "version 0.2.0 does not come after the last release, 0.2.0"),
        ("0.2.0", "0.1.9", "patch", "version 0.1.9 does not come after the last release, 0.2.0"),
    ],
)
def test_a_bump_smaller_than_required_is_refused(old: str, new: str, required: str, message: str) -> None:
    with pytest.raises(changelog.ChangelogError, match=message.replace(".", r"\.")):
        changelog.check_bump(old, new, required, "the entry")


@pytest.mark.parametrize(("new", "bump"), [("1.2.4", "patch"), ("1.3.0", "minor"), ("2.0.0", "major")])
def test_the_kind_of_release_between_two_versions(new: str, bump: str) -> None:
    assert changelog.bump_between("1.2.3", new) == bump
    changelog.check_bump("1.2.3", new, bump, "the entry")


def test_entries_sections_and_upgrade_operations_are_read() -> None:
    entries = changelog.parse(ENTRY)
    assert [(entry.version, entry.date) for entry in entries] == [
        ("Unreleased", None),
        ("1.3.0", "2027-01-02"),
        ("1.2.0", "2027-01-01"),
    ]
    assert changelog.upgrade_operations(entries[1]) == {
        ("create", "aws:sqs/queuePolicy:QueuePolicy"): 3,
        ("update", "aws:s3/bucket:Bucket"): 1,
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("## [1.0.0] - 2027-01-01\n\n### Improved\n\n- x\n", "has a section 'Improved'"),
        ("## [v1.0.0] - 2027-01-01\n\n### Added\n\n- x\n", r"entry \[v1\.0\.0\]: 'v1\.0\.0' is not MAJOR"),
    ],
)
def test_a_malformed_changelog_is_refused_and_named(text: str, message: str) -> None:
    with pytest.raises(changelog.ChangelogError, match=message):
        changelog.parse(text)


def test_make_version_turns_unreleased_into_the_release_entry_and_refuses_without_one() -> None:
    released = changelog.release_entry(ENTRY, "1.4.0", "2027-02-03")
    assert changelog.entry_for(released, "1.4.0") == changelog.Entry(
        "1.4.0", "2027-02-03", {}, released.index("## [1.4.0]"), released.index("## [1.3.0]")
    )
    assert changelog.entry_for(released, changelog.UNRELEASED) is None
    assert changelog.release_entry(ENTRY, "1.3.0", "2027-02-03") == ENTRY
    with pytest.raises(changelog.ChangelogError, match=r"no entry for 1\.4\.1 and no \[Unreleased\] entry"):
        changelog.release_entry(released.replace("## [1.4.0] - 2027-02-03", ""), "1.4.1", "2027-02-03")


def test_replace_section_writes_the_report_into_one_entry_only() -> None:
    entry = changelog.entry_for(ENTRY, "1.3.0")
    assert entry is not None
    once = changelog.replace_section(ENTRY, entry, changelog.SCHEMA_COMPARISON, "- first")
    again_entry = changelog.entry_for(once, "1.3.0")
    assert again_entry is not None
    twice = changelog.replace_section(once, again_entry, changelog.SCHEMA_COMPARISON, "- second")
    assert changelog.entry_for(twice, "1.3.0").lines(changelog.SCHEMA_COMPARISON) == ["- second"]  # type: ignore[union-attr]
    assert changelog.entry_for(twice, "1.2.0") == changelog.entry_for(twice, "1.2.0")
    assert twice.count("### Schema comparison") == 1


def test_publishing_is_refused_without_a_dated_entry(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_text(ENTRY)
    assert gates.check_publishable(tmp_path, "1.3.0") == "CHANGELOG.md has the entry for 1.3.0 (2027-01-02)"
    for version in ("1.4.0", changelog.UNRELEASED):
        with pytest.raises(changelog.ChangelogError, match=r"no dated entry for .*: not publishing"):
            gates.check_publishable(tmp_path, version)
    (tmp_path / "CHANGELOG.md").unlink()
    with pytest.raises(changelog.ChangelogError, match=r"CHANGELOG\.md is missing"):
        gates.check_publishable(tmp_path, "1.3.0")


# schema-tools on copies of the schema: what it calls breaking, and what needs a minor release.


def _release_tree(tmp_path: Path, changed: dict[str, object]) -> Path:
    """A tree whose last release (1.0.0) has today's schema and whose schema.json is ``changed``."""
    (tmp_path / "releases" / "1.0.0").mkdir(parents=True)
    shutil.copyfile(REPO_ROOT / "schema.json", tmp_path / "releases" / "1.0.0" / "schema.json")
    (tmp_path / "schema.json").write_text(json.dumps(changed))
    (tmp_path / "build" / "bin").mkdir(parents=True)
    (tmp_path / "build" / "bin" / "schema-tools").symlink_to(REPO_ROOT / schema_compat.SCHEMA_TOOLS)
    return tmp_path


def _schema() -> dict[str, object]:
    schema: dict[str, object] = json.loads((REPO_ROOT / "schema.json").read_text())
    return schema


TOKEN = "envstack:index:EnvironmentStack"


def test_schema_tools_calls_a_removed_input_or_a_new_required_one_breaking(tmp_path: Path) -> None:
    schema = _schema()
    resource = schema["resources"][TOKEN]  # type: ignore[index]
    del resource["inputProperties"]["logRetentionDays"]
    resource["requiredInputs"].append("lambdaMemoryMb")
    root = _release_tree(tmp_path, schema)

    verdict = schema_compat.compare(root, "1.1.0")

    assert verdict.bump == "major"
    assert any('"logRetentionDays": missing (missing-input)' in line for line in verdict.breaking), verdict
    assert any('"lambdaMemoryMb": input has changed to Required' in line for line in verdict.breaking), (
        verdict
    )
    with pytest.raises(changelog.ChangelogError, match="requires a major release"):
        changelog.check_bump(verdict.old_version, "1.1.0", verdict.bump, "schema-tools")


def test_schema_tools_calls_a_changed_output_type_breaking(tmp_path: Path) -> None:
    schema = _schema()
    schema["resources"][TOKEN]["properties"]["bucketName"] = {"type": "integer"}  # type: ignore[index]
    verdict = schema_compat.compare(_release_tree(tmp_path, schema), "2.0.0")
    assert verdict.bump == "major" and any("bucketName" in line for line in verdict.breaking), verdict


def test_a_new_input_or_output_needs_a_minor_release(tmp_path: Path) -> None:
    schema = _schema()
    resource = schema["resources"][TOKEN]  # type: ignore[index]
    resource["inputProperties"]["alarmEmail"] = {"type": "string"}
    resource["properties"]["alarmTopicArn"] = {"type": "string"}
    verdict = schema_compat.compare(_release_tree(tmp_path, schema), "1.0.1")

    assert verdict.breaking == []
    assert verdict.added == [f'input "alarmEmail" of "{TOKEN}"', f'output "alarmTopicArn" of "{TOKEN}"']
    assert verdict.bump == "minor"
    assert "0 breaking, 2 added; at least a minor release" in verdict.report()


def test_an_unchanged_schema_allows_a_patch_and_no_older_release_is_refused(tmp_path: Path) -> None:
    root = _release_tree(tmp_path, _schema())
    assert schema_compat.compare(root, "1.0.1").bump == "patch"
    with pytest.raises(schema_compat.SchemaCompatError, match=r"no release older than 1\.0\.0"):
        schema_compat.compare(root, "1.0.0")
    (root / "build" / "bin" / "schema-tools").unlink()
    with pytest.raises(schema_compat.SchemaCompatError, match="run `make schema-tools` first"):
        schema_compat.compare(root, "1.0.1")


def test_make_version_refuses_a_go_major_without_its_module_suffix(tmp_path: Path) -> None:
    check_go_major("1.9.0", REPO_ROOT)
    with pytest.raises(VersionError, match=r"2\.0\.0: Go needs the module path to end in /v2 from v2 on"):
        check_go_major("2.0.0", REPO_ROOT)
    (tmp_path / "sdk" / "go").mkdir(parents=True)
    (tmp_path / "sdk" / "go" / "go.mod").write_text("module github.com/envstack/envstack/sdk/go/v3\n")
    check_go_major("3.1.0", tmp_path)
    with pytest.raises(VersionError, match="end in /v4"):
        check_go_major("4.0.0", tmp_path)
