"""The two release gates: ``make version`` and ``make publish`` refuse what the changelog does not back.

``check_release`` runs before ``make version`` stamps anything: the new
version must be at least the bump that CHANGELOG.md's entry and
schema-tools' comparison with the last release each require.
``check_publishable`` runs before every ``make publish-*``: a version
without a dated entry is never published, so no registry serves a release
whose changes nobody wrote down.
"""

from pathlib import Path

from . import changelog, schema_compat
from .versions import validate


def check_release(root: Path, version: str) -> str:
    """Refuse ``version`` if it is smaller than the changes require; return what allowed it."""
    validate(version)
    text = changelog.read(root)
    entry = changelog.entry_for(text, version) or changelog.entry_for(text, changelog.UNRELEASED)
    if entry is None:
        raise changelog.ChangelogError(
            f"CHANGELOG.md has no entry for {version} and no [Unreleased] entry: write what changed first"
        )
    verdict = schema_compat.compare(root, version)
    last = verdict.old_version
    changelog.check_bump(
        last, version, changelog.required_bump(entry), f"CHANGELOG.md's [{entry.version}] entry"
    )
    changelog.check_bump(last, version, verdict.bump, "schema-tools' comparison with the last release")
    return f"{version} after {last}: the changelog entry and the schema comparison allow it"


def check_publishable(root: Path, version: str) -> str:
    """Refuse to publish ``version`` unless CHANGELOG.md has a dated entry for it that lists a change."""
    entry = changelog.entry_for(changelog.read(root), version)
    if entry is None or entry.date is None:
        raise changelog.ChangelogError(
            f"CHANGELOG.md has no dated entry for {version} (## [{version}] - YYYY-MM-DD): not publishing"
        )
    changelog.required_bump(entry)
    return f"CHANGELOG.md has the entry for {version} ({entry.date})"
