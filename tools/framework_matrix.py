"""Render policy/README.md's framework matrix from the pack's decisions and Prowler's controls.

The matrix is not written by hand: its rows are ``envstack_policy.compliance.DECISIONS``
over ``envstack_policy.data.framework_data.CONTROLS`` (Prowler's data), so the README can't
say one thing and the pack's metadata another. ``make framework-matrix`` (and
``make framework-data``, after the table) rewrites the part of the README between the
``framework-matrix`` markers; ``tests/policy_unit/test_compliance.py`` fails while it
is stale.
"""

import sys
from collections import Counter
from pathlib import Path

from envstack_policy.compliance import COVERED, DECISIONS, NOT_APPLICABLE, Decision
from envstack_policy.data.framework_data import CONTROLS, FRAMEWORKS, SOURCE

START = "<!-- framework-matrix:start -->"
END = "<!-- framework-matrix:end -->"

LABELS = {"aws-fsbp": "AWS FSBP", "cis-aws": "CIS AWS"}
"""How the counts line names each framework."""
LEVELS = {"aws-fsbp": "severity", "cis-aws": "profile"}
"""What the level column holds: Security Hub's severity of an FSBP control, the CIS profile of a CIS one."""


def _cell(text: str) -> str:
    return text.replace("|", "/")


def _policy_or_why(decision: Decision) -> str:
    named = ", ".join(f"`{p}`" for p in decision.policies)
    if decision.status == COVERED:
        return f"{named} ({decision.why})" if decision.why else named
    return f"{named}: {decision.why}" if named else decision.why


def counts(framework: str) -> str:
    """The framework's counts line, as the README states it."""
    decisions = DECISIONS[framework]
    by_status = Counter(d.status for d in decisions.values())
    version = FRAMEWORKS[framework][1]
    label = f"{LABELS[framework]} {version}" if version else LABELS[framework]
    return (
        f"{label}: {len(decisions)} in scope, {by_status[COVERED]} covered,"
        f" {by_status[NOT_APPLICABLE]} not applicable, {by_status['conflict']} in conflict."
    )


def render() -> str:
    """The README's part between the markers (the markers included)."""
    lines = [START, "", *(counts(f) for f in FRAMEWORKS)]
    for framework, (name, _, source) in FRAMEWORKS.items():
        lines += [
            "",
            f"### {name} ({SOURCE}, `{source}`)",
            "",
            f"| control | title | services | {LEVELS[framework]} | status | policy, or why |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for control, (services, level, title) in CONTROLS[framework].items():
            decision = DECISIONS[framework].get(control)
            status, why = (decision.status, _policy_or_why(decision)) if decision else ("", "")
            lines.append(f"| {control} | {_cell(title)} | {services} | {level} | {status} | {_cell(why)} |")
    lines += ["", END]
    return "\n".join(lines)


def main(readme: str) -> None:
    """Rewrite the matrix in ``readme``."""
    path = Path(readme)
    text = path.read_text(encoding="utf-8")
    start, end = text.index(START), text.index(END) + len(END)
    path.write_text(text[:start] + render() + text[end:], encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
