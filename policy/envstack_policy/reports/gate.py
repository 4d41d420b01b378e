"""``--fail-on``: the exit code a CI step gates on.

``mandatory`` fails on a mandatory finding, ``advisory`` on any finding, and
``severity>=<low|medium|high|critical>`` on a finding of that severity or
worse at either level. An acknowledged finding never fails the gate: its
exemption was reviewed, and the pack already reported it as advisory.
"""

from collections.abc import Callable

from .events import EventLog, Finding
from .rules import SEVERITY_ORDER, at_least

PASSED = 0
FAILED = 1
SEVERITY_PREFIX = "severity>="


def parse_fail_on(value: str) -> Callable[[Finding], bool]:
    """What a ``--fail-on`` value counts as failing; a ValueError names the value and what is accepted."""
    if value == "mandatory":
        return lambda finding: finding.level == "mandatory"
    if value == "advisory":
        return lambda finding: True
    floor = value.removeprefix(SEVERITY_PREFIX)
    if value.startswith(SEVERITY_PREFIX) and floor in SEVERITY_ORDER:
        return lambda finding: at_least(finding.severity, floor)
    choices = ", ".join(["mandatory", "advisory", *(SEVERITY_PREFIX + s for s in SEVERITY_ORDER)])
    raise ValueError(f"--fail-on {value!r} is not one of {choices}")


def failing(log: EventLog, fails: Callable[[Finding], bool]) -> list[Finding]:
    """The findings that fail the gate."""
    return [f for f in log.findings if f.counts and fails(f)]
