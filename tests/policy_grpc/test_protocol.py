"""The Analyzer protocol end to end: info, config, enforcement levels, remediation, errors."""

from dataclasses import replace

import grpc
import pytest
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2

from envstack_policy.pack import POLICIES
from envstack_testkit.analyzer_harness import AnalyzerProvider, AnalyzerResource, PolicyAnalyzer, urn

STACK_POLICIES = {
    "envstack-s3-encryption",
    "envstack-s3-public-access-block",
    "envstack-s3-tls-only",
    "envstack-tls-only-access",
    "envstack-sqs-lambda-dlq",
    "envstack-sqs-dlq-alarm",
    "envstack-s3-versioning",
    "envstack-sqs-visibility-timeout",
    "envstack-rds-cluster-snapshot-encryption",
    "envstack-rds-tls-in-transit",
    "envstack-dynamodb-global-table-pitr",
    "envstack-exemptions",
}


def resource(type_token: str, name: str, /, **properties: object) -> AnalyzerResource:
    return AnalyzerResource(
        type=type_token, name=name, urn=urn("dev", "shop", type_token, name), properties=properties
    )


def test_get_analyzer_info_describes_every_policy(analyzer: PolicyAnalyzer) -> None:
    info = analyzer.info()
    assert info.name == "envstack"
    assert info.supportsConfig
    assert [p.name for p in info.policies] == [p.name for p in POLICIES]
    for policy in info.policies:
        advisory = policy.name in {"envstack-tags-required", "envstack-sqs-dlq-alarm"}
        expected = "advisory" if advisory else "mandatory"
        assert policy.enforcementLevel == getattr(analyzer_pb2, expected.upper()), policy.name
        assert policy.severity != analyzer_pb2.POLICY_SEVERITY_UNSPECIFIED, policy.name
        assert policy.remediation_steps, policy.name
        kind = (
            analyzer_pb2.POLICY_TYPE_STACK
            if policy.name in STACK_POLICIES
            else analyzer_pb2.POLICY_TYPE_RESOURCE
        )
        assert policy.policy_type == kind, policy.name
    schemas = {p.name: json_format.MessageToDict(p.configSchema.properties) for p in info.policies}
    assert schemas["envstack-naming-suffix"]["suffix"]["type"] == "string"
    assert schemas["envstack-tags-required"]["requiredTags"]["default"] == ["Environment"]


def test_get_analyzer_info_carries_each_policys_compliance_controls(analyzer: PolicyAnalyzer) -> None:
    """What the engine records of a policy names the framework controls it covers (compliance.py)."""
    info = {p.name: p for p in analyzer.info().policies}
    tls_only = info["envstack-s3-tls-only"]
    assert tls_only.framework.name == "AWS Foundational Security Best Practices"
    assert tls_only.framework.reference == "S3.5"
    assert tls_only.framework.specification.startswith("S3.5: S3 buckets should require requests to use")
    assert list(tls_only.tags) == ["aws-fsbp:S3.5", "cis-aws-7.0:3.1.1"]
    assert info["envstack-sqs-public-policy"].framework.version == "7.0"
    assert not info["envstack-naming-suffix"].HasField("framework")
    assert list(info["envstack-naming-suffix"].tags) == []
    for policy in POLICIES:
        assert list(info[policy.name].tags) == (policy.tags or []), policy.name
        reference = policy.framework.reference if policy.framework else ""
        assert info[policy.name].framework.reference == reference, policy.name


def test_the_pack_is_served_by_the_pinned_pulumi_policy(analyzer: PolicyAnalyzer) -> None:
    assert analyzer.plugin_version() == "1.21.0"


def test_an_unencrypted_hand_written_queue_is_rejected(analyzer: PolicyAnalyzer) -> None:
    queue = resource("aws:sqs/queue:Queue", "orders-dev", name="orders-dev", tags={"Environment": "dev"})
    [diagnostic] = analyzer.analyze(queue)
    assert diagnostic.policy == "envstack-sqs-encryption"
    assert diagnostic.level == "mandatory"
    assert (
        "orders-dev (aws:sqs:Queue): is not encrypted at rest. Fix: set sqsManagedSseEnabled"
        in diagnostic.message
    )


def test_config_can_disable_a_policy(analyzer: PolicyAnalyzer) -> None:
    queue = resource("aws:sqs/queue:Queue", "orders-dev", name="orders-dev", tags={"Environment": "dev"})
    analyzer.configure({"envstack-sqs-encryption": {"enforcementLevel": "disabled"}})
    assert analyzer.analyze(queue) == []


def test_config_can_make_an_advisory_policy_mandatory(analyzer: PolicyAnalyzer) -> None:
    topic = resource("aws:sns/topic:Topic", "events-dev", name="events-dev", kmsMasterKeyId="alias/aws/sns")
    assert [d.level for d in analyzer.analyze(topic)] == ["advisory"]
    analyzer.configure({"envstack-tags-required": {"enforcementLevel": "mandatory"}})
    assert [d.level for d in analyzer.analyze(topic)] == ["mandatory"]


def test_config_options_reach_the_policy(analyzer: PolicyAnalyzer) -> None:
    queue = resource(
        "aws:sqs/queue:Queue",
        "orders",
        name="orders-pr-7",
        sqsManagedSseEnabled=True,
        tags={"Environment": "x"},
    )
    assert [d.policy for d in analyzer.analyze(queue)] == ["envstack-naming-suffix"]
    analyzer.configure({"envstack-naming-suffix": {"suffix": "pr-7"}})
    assert analyzer.analyze(queue) == []


def test_a_policy_that_needs_config_says_it_is_not_applicable(analyzer: PolicyAnalyzer) -> None:
    function = resource("aws:lambda/function:Function", "fn-dev", name="fn-dev", runtime="python3.13")
    response = analyzer.analyze_response(function)
    reasons = {n.policy_name: n.reason for n in response.not_applicable}
    assert reasons["envstack-lambda-env-encryption"] == "requireKmsKey is not set in this policy's config"


def test_remediation_is_offered_only_at_the_remediate_level(analyzer: PolicyAnalyzer) -> None:
    bucket = resource("aws:s3/bucket:Bucket", "data-dev", bucket="data-dev")
    assert analyzer.remediate(bucket) == []
    analyzer.configure(
        {
            "envstack-s3-force-destroy": {"enforcementLevel": "remediate"},
            "envstack-tags-required": {
                "enforcementLevel": "remediate",
                "tagValues": {"Owner": "data"},
                "requiredTags": ["Environment", "Owner"],
            },
        }
    )
    fixes = analyzer.remediate(bucket)
    assert [f.policy for f in fixes] == ["envstack-s3-force-destroy", "envstack-tags-required"]
    assert fixes[-1].properties == {
        "bucket": "data-dev",
        "forceDestroy": True,
        "tags": {"Environment": "dev", "Owner": "data"},
    }
    remediated = AnalyzerResource(
        type=bucket.type, name=bucket.name, urn=bucket.urn, properties=fixes[-1].properties
    )
    assert analyzer.analyze(remediated) == []


def test_sqs_remediation_turns_on_managed_sse(analyzer: PolicyAnalyzer) -> None:
    queue = resource("aws:sqs/queue:Queue", "orders-dev", name="orders-dev", tags={"Environment": "dev"})
    analyzer.configure({"envstack-sqs-encryption": {"enforcementLevel": "remediate"}})
    [fix] = analyzer.remediate(queue)
    assert fix.properties["sqsManagedSseEnabled"] is True
    # A violation left at the remediate level is reported as mandatory, as pulumi-policy does.
    [diagnostic] = analyzer.analyze(queue)
    assert (diagnostic.policy, diagnostic.level) == ("envstack-sqs-encryption", "mandatory")


def test_a_config_option_of_the_wrong_type_fails_the_call_with_its_name(analyzer: PolicyAnalyzer) -> None:
    analyzer.configure({"envstack-dynamodb-encryption": {"requireKmsKey": "yes"}})
    table = resource("aws:dynamodb/table:Table", "t-dev", name="t-dev")
    with pytest.raises(grpc.RpcError) as failure:
        analyzer.analyze(table)
    assert "'requireKmsKey' must be true or false" in str(failure.value.details())


def test_the_providers_default_tags_sent_with_a_resource_count(analyzer: PolicyAnalyzer) -> None:
    topic = resource("aws:sns/topic:Topic", "events-dev", name="events-dev", kmsMasterKeyId="alias/aws/sns")
    provider = AnalyzerProvider(
        type="pulumi:providers:aws",
        name="default_7_51_1",
        urn=urn("dev", "shop", "pulumi:providers:aws", "default_7_51_1"),
        # Provider config reaches analyzers as the provider's inputs: JSON text for objects.
        properties={"region": "us-east-1", "defaultTags": '{"tags":{"Environment":"dev"}}'},
    )
    assert [d.policy for d in analyzer.analyze(topic)] == ["envstack-tags-required"]
    assert analyzer.analyze(replace(topic, provider=provider)) == []
