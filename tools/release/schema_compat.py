"""Compare ``schema.json`` with the last release's, with Pulumi's own ``schema-tools compare``.

Pulumi's providers run ``schema-tools compare`` on every schema change before
a release; envstack builds the same tool (``make schema-tools``, from
``tools/schema-tools``) and reads its JSON report. schema-tools reports what
breaks a program (an input or output removed, a type changed, an optional
input made required) and new resources and functions; it does not list a
new input or output of an existing resource, which needs a minor release
all the same, so ``added_properties`` reads those from the two files.

The last release is the newest ``releases/<version>/`` below the version
being cut: ``make release-artifacts`` keeps each release's schema there.
"""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .versions import validate

SCHEMA_TOOLS = Path("build/bin/schema-tools")
RELEASES = Path("releases")
PROVIDER_NAME = "envstack"

REPORT_START = "<!-- schema-tools compare: written by make changelog-schema -->"


class SchemaCompatError(RuntimeError):
    """schema-tools is missing or failed, or no release precedes the version."""


@dataclass(frozen=True)
class Verdict:
    """What the comparison found and the smallest release it allows."""

    old_version: str
    breaking: list[str]
    added: list[str]

    @property
    def bump(self) -> str:
        """``major`` for a breaking change, ``minor`` for an addition, else ``patch``."""
        if self.breaking:
            return "major"
        return "minor" if self.added else "patch"

    def report(self) -> str:
        """The comparison as the changelog entry carries it (markdown bullets)."""
        lines = [
            REPORT_START,
            f"- `schema-tools compare` of `schema.json` with release {self.old_version}'s:"
            f" {len(self.breaking)} breaking, {len(self.added)} added; at least a {self.bump} release.",
        ]
        lines += [f"- breaking: {change}" for change in self.breaking]
        lines += [f"- added: {change}" for change in self.added]
        return "\n".join(lines)


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def released_versions(root: Path) -> list[str]:
    """The versions ``releases/`` keeps artifacts of, oldest first."""
    folder = root / RELEASES
    found = [path.name for path in folder.iterdir() if path.is_dir()] if folder.is_dir() else []
    return sorted((validate(name) for name in found), key=_key)


def last_release(root: Path, version: str) -> str:
    """The newest release in ``releases/`` older than ``version``: the one this release upgrades from."""
    older = [found for found in released_versions(root) if _key(found) < _key(validate(version))]
    if not older:
        raise SchemaCompatError(f"releases/ keeps no release older than {version} to compare with")
    return older[-1]


def run_schema_tools(root: Path, old: Path, new: Path) -> dict[str, Any]:
    """``schema-tools compare --json`` of two schema files."""
    tool = root / SCHEMA_TOOLS
    if not tool.is_file():
        raise SchemaCompatError(f"{SCHEMA_TOOLS} is missing; run `make schema-tools` first")
    command = [str(tool), "compare", "-p", PROVIDER_NAME, "--old-path", str(old), "--new-path", str(new)]
    result = subprocess.run(
        [*command, "--json", "--max-changes", "-1"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SchemaCompatError(f"schema-tools compare exited {result.returncode}: {result.stderr.strip()}")
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def added_properties(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Inputs, outputs and types in ``new`` that ``old`` lacks (schema-tools lists none of these)."""
    added: list[str] = []
    for token, resource in sorted(new.get("resources", {}).items()):
        before = old.get("resources", {}).get(token)
        if before is None:
            continue
        for where, label in (("inputProperties", "input"), ("properties", "output")):
            for name in sorted(set(resource.get(where, {})) - set(before.get(where, {}))):
                added.append(f'{label} "{name}" of "{token}"')
    for token in sorted(set(new.get("types", {})) - set(old.get("types", {}))):
        added.append(f'type "{token}"')
    return added


def compare(root: Path, version: str, schema: Path | None = None) -> Verdict:
    """The verdict on ``schema`` (default ``schema.json``) against the last release before ``version``."""
    old_version = last_release(root, version)
    old_path = root / RELEASES / old_version / "schema.json"
    new_path = schema or root / "schema.json"
    report = run_schema_tools(root, old_path, new_path)
    breaking = [
        f"{change['path']}: {change['message']} ({change['kind']})"
        for change in report.get("changes") or []
        if change.get("breaking")
    ]
    old = json.loads(old_path.read_text(encoding="utf-8"))
    new = json.loads(new_path.read_text(encoding="utf-8"))
    added = [f'resource "{token}"' for token in report.get("new_resources") or []]
    added += [f'function "{token}"' for token in report.get("new_functions") or []]
    added += added_properties(old, new)
    added += [
        f"changed: {change['path']}: {change['message']} ({change['kind']})"
        for change in report.get("changes") or []
        if not change.get("breaking")
    ]
    return Verdict(old_version, breaking, added)
