"""The real component's stacks pass; each broken variant trips exactly its policy; previews don't crash."""

from collections.abc import Callable
from dataclasses import replace
from functools import cache

import pytest

from envstack_policy.pack import POLICIES
from envstack_testkit.analyzer_harness import UNKNOWN, AnalyzerResource, PolicyAnalyzer
from envstack_testkit.policy_fixtures import (
    ENVIRONMENTS,
    Fixture,
    Sample,
    fixture_of,
    preview_of,
    subjects,
    violating_samples,
)
from envstack_testkit.recording import Recording, record_environment_stack


def test_each_environment_of_the_component_passes_every_policy(
    environment: str, recordings: dict[str, Recording], pack_for: Callable[[str], PolicyAnalyzer]
) -> None:
    fixture = fixture_of(recordings[environment])
    diagnostics = pack_for(environment).review(fixture.resources, fixture.stack)
    assert [d for d in diagnostics if d.level == "mandatory"] == []
    assert [d.message for d in diagnostics] == []  # not even an advisory tag finding


def test_each_environment_passes_during_preview_with_unknown_outputs(
    environment: str, recordings: dict[str, Recording], pack_for: Callable[[str], PolicyAnalyzer]
) -> None:
    preview = preview_of(recordings[environment])
    assert any(UNKNOWN in r.properties.values() for r in preview.resources)
    assert pack_for(environment).review(preview.resources, preview.stack) == []


def _all_unknown(resource: AnalyzerResource) -> AnalyzerResource:
    return replace(resource, properties=dict.fromkeys(resource.properties, UNKNOWN))


@cache
def _samples() -> tuple[Sample, ...]:
    return tuple(violating_samples(record_environment_stack(ENVIRONMENTS["dev"], stack="dev")))


def test_every_policy_has_at_least_one_violating_sample() -> None:
    # envstack-exemptions judges the pack's and the stack's config, not a resource: its broken
    # samples are exemptions, in test_exemptions.py.
    assert subjects(_samples()) == {p.name for p in POLICIES} - {"envstack-exemptions"}


@pytest.mark.parametrize("sample", _samples(), ids=lambda s: s.title.replace(" ", "-"))
def test_a_broken_sample_trips_exactly_its_policy_naming_the_resource_and_fix(
    sample: Sample, analyzer: PolicyAnalyzer
) -> None:
    analyzer.configure(sample.config)
    diagnostics = analyzer.review(sample.fixture.resources, sample.fixture.stack)
    assert {d.policy for d in diagnostics} == {sample.policy}
    subject = next(d for d in diagnostics if f"{sample.subject} (" in d.message)
    assert "Fix: " in subject.message
    advisory = {"envstack-tags-required", "envstack-sqs-dlq-alarm"}
    assert subject.level == ("advisory" if sample.policy in advisory else "mandatory")
    expected_urn = next(r.urn for r in sample.fixture.stack if r.name == sample.subject)
    assert subject.urn in ("", expected_urn)  # resource policies leave the URN to the engine


@pytest.mark.parametrize("sample", _samples(), ids=lambda s: s.title.replace(" ", "-"))
def test_no_policy_crashes_when_every_property_is_unknown(sample: Sample, analyzer: PolicyAnalyzer) -> None:
    analyzer.configure(sample.config)
    unknown = Fixture(
        tuple(map(_all_unknown, sample.fixture.resources)), tuple(map(_all_unknown, sample.fixture.stack))
    )
    diagnostics = analyzer.review(unknown.resources, unknown.stack)
    assert not [d for d in diagnostics if "during preview" in d.message]
    # What is broken without depending on a value (a removed resource or property, the protect
    # option) may still be reported; nothing else is.
    assert {d.policy for d in diagnostics} <= {sample.policy}


def test_a_compliant_stack_whose_every_property_is_unknown_reports_nothing(
    recordings: dict[str, Recording], analyzer: PolicyAnalyzer
) -> None:
    base = fixture_of(recordings["dev"])
    unknown = Fixture(tuple(map(_all_unknown, base.resources)), tuple(map(_all_unknown, base.stack)))
    assert analyzer.review(unknown.resources, unknown.stack) == []


def test_a_missing_encryption_configuration_is_caught_during_preview_through_dependencies(
    recordings: dict[str, Recording], analyzer: PolicyAnalyzer
) -> None:
    preview = preview_of(recordings["dev"]).without("envstack-bucket-encryption")
    [diagnostic] = analyzer.analyze_stack(preview.stack)
    assert diagnostic.policy == "envstack-s3-encryption"
    assert diagnostic.urn == preview.named("envstack-bucket").urn


def test_a_topic_without_its_tls_only_policy_is_caught_during_preview(
    recordings: dict[str, Recording], analyzer: PolicyAnalyzer
) -> None:
    # A preview, with the topic's ARN not known yet: without its TopicPolicy nothing refuses plain HTTP.
    preview = preview_of(recordings["dev"]).without("envstack-topic-policy")
    [diagnostic] = analyzer.analyze_stack(preview.stack)
    assert diagnostic.policy == "envstack-tls-only-access"
    assert diagnostic.urn == preview.named("envstack-topic").urn
    assert "has no topic policy that denies requests made without TLS" in diagnostic.message
    assert "aws.sns.TopicPolicy" in diagnostic.message


def test_the_v2_encryption_token_and_inline_encryption_are_accepted(
    recordings: dict[str, Recording], analyzer: PolicyAnalyzer
) -> None:
    base = fixture_of(recordings["dev"])
    v2 = base.retype(
        "envstack-bucket-encryption",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    )
    assert analyzer.analyze_stack(v2.stack) == []
    inline = base.without("envstack-bucket-encryption").change(
        "envstack-bucket",
        serverSideEncryptionConfiguration={
            "rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}
        },
    )
    assert analyzer.analyze_stack(inline.stack) == []


def test_a_bucket_v2_encrypted_inline_in_its_own_shape_passes_and_one_without_is_caught(
    recordings: dict[str, Recording], analyzer: PolicyAnalyzer
) -> None:
    # BucketV2's inline input is a list whose rules carry a list of defaults.
    bare = (
        fixture_of(recordings["dev"])
        .without("envstack-bucket-encryption")
        .retype("envstack-bucket", "aws:s3/bucketV2:BucketV2")
    )
    inline = [{"rules": [{"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "aws:kms"}]}]}]
    encrypted = bare.change("envstack-bucket", serverSideEncryptionConfigurations=inline)
    assert analyzer.review(encrypted.resources, encrypted.stack) == []
    [diagnostic] = analyzer.review(bare.resources, bare.stack)
    assert diagnostic.policy == "envstack-s3-encryption"
    assert "envstack-bucket (aws:s3:BucketV2): has no default server-side encryption." in diagnostic.message
