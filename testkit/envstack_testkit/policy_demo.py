"""``make demo``'s policy step: run the pack over dev, staging and prod, then reject a broken sample.

The pack runs as the engine runs it (its own process, over the Analyzer gRPC
protocol), once per stack so the naming suffix comes from the stack's name.
Each environment's report lists every policy with its level and result; the
broken sample shows what a team sees when a preview fails. The demo exits
non-zero if a real environment is rejected or the broken sample is not,
so it checks itself.
"""

from collections.abc import Mapping, Sequence

from .analyzer_harness import AnalyzerResource, Diagnostic, PolicyAnalyzer
from .policy_fixtures import ENVIRONMENTS, Sample, fixture_of, violating_samples
from .recording import record_environment_stack

BROKEN_SAMPLE = "role policy with a wildcard action on every resource"
"""The sample the demo shows being rejected."""

_LEVEL_NAMES = {0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate"}


def not_applicable(analyzer: PolicyAnalyzer, resources: Sequence[AnalyzerResource]) -> dict[str, str]:
    """The policies that said they do not apply (for example, waiting for config), with their reason."""
    reasons: dict[str, str] = {}
    for resource in resources:
        for entry in analyzer.analyze_response(resource).not_applicable:
            reasons[entry.policy_name] = entry.reason
    return reasons


def report(
    analyzer: PolicyAnalyzer, diagnostics: Sequence[Diagnostic], skipped: Mapping[str, str]
) -> list[str]:
    """One line per policy: its default level and what it found; then each violation's message."""
    lines = []
    for policy in analyzer.info().policies:
        found = [d for d in diagnostics if d.policy == policy.name]
        level = _LEVEL_NAMES.get(policy.enforcementLevel, "?")
        if found:
            result = f"{len(found)} violation(s)"
        elif policy.name in skipped:
            result = f"not applicable: {skipped[policy.name]}"
        else:
            result = "pass"
        lines.append(f"  {policy.name:<40} {level:<10} {result}")
    for diagnostic in diagnostics:
        lines.append(f"  [{diagnostic.level}] {diagnostic.policy}: {diagnostic.message.splitlines()[-1]}")
    return lines


def verdict(diagnostics: Sequence[Diagnostic]) -> str:
    """What ``pulumi preview --policy-pack policy`` would do with these findings."""
    mandatory = [d for d in diagnostics if d.level == "mandatory"]
    if mandatory:
        return f"REJECTED: {len(mandatory)} mandatory violation(s); the preview fails."
    return f"ACCEPTED: no mandatory violations ({len(diagnostics)} advisory)."


def _sample(title: str) -> Sample:
    recording = record_environment_stack(ENVIRONMENTS["dev"], stack="dev")
    return next(s for s in violating_samples(recording) if s.title == title)


def main() -> int:
    """Print each environment's policy report and the broken sample's rejection."""
    ok = True
    for environment, args in ENVIRONMENTS.items():
        fixture = fixture_of(record_environment_stack(args, stack=environment))
        with PolicyAnalyzer(stack=environment) as analyzer:
            diagnostics = analyzer.review(fixture.resources, fixture.stack)
            skipped = not_applicable(analyzer, fixture.resources)
            print(f"\n== {environment}: policy pack 'envstack' over {len(fixture.resources)} resources ==")
            print("\n".join(report(analyzer, diagnostics, skipped)))
        print(f"  {verdict(diagnostics)}")
        ok = ok and not any(d.level == "mandatory" for d in diagnostics)

    sample = _sample(BROKEN_SAMPLE)
    with PolicyAnalyzer(stack="dev") as analyzer:
        analyzer.configure(sample.config)
        diagnostics = analyzer.review(sample.fixture.resources, sample.fixture.stack)
    print(f"\n== a deliberately broken sample (dev): {sample.title} ==")
    for diagnostic in diagnostics:
        print(f"  [{diagnostic.level}] {diagnostic.policy}: {diagnostic.message.splitlines()[-1]}")
    print(f"  {verdict(diagnostics)}")
    ok = ok and any(d.level == "mandatory" for d in diagnostics)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
