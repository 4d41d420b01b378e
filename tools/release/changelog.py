"""CHANGELOG.md, in the Keep a Changelog layout: each release's entry, and the bump it asks for.

A platform team decides whether to upgrade from the changelog, so the
release tooling reads it rather than trusting the person cutting the
release: ``make version`` refuses a version smaller than what the entry's
sections require (``required_bump``), and ``make publish`` refuses a
version that has no entry. Keep a Changelog's own sections are kept
(``Added``, ``Changed``, ``Deprecated``, ``Removed``, ``Fixed``,
``Security``); envstack adds ``Upgrade notes`` (what ``pulumi up`` with this
release does to a stack deployed with the previous one, one line per
operation the upgrade preview shows, read by ``upgrade_operations``) and
``Schema comparison`` (schema-tools' report, written by
``make changelog-schema``).
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .versions import VersionError, validate

CHANGELOG = Path("CHANGELOG.md")

UNRELEASED = "Unreleased"

CHANGE_SECTIONS = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")
UPGRADE_NOTES = "Upgrade notes"
SCHEMA_COMPARISON = "Schema comparison"
SECTIONS = (*CHANGE_SECTIONS, UPGRADE_NOTES, SCHEMA_COMPARISON)

BUMPS = ("patch", "minor", "major")
"""The three kinds of release, smallest first."""

BREAKING_MARK = "**Breaking:**"
"""A ``Changed`` or ``Deprecated`` line starting with this needs a major release, as ``Removed`` does."""

_ENTRY = re.compile(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?[ \t]*$", re.MULTILINE)
_SECTION = re.compile(r"^### (.+?)[ \t]*$", re.MULTILINE)
_OPERATION = re.compile(r"^- (create|update) (\d+) `([^`]+)`")


class ChangelogError(ValueError):
    """A changelog that is malformed, lacks an entry, or asks for a larger bump."""


@dataclass(frozen=True)
class Entry:
    """One ``## [version] - date`` entry: its sections' bullet lines and where it sits in the file."""

    version: str
    date: str | None
    sections: dict[str, list[str]] = field(default_factory=dict)
    start: int = 0
    end: int = 0

    def lines(self, section: str) -> list[str]:
        """The section's bullet lines (``- ...``), empty if the entry has no such section."""
        return self.sections.get(section, [])


def parse(text: str) -> list[Entry]:
    """Every entry of the changelog, newest first; an unknown section or version is an error."""
    heads = list(_ENTRY.finditer(text))
    entries: list[Entry] = []
    for number, head in enumerate(heads):
        version = head.group(1)
        if version != UNRELEASED:
            try:
                validate(version)
            except VersionError as error:
                raise ChangelogError(f"CHANGELOG.md entry [{version}]: {error}") from error
        end = heads[number + 1].start() if number + 1 < len(heads) else len(text)
        body = text[head.end() : end]
        sections: dict[str, list[str]] = {}
        section_heads = list(_SECTION.finditer(body))
        for index, section in enumerate(section_heads):
            name = section.group(1)
            if name not in SECTIONS:
                raise ChangelogError(
                    f"CHANGELOG.md entry [{version}] has a section {name!r};"
                    f" the sections are {', '.join(SECTIONS)}"
                )
            section_end = section_heads[index + 1].start() if index + 1 < len(section_heads) else len(body)
            sections[name] = [
                line for line in body[section.end() : section_end].splitlines() if line.startswith("- ")
            ]
        entries.append(Entry(version, head.group(2), sections, head.start(), end))
    return entries


def read(root: Path) -> str:
    """The changelog's text; a repository without one cannot release."""
    path = root / CHANGELOG
    if not path.is_file():
        raise ChangelogError("CHANGELOG.md is missing: every release needs an entry there")
    return path.read_text(encoding="utf-8")


def entry_for(text: str, version: str) -> Entry | None:
    """The entry for ``version`` (or ``Unreleased``), if the changelog has one."""
    return next((entry for entry in parse(text) if entry.version == version), None)


def required_bump(entry: Entry) -> str:
    """The smallest release the entry's changes allow: ``major``, ``minor`` or ``patch``.

    ``Removed`` or a line marked ``**Breaking:**`` is a major release;
    ``Added``, ``Changed`` or ``Deprecated`` a minor one; ``Fixed`` or
    ``Security`` alone a patch. An entry that lists no change at all is not
    a release.
    """
    changes = {name: entry.lines(name) for name in CHANGE_SECTIONS}
    if not any(changes.values()):
        raise ChangelogError(
            f"CHANGELOG.md entry [{entry.version}] lists no change under {', '.join(CHANGE_SECTIONS)}"
        )
    if changes["Removed"] or any(
        line.removeprefix("- ").startswith(BREAKING_MARK) for lines in changes.values() for line in lines
    ):
        return "major"
    if changes["Added"] or changes["Changed"] or changes["Deprecated"]:
        return "minor"
    return "patch"


def bump_between(old: str, new: str) -> str:
    """The kind of release ``new`` is after ``old``; a version that does not move up is refused."""
    before = tuple(int(part) for part in validate(old).split("."))
    after = tuple(int(part) for part in validate(new).split("."))
    if after <= before:
        raise ChangelogError(f"version {new} does not come after the last release, {old}")
    if after[0] > before[0]:
        return "major"
    if after[1] > before[1]:
        return "minor"
    return "patch"


def check_bump(old: str, new: str, required: str, why: str) -> None:
    """Refuse ``new`` if its bump from ``old`` is below ``required`` (``why`` names who requires it)."""
    actual = bump_between(old, new)
    if BUMPS.index(actual) < BUMPS.index(required):
        raise ChangelogError(
            f"version {new} is a {actual} release after {old}, but {why} requires a {required} release"
        )


def release_entry(text: str, version: str, date: str) -> str:
    """The changelog with ``[Unreleased]`` renamed to ``[version] - date``, unless ``version`` has its entry.

    ``make version`` calls this, so the changes written under
    ``Unreleased`` become the release's entry; with neither entry there is
    nothing to release and ``make version`` refuses.
    """
    if entry_for(text, version) is not None:
        return text
    unreleased = entry_for(text, UNRELEASED)
    if unreleased is None:
        raise ChangelogError(
            f"CHANGELOG.md has no entry for {version} and no [Unreleased] entry: write what changed first"
        )
    head = f"## [{version}] - {date}"
    return text[: unreleased.start] + _ENTRY.sub(head, text[unreleased.start :], count=1)


def upgrade_operations(entry: Entry) -> Counter[tuple[str, str]]:
    """What the entry's upgrade notes announce: ``(create|update, type token)`` and how many.

    A note reads ``- create 2 `aws:sqs/queuePolicy:QueuePolicy`: why``; the
    upgrade tests compare these counts with what the engine's preview shows.
    """
    announced: Counter[tuple[str, str]] = Counter()
    for line in entry.lines(UPGRADE_NOTES):
        found = _OPERATION.match(line)
        if found:
            announced[(found.group(1), found.group(3))] += int(found.group(2))
    return announced


def replace_section(text: str, entry: Entry, section: str, body: str) -> str:
    """The changelog with ``entry``'s ``section`` holding ``body`` (added at the entry's end if absent)."""
    chunk = text[entry.start : entry.end]
    heads = list(_SECTION.finditer(chunk))
    block = f"### {section}\n\n{body.rstrip()}\n\n"
    for index, head in enumerate(heads):
        if head.group(1) == section:
            end = heads[index + 1].start() if index + 1 < len(heads) else len(chunk)
            chunk = chunk[: head.start()] + block + chunk[end:].lstrip("\n")
            break
    else:
        chunk = chunk.rstrip("\n") + "\n\n" + block
    return text[: entry.start] + chunk + text[entry.end :]
