"""JUnit XML: each policy judging each resource as a test case a CI's test view lists.

The engine's summary events name every check made (the resource policies that
passed and failed on each resource, the stack policies that passed and failed
on the stack), so passing checks are test cases too. A stack policy that
failed becomes one case per resource it named. A case fails on a mandatory
finding; an advisory or acknowledged finding leaves it passing with the
finding in its ``system-out``. Written with the standard library's
ElementTree (the pack ships no XML dependency); the tests read it back with
``junitparser``.
"""

import xml.etree.ElementTree as ET
from collections import defaultdict

from .events import Check, EventLog, Finding

STACK = "stack"
"""The class name of a stack policy's case that names no resource."""


def _cases(log: EventLog) -> dict[str, dict[Check, list[Finding]]]:
    """Each pack's checks with their findings; a finding outside every summary gets its own case."""
    by_check: dict[Check, list[Finding]] = defaultdict(list)
    for finding in log.findings:
        by_check[Check(finding.pack, finding.policy, finding.urn)].append(finding)
    failed_stack = {(f.pack, f.policy) for f in log.findings}
    cases: dict[str, dict[Check, list[Finding]]] = {pack: {} for pack in log.packs}
    for check in log.checks:
        if check.urn or (check.pack, check.policy) not in failed_stack:
            cases[check.pack][check] = by_check.get(check, [])
    for check, findings in by_check.items():
        cases[check.pack].setdefault(check, findings)
    return cases


def _line(finding: Finding) -> str:
    if finding.acknowledged:
        exemption = finding.acknowledged
        return f"acknowledged by exemption {exemption.id!r}: {exemption.reason}: {finding.text}"
    return f"{finding.level} [{finding.severity or 'unspecified'}]: {finding.text}"


def junit_xml(log: EventLog) -> bytes:
    """The JUnit XML document of an event log, one suite per policy pack."""
    suites = ET.Element("testsuites", name="envstack policy")
    total = failed = 0
    for pack, checks in _cases(log).items():
        suite = ET.SubElement(suites, "testsuite", name=f"{pack} {log.packs[pack]}".strip())
        suite_failures = 0
        for check, findings in checks.items():
            case = ET.SubElement(suite, "testcase", name=check.policy, classname=check.urn or STACK)
            blocking = [f for f in findings if f.counts and f.level == "mandatory"]
            if blocking:
                suite_failures += 1
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=blocking[0].text,
                    type=f"mandatory {blocking[0].severity}".strip(),
                )
                failure.text = "\n".join(f.text for f in blocking)
            others = [f for f in findings if f not in blocking]
            if others:
                ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in others)
        suite.set("tests", str(len(checks)))
        suite.set("failures", str(suite_failures))
        suite.set("errors", "0")
        total += len(checks)
        failed += suite_failures
    suites.set("tests", str(total))
    suites.set("failures", str(failed))
    suites.set("errors", "0")
    ET.indent(suites)
    document: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    return document
