"""Prowler, the independent AWS scanner, run over what the real engine deployed onto moto.

Prowler (its own virtualenv, ``make prowler-venv``) is pointed at moto as at
any AWS endpoint: the AWS SDK's ``AWS_ENDPOINT_URL``, moto's fake
credentials and the stack's region. It scans the services the component
uses (``SERVICES``) and writes its findings as OCSF JSON. Prowler 5.46
refuses ``--compliance`` together with ``--services``, so the AWS Foundational
Security Best Practices view is taken from each finding itself: Prowler
tags every check with the frameworks' requirements it serves
(``unmapped.compliance``), and the counts say how many findings name an
FSBP requirement. Every finding on the stack's resources is judged, FSBP or
not: the gaps the issue names (the log group's and the environment's key,
the trust policy's confused-deputy guard) are Prowler checks that its FSBP
mapping leaves out.

``judge`` sorts the findings on the stack's resources (an ARN or name
carrying the stack's suffix) into passes, failures and errors; a check that
could not run because moto lacks an API is an error, reported as such and
never counted as a pass. ``DECISIONS`` (``prowler_decisions.toml``) lists
each failure the component keeps on purpose, with its reason; the test
compares the two both ways.
"""

import json
import os
import re
import subprocess
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from envstack_testkit.engine_moto import credentials
from envstack_testkit.moto_server import MotoEndpoint

ROOT = Path(__file__).resolve().parents[2]
PROWLER = ROOT / ".venv-prowler" / "bin" / "prowler"
DECISIONS_FILE = Path(__file__).with_name("prowler_decisions.toml")
SERVICES = ("s3", "dynamodb", "sqs", "sns", "iam", "awslambda", "cloudwatch")
"""Prowler's names of the services whose resources the component creates (``awslambda`` is Lambda)."""
FSBP = "AWS-Foundational-Security-Best-Practices"
"""The key Prowler's findings use for the AWS Foundational Security Best Practices framework."""
TIMEOUT_SECONDS = 900.0


@dataclass
class Scan:
    """A Prowler run in the background, started while the stack is deployed."""

    process: "subprocess.Popen[str]"
    output: Path


@dataclass(frozen=True)
class Verdict:
    """Prowler's FSBP findings on one stack's resources, by (check id, resource)."""

    passed: frozenset[tuple[str, str]]
    failed: frozenset[tuple[str, str]]
    errors: frozenset[tuple[str, str]]
    """Checks whose API moto does not serve (Prowler reports them as MANUAL or a FAIL saying so)."""
    fsbp: frozenset[tuple[str, str]] = frozenset()
    """The findings whose check Prowler maps to an AWS FSBP requirement."""
    statuses: Counter[str] = field(default_factory=Counter)
    returncode: int = 0
    stderr_tail: str = ""


def start(endpoint: MotoEndpoint, output: Path, checks: tuple[str, ...] = ()) -> Scan:
    """Start Prowler over the component's services (or only ``checks``) in ``endpoint``'s region."""
    if not PROWLER.exists():
        raise RuntimeError(f"{PROWLER} is missing: run `make prowler-venv` (`make test` does it first)")
    output.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        **credentials(),
        "AWS_ENDPOINT_URL": endpoint.url,
        "AWS_DEFAULT_REGION": endpoint.region,
        "AWS_REGION": endpoint.region,
    }
    for variable in ("PYTHONPATH", "VIRTUAL_ENV", "AWS_PROFILE"):
        env.pop(variable, None)
    process = subprocess.Popen(
        [
            str(PROWLER),
            "aws",
            "--no-banner",
            "--region",
            endpoint.region,
            *(("--check", *checks) if checks else ("--services", *SERVICES)),
            "--output-formats",
            "json-ocsf",
            "--output-directory",
            str(output),
            "--output-filename",
            "scan",
            "--ignore-exit-code-3",
            "--log-level",
            "ERROR",
            "--log-file",
            str(output / "prowler.log"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return Scan(process=process, output=output)


def errors_logged(scan: Scan) -> list[str]:
    """The errors Prowler logged, each as ``module: message``.

    The log file holds one JSON object per entry, but a message may span
    lines (a traceback), so entries are split where the next one starts.
    """
    path = scan.output / "prowler.log"
    text = path.read_text() if path.exists() else ""
    logged = []
    for entry in re.split(r"\n(?=\{\"timestamp\")", text.strip()):
        if not entry:
            continue
        try:
            parsed = json.loads(entry)
        except ValueError:  # a message with characters JSON does not allow: read its two fields
            module = re.search(r'"module": "([^"]*)"', entry)
            message = re.search(r'"message": "(.*)', entry, re.DOTALL)
            parsed = {
                "module": module.group(1) if module else "",
                "message": message.group(1) if message else entry,
            }
        logged.append(f"{parsed.get('module', '')}: {parsed.get('message', '')}")
    return logged


def findings(scan: Scan) -> tuple[list[dict[str, Any]], int, str]:
    """Wait for the scan; its OCSF findings, return code and the end of its stderr."""
    try:
        _, stderr = scan.process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        scan.process.kill()
        _, stderr = scan.process.communicate()
    files = sorted(scan.output.glob("scan*.ocsf.json"))
    found: list[dict[str, Any]] = []
    for path in files:
        found.extend(json.loads(path.read_text() or "[]"))
    return found, scan.process.returncode, (stderr or "")[-3000:]


def _resource(finding: Mapping[str, Any]) -> str:
    resources = finding.get("resources") or [{}]
    return str(resources[0].get("uid") or resources[0].get("name") or "")


def _check(finding: Mapping[str, Any]) -> str:
    return str(finding.get("metadata", {}).get("event_code") or finding.get("finding_info", {}).get("uid"))


def in_fsbp(finding: Mapping[str, Any]) -> bool:
    """Whether Prowler maps the finding's check to an FSBP requirement."""
    return bool(finding.get("unmapped", {}).get("compliance", {}).get(FSBP))


MOTO_GAPS = (
    "not implemented",
    "NotImplementedError",
    "has not been implemented",
)
"""How a check that moto could not serve shows in a finding's text."""


def judge(found: list[dict[str, Any]], suffix: str, returncode: int = 0, stderr_tail: str = "") -> Verdict:
    """Sort the FSBP findings on resources whose ARN or name carries ``-<suffix>``."""
    passed: set[tuple[str, str]] = set()
    failed: set[tuple[str, str]] = set()
    errors: set[tuple[str, str]] = set()
    statuses: Counter[str] = Counter()
    fsbp: set[tuple[str, str]] = set()
    for finding in found:
        resource = _resource(finding)
        if not re.search(rf"-{re.escape(suffix)}(?:$|[:/])", resource):
            continue
        key = (_check(finding), _generic(resource, suffix))
        status = str(finding.get("status_code", ""))
        text = f"{finding.get('status_detail', '')} {finding.get('message', '')}"
        statuses[status] += 1
        if in_fsbp(finding):
            fsbp.add(key)
        if status == "MANUAL" or any(gap in text for gap in MOTO_GAPS):
            errors.add(key)
        elif status == "PASS":
            passed.add(key)
        else:
            failed.add(key)
    return Verdict(
        passed=frozenset(passed),
        failed=frozenset(failed),
        errors=frozenset(errors),
        fsbp=frozenset(fsbp),
        statuses=statuses,
        returncode=returncode,
        stderr_tail=stderr_tail,
    )


def _generic(resource: str, suffix: str) -> str:
    """The resource a finding is about, by name with the suffix made generic: ``envstack-data-<suffix>``.

    The name is the part of the ARN (or name) that carries the suffix, so a
    subscription's finding names its topic and a log group its last path part.
    """
    parts = [part for part in re.split(r"[:/]", resource) if part.endswith(f"-{suffix}")]
    name = parts[0] if parts else resource
    return name.removesuffix(f"-{suffix}") + "-<suffix>"


@dataclass(frozen=True)
class Decision:
    """A failure the component keeps on purpose."""

    check: str
    resource: str
    reason: str


def decisions() -> list[Decision]:
    """``prowler_decisions.toml``: every decided failure with its reason."""
    document = tomllib.loads(DECISIONS_FILE.read_text())
    return [Decision(d["check"], d["resource"], d["reason"]) for d in document["decision"]]


def scan_errors() -> dict[str, tuple[str, str]]:
    """``prowler_decisions.toml``'s known scan errors: a text the error contains -> (whose gap, why)."""
    document = tomllib.loads(DECISIONS_FILE.read_text())
    return {gap["error"]: (gap["source"], gap["reason"]) for gap in document.get("scan_error", [])}


def unexplained(errors: list[str]) -> list[str]:
    """Prowler's logged errors that no known scan error of the decisions file explains."""
    known = scan_errors()
    return [error for error in errors if not any(text in error for text in known)]
