"""Run the pinned Checkov (its own virtualenv, ``make checkov-venv``) and read its answers.

Checkov is a program here, never a library: its pins conflict with the main
virtualenv's, so it runs from ``.venv-checkov`` as a subprocess, offline
(``--skip-download``: no Prisma Cloud, no policy downloads), on the Terraform
plan that ``tools.terraform_plan`` writes. Its check registry is read by
``tools/checkov_registry.py`` under Checkov's own interpreter.
"""

import json
import os
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-checkov"
README = ROOT / "policy" / "README.md"
VERSION = "3.3.30"
"""The Checkov that requirements/checkov.in pins (a test pins the two together)."""

TIMEOUT_SECONDS = 240


def _program(name: str) -> Path:
    path = VENV / "bin" / name
    if not path.exists():
        raise RuntimeError(f"{path} is missing: run `make checkov-venv` (make test builds it first)")
    return path


def _environment() -> dict[str, str]:
    """Checkov's environment: offline, no colours, no update check, no telemetry."""
    return {
        **os.environ,
        "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
        "BC_SKIP_MAPPING": "TRUE",
        "ANSI_COLORS_DISABLED": "1",
        "CHECKOV_NO_OUTPUT_COLOR": "1",
        "LOG_LEVEL": "WARNING",
    }


def version() -> str:
    """What the installed Checkov says its version is."""
    done = subprocess.run(
        [_program("checkov"), "--version"], capture_output=True, text=True, check=True, env=_environment()
    )
    return done.stdout.strip()


def registry() -> dict[str, dict[str, Any]]:
    """Every in-scope check of the installed Checkov's registry: id -> title, types, declared for all."""
    done = subprocess.run(
        [_program("python"), str(ROOT / "tools" / "checkov_registry.py")],
        capture_output=True,
        text=True,
        check=False,
        env=_environment(),
        timeout=TIMEOUT_SECONDS,
    )
    if done.returncode != 0:
        raise RuntimeError(f"tools/checkov_registry.py failed:\n{done.stderr}")
    found: dict[str, dict[str, Any]] = json.loads(done.stdout)
    return found


@dataclass(frozen=True)
class Result:
    """One check's verdict on one resource of the plan."""

    check: str
    address: str
    passed: bool


def start_scan(plan: Path, checks: Iterable[str]) -> subprocess.Popen[str]:
    """Start Checkov on a Terraform plan JSON, for the given checks only; ``results`` waits for it."""
    return subprocess.Popen(
        [
            _program("checkov"),
            "--file",
            str(plan),
            "--framework",
            "terraform_plan",
            "--output",
            "json",
            "--skip-download",
            "--check",
            ",".join(sorted(checks)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=_environment(),
        cwd=plan.parent,
    )


def results(scanning: subprocess.Popen[str]) -> list[Result]:
    """Checkov's verdicts on every resource of the plan it was started on."""
    try:
        stdout, stderr = scanning.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        scanning.kill()
        scanning.communicate()
        raise
    # Checkov exits 1 when a check failed, which the corpus makes sure of; anything else is a crash.
    if scanning.returncode not in (0, 1) or not stdout.startswith(("{", "[")):
        raise RuntimeError(f"checkov exited {scanning.returncode}:\n{stderr[-4000:]}\n{stdout[:2000]}")
    document = json.loads(stdout)
    reports: list[Mapping[str, Any]] = document if isinstance(document, list) else [document]
    found: list[Result] = []
    for report in reports:
        for key, passed in (("passed_checks", True), ("failed_checks", False)):
            for entry in report.get("results", {}).get(key, []):
                found.append(Result(entry["check_id"], entry["resource"], passed))
    return found
