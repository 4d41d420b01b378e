"""Each policy as a report names it: its description, fix, severity and compliance controls.

The facts come from the pack's own ``Policy`` objects, so a report never
restates a policy. A finding of a policy the pack does not hold (another pack
run beside it, or a policy renamed since) still gets a rule, built from what
the engine recorded, so nothing is dropped.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from pulumi_policy import Policy

from .events import Finding

SEVERITY_SCORES = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}
"""SARIF ``security-severity`` scores, in GitHub code scanning's bands (9+ critical, 7+ high, 4+ medium)."""

SEVERITY_ORDER = ("low", "medium", "high", "critical")


@dataclass(frozen=True)
class Rule:
    """What a report says about one policy."""

    id: str
    description: str
    help: str
    level: str
    severity: str
    url: str | None
    framework: str | None
    """The compliance framework's name, from pulumi-policy's ``framework`` metadata."""
    tags: tuple[str, ...]

    @property
    def controls(self) -> tuple[str, ...]:
        """The framework controls the policy checks (its tags, under the framework's name)."""
        return tuple(f"{self.framework} {tag}" if self.framework else tag for tag in self.tags)


def _value(enum: object) -> str:
    """An ``EnforcementLevel`` or ``Severity`` as the engine spells it; empty for ``None``."""
    return str(getattr(enum, "value", "") or "")


def rule_of(policy: Policy) -> Rule:
    """The rule for one of the pack's policies, reading compliance metadata only where it is set."""
    framework = getattr(policy, "framework", None)
    name = getattr(framework, "name", None)
    tags = getattr(policy, "tags", None) or []
    return Rule(
        id=policy.name,
        description=policy.description,
        help=policy.remediation_steps or policy.description,
        level=_value(policy.enforcement_level) or "advisory",
        severity=_value(policy.severity),
        url=policy.url,
        framework=str(name) if name else None,
        tags=tuple(str(tag) for tag in tags),
    )


def rule_from_finding(finding: Finding) -> Rule:
    """A rule for a policy the pack does not hold, from the engine's record of its finding."""
    return Rule(
        id=finding.policy,
        description=finding.policy,
        help=finding.fix or finding.text,
        level=finding.level,
        severity=finding.severity,
        url=None,
        framework=None,
        tags=(),
    )


def pack_rules(policies: Iterable[Policy]) -> dict[str, Rule]:
    """The rules of a pack's policies by id, in the pack's order."""
    return {policy.name: rule_of(policy) for policy in policies}


def rules_for(known: dict[str, Rule], findings: Iterable[Finding]) -> dict[str, Rule]:
    """``known`` plus a rule for each policy a finding names that ``known`` lacks."""
    rules = dict(known)
    for finding in findings:
        rules.setdefault(finding.policy, rule_from_finding(finding))
    return rules


def at_least(severity: str, floor: str) -> bool:
    """Whether ``severity`` is ``floor`` or worse; an unstated severity is never."""
    return severity in SEVERITY_ORDER and SEVERITY_ORDER.index(severity) >= SEVERITY_ORDER.index(floor)
