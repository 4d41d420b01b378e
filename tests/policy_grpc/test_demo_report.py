"""The demo's policy report: one line per policy, the violations, and the preview's verdict."""

from envstack_policy.pack import POLICIES
from envstack_testkit.analyzer_harness import PolicyAnalyzer
from envstack_testkit.policy_demo import BROKEN_SAMPLE, not_applicable, report, verdict
from envstack_testkit.policy_fixtures import fixture_of, violating_samples
from envstack_testkit.recording import Recording


def test_the_report_accepts_a_real_environment(
    recordings: dict[str, Recording], analyzer: PolicyAnalyzer
) -> None:
    fixture = fixture_of(recordings["dev"])
    diagnostics = analyzer.review(fixture.resources, fixture.stack)
    skipped = not_applicable(analyzer, fixture.resources)
    lines = report(analyzer, diagnostics, skipped)
    assert len(lines) == len(POLICIES) == 27  # one line per policy
    assert "  envstack-s3-encryption                   mandatory  pass" in lines
    assert any(
        line.startswith("  envstack-lambda-env-encryption") and "not applicable" in line for line in lines
    )
    assert verdict(diagnostics) == "ACCEPTED: no mandatory violations (0 advisory)."


def test_the_broken_sample_is_rejected_with_its_messages(
    recordings: dict[str, Recording], analyzer: PolicyAnalyzer
) -> None:
    sample = next(s for s in violating_samples(recordings["dev"]) if s.title == BROKEN_SAMPLE)
    diagnostics = analyzer.review(sample.fixture.resources, sample.fixture.stack)
    lines = report(analyzer, diagnostics, {})
    assert "  envstack-iam-no-wildcards                mandatory  2 violation(s)" in lines
    assert any(
        "[mandatory] envstack-iam-no-wildcards: envstack-role-policy (aws:iam:RolePolicy)" in line
        for line in lines
    )
    assert verdict(diagnostics) == "REJECTED: 2 mandatory violation(s); the preview fails."
