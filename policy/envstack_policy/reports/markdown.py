"""The Markdown summary: a pull-request comment or a CI job summary a person reads.

Counts first (by level, by severity, by framework control, and what is left
of the baseline), then each finding with its fix, the ones that count before
the acknowledged ones.
"""

from collections import Counter

from .events import EventLog, Finding
from .rules import SEVERITY_ORDER, Rule

NO_CONTROL = "(no framework control)"


MARKUP = "\\`*_[]|"
"""Characters Markdown would read as markup (a policy's ``*`` would start emphasis, a pipe end a cell)."""


def _cell(text: str) -> str:
    """Text that reads as written in a table cell or a list item: markup escaped, no newline, no HTML.

    GitHub drops what looks like an HTML tag, so a fix naming ``bucket=<this bucket>.id`` would lose it.
    """
    for character in MARKUP:
        text = text.replace(character, "\\" + character)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def _status(finding: Finding) -> str:
    return "acknowledged" if finding.acknowledged else finding.level


def _table(title: str, header: str, rows: list[tuple[str, int]]) -> list[str]:
    lines = [f"### {title}", "", f"| {header} | findings |", "| --- | ---: |"]
    lines += [f"| {_cell(key)} | {count} |" for key, count in rows]
    return [*lines, ""]


def _finding(finding: Finding, rule: Rule | None) -> str:
    where = f"`{finding.resource_name}` (`{finding.resource_type}`)" if finding.urn else "the stack"
    fix = finding.fix or (rule.help if rule else None)
    problem = finding.text.partition(" Fix: ")[0]
    severity = finding.severity or "unspecified"
    line = f"- **{_status(finding)}** `{finding.policy}` [{severity}] on {where}: {_cell(problem)}"
    if fix:
        line += f" **Fix:** {_cell(fix)}"
    if finding.acknowledged:
        ack = finding.acknowledged
        expiry = f", expires {ack.expires}" if ack.expires else ""
        line += f" _Exemption `{ack.id}`{expiry}: {_cell(ack.reason)}_"
    return line


def markdown_summary(log: EventLog, rules: dict[str, Rule]) -> str:
    """The summary of an event log; ``rules`` names each policy's fix and controls."""
    findings = log.findings
    status = Counter(_status(f) for f in findings)
    run = "preview" if log.preview else "update"
    lines = [
        "## envstack policy report",
        "",
        f"{len(findings)} finding(s) in the {run} ({log.result or 'no result'}): "
        f"{status['mandatory']} mandatory, {status['advisory']} advisory, "
        f"{status['acknowledged']} acknowledged by an exemption; {len(log.checks)} check(s) made.",
        "",
        f"Baseline: {len(log.baseline_remaining)} baseline entr(ies) still acknowledge a finding; "
        f"{len(log.baseline_stale)} stale baseline entr(ies) match nothing and can be deleted"
        + (f" ({', '.join(log.baseline_stale)})." if log.baseline_stale else "."),
        "",
    ]
    severities = Counter(f.severity or "unspecified" for f in findings if f.counts)
    order = [*reversed(SEVERITY_ORDER), "unspecified"]
    lines += _table("By level", "level", [(k, status[k]) for k in ("mandatory", "advisory", "acknowledged")])
    lines += _table("By severity (findings that count)", "severity", [(k, severities[k]) for k in order])
    controls: Counter[str] = Counter()
    for finding in findings:
        rule = rules.get(finding.policy)
        for control in (rule.controls if rule else ()) or (NO_CONTROL,):
            controls[control] += 1
    lines += _table("By framework control", "control", sorted(controls.items()))
    lines += ["### Findings", ""]
    ordered = sorted(findings, key=lambda f: (not f.counts, f.level != "mandatory", f.policy, f.urn))
    lines += [_finding(f, rules.get(f.policy)) for f in ordered] or ["No findings."]
    return "\n".join(lines) + "\n"
