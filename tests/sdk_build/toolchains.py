"""Run the SDK generator and each language's toolchain, and read what they produce.

The builds themselves are the make targets of ``mk/sdk.mk`` (``make sdk-python``,
``sdk-nodejs``, ``sdk-go``, ``sdk-java``, ``sdkgen``), so a developer, ``make test`` and these
tests build the SDKs the same way; make's timestamps keep a second run free.
Everything lands under ``build/sdk/`` and ``build/bin/``; ``sdk/`` holds only
what the generators wrote.
"""

import json
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SDK = ROOT / "sdk"
SCHEMA = ROOT / "schema.json"
VERSION_FILE = ROOT / "VERSION"
SDK_BUILD = ROOT / "build" / "sdk"
SDKGEN = ROOT / "build" / "bin" / "sdkgen"
LANGUAGES = ("python", "nodejs", "go", "dotnet", "java")
GO_ENV = {"GOWORK": "off", "GOFLAGS": "-mod=readonly -buildvcs=false"}

TIMEOUT_SECONDS = 900
"""A cold Go module cache makes the first sdkgen or Go SDK build take minutes."""


class ToolchainError(AssertionError):
    """A command failed; carries its output so the test report says why."""

    def __init__(self, command: Sequence[str], result: "subprocess.CompletedProcess[str]") -> None:
        super().__init__(
            f"{' '.join(command)} exited {result.returncode}\n"
            f"--- stdout\n{result.stdout[-6000:]}\n--- stderr\n{result.stderr[-6000:]}"
        )
        self.result = result


def run(
    command: Sequence[str], cwd: Path = ROOT, env: Mapping[str, str] | None = None, *, check: bool = True
) -> "subprocess.CompletedProcess[str]":
    """Run a command to completion; raise ``ToolchainError`` on a non-zero exit when ``check``."""
    result = subprocess.run(
        list(command),
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if check and result.returncode != 0:
        raise ToolchainError(command, result)
    return result


def make(target: str) -> None:
    """Bring one of mk/sdk.mk's targets up to date."""
    run(["make", "--no-print-directory", target])


def sdkgen(schema: Path, out: Path, *, tidy: bool = True) -> None:
    """Generate every SDK from ``schema`` into ``out/<language>`` with the repository's sdkgen.

    Without ``tidy`` the Go SDK keeps the generator's bare go.mod (no go.sum),
    which is enough for tests that only read what the SDKs declare.
    """
    make("sdkgen")
    run([str(SDKGEN), "-schema", str(schema), "-out", str(out), f"-tidy={str(tidy).lower()}"])


def tracked_files(tree: Path) -> set[str]:
    """Files under ``tree`` that git tracks or would add (ignored build output left out)."""
    listed = run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", str(tree)], cwd=ROOT
    ).stdout.splitlines()
    return {str((ROOT / path).relative_to(tree)) for path in listed if (ROOT / path).is_file()}


def copy_tracked(tree: Path, destination: Path) -> None:
    """Copy the files ``tracked_files`` lists, keeping their layout."""
    for relative in tracked_files(tree):
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(tree / relative, target)


def tree_differences(expected: Path, actual: Path) -> list[str]:
    """Every file missing from, extra in, or different in ``actual``, relative to ``expected``."""
    want = {str(p.relative_to(expected)) for p in expected.rglob("*") if p.is_file()}
    have = {str(p.relative_to(actual)) for p in actual.rglob("*") if p.is_file()}
    problems = [f"missing: {p}" for p in sorted(want - have)]
    problems += [f"not generated: {p}" for p in sorted(have - want)]
    problems += [
        f"differs: {p}"
        for p in sorted(want & have)
        if (expected / p).read_bytes() != (actual / p).read_bytes()
    ]
    return problems


def write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless the file already holds it; replace it whole otherwise.

    Several people run ``make test`` in one checkout at once, so the build
    folders the tests share are updated in place without ever being emptied or
    half-written, and unchanged files keep the toolchains' caches valid.
    """
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    partial.replace(path)


def read_json(path: Path) -> Any:
    """Parse a JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))
