"""SARIF 2.1.0: the findings as a code-scanning dashboard reads them.

One run per policy pack, one rule per policy (``security-severity`` and the
framework tags in its properties, as GitHub code scanning reads them), one
result per finding at its level (mandatory: ``error``, advisory:
``warning``) with the resource's URN as a logical location. A finding an
exemption acknowledged is a result with an external, accepted suppression
whose justification is the exemption's reason: dashboards hide it from the
open alerts and keep it on record. The tests validate the output against
OASIS's JSON schema and read it back with Microsoft's ``sarif-tools``.
"""

import hashlib
from typing import Any

from .events import EventLog, Finding
from .rules import SEVERITY_SCORES, Rule, rules_for

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"mandatory": "error", "advisory": "warning"}
INFORMATION_URI = "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/"


def _rule(rule: Rule) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "tags": ["security", *rule.tags, *([rule.framework] if rule.framework else [])]
    }
    if rule.severity in SEVERITY_SCORES:
        properties["security-severity"] = SEVERITY_SCORES[rule.severity]
    out: dict[str, Any] = {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.description},
        "fullDescription": {"text": rule.description},
        "help": {"text": rule.help},
        "defaultConfiguration": {"level": LEVELS.get(rule.level, "warning")},
        "properties": properties,
    }
    if rule.url:
        out["helpUri"] = rule.url
    return out


def _suppressions(finding: Finding) -> list[dict[str, Any]]:
    acknowledged = finding.acknowledged
    if acknowledged is None:
        return []
    properties = {
        "exemption": acknowledged.id,
        "source": acknowledged.source,
        "expires": acknowledged.expires,
        "approvedBy": acknowledged.approved_by,
        "ticket": acknowledged.ticket,
    }
    return [
        {
            "kind": "external",
            "status": "accepted",
            "justification": acknowledged.reason,
            "properties": {k: v for k, v in properties.items() if v is not None},
        }
    ]


def _result(finding: Finding, index: int, program_file: str | None) -> dict[str, Any]:
    logical: dict[str, Any] = {"kind": "resource"}
    if finding.urn:
        logical.update(name=finding.resource_name, fullyQualifiedName=finding.urn)
    else:
        logical.update(name="stack")
    location: dict[str, Any] = {"logicalLocations": [logical]}
    if program_file:
        location["physicalLocation"] = {"artifactLocation": {"uri": program_file}}
    identity = f"{finding.pack}\0{finding.policy}\0{finding.urn}\0{finding.text}".encode()
    result: dict[str, Any] = {
        "ruleId": finding.policy,
        "ruleIndex": index,
        "level": LEVELS[finding.level],
        "message": {"text": finding.text},
        "locations": [location],
        "partialFingerprints": {"envstackFinding/v1": hashlib.sha256(identity).hexdigest()},
        "properties": {"enforcementLevel": finding.level, "severity": finding.severity or "unspecified"},
    }
    if suppressions := _suppressions(finding):
        result["suppressions"] = suppressions
    return result


def sarif_log(
    log: EventLog, known: dict[str, dict[str, Rule]], program_file: str | None = None
) -> dict[str, Any]:
    """The SARIF log of an event log; ``known`` holds each pack's rules by pack name.

    ``program_file``, a path relative to the repository's root, becomes every result's physical
    location: the event log names no file, and GitHub code scanning refuses a result without one.
    """
    runs = []
    for pack, version in log.packs.items():
        findings = [f for f in log.findings if f.pack == pack]
        rules = rules_for(known.get(pack, {}), findings)
        index = {rule_id: i for i, rule_id in enumerate(rules)}
        driver: dict[str, Any] = {
            "name": pack,
            "informationUri": INFORMATION_URI,
            "rules": [_rule(rule) for rule in rules.values()],
        }
        if version:
            driver["version"] = version
        runs.append(
            {
                "tool": {"driver": driver},
                "results": [_result(f, index[f.policy], program_file) for f in findings],
                "columnKind": "unicodeCodePoints",
                "properties": {"preview": log.preview, "result": log.result},
            }
        )
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": runs}
