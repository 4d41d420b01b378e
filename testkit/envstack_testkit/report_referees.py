"""The referees of ``envstack-policy report``'s files: the formats' own schema and readers, not ours.

SARIF is validated against OASIS's SARIF 2.1.0 JSON schema (``sarif_schema/``,
with its source) by ``jsonschema``, formats included, and read back with
Microsoft's ``sarif-tools``, the reader its ``sarif`` command line uses;
JUnit XML is read back with ``junitparser``. The unit tests and the real
engine's tests share them.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
from junitparser import Failure, JUnitXml
from sarif import loader

SARIF_SCHEMA = Path(__file__).resolve().parent / "sarif_schema" / "sarif-schema-2.1.0.json"


def sarif_errors(document: Any) -> list[str]:
    """Every way ``document`` breaks the SARIF 2.1.0 schema, as ``path: message`` lines; empty when valid."""
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def sarif_records(path: Path) -> list[dict[str, str]]:
    """``sarif-tools``' records of a SARIF file: Tool, Location, Severity, Code and Description per result."""
    records: list[dict[str, str]] = loader.load_sarif_file(str(path)).get_records()
    return records


@dataclass(frozen=True)
class JUnitCase:
    """One test case as ``junitparser`` read it."""

    suite: str
    classname: str
    name: str
    failed: bool
    failure_message: str | None
    system_out: str | None


def junit_cases(path: Path) -> list[JUnitCase]:
    """Every test case of a JUnit XML file, read by ``junitparser``."""
    cases = []
    for suite in JUnitXml.fromfile(str(path)):
        for case in suite:
            failures = [r for r in case.result if isinstance(r, Failure)]
            cases.append(
                JUnitCase(
                    suite=str(suite.name),
                    classname=str(case.classname),
                    name=str(case.name),
                    failed=bool(failures),
                    failure_message=failures[0].message if failures else None,
                    system_out=case.system_out,
                )
            )
    return cases
