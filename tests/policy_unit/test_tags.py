"""Tag policy called directly: required keys, provider default tags, remediation."""

import json
from collections.abc import Callable

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from envstack_policy.policies.tags import remediate_tags, tag_value, validate_tags
from envstack_policy.readers.stack import StackInfo

from .conftest import resource_args, run

QUEUE = "aws:sqs/queue:Queue"


def test_a_taggable_resource_without_environment_is_reported() -> None:
    [message] = run(validate_tags, QUEUE, {"tags": {"Team": "data"}}, name="ingest")
    assert message == (
        "ingest (aws:sqs:Queue): is missing required tag(s) Environment."
        " Fix: add tags {'Environment': ...} (or the AWS provider's defaultTags)."
    )
    assert len(run(validate_tags, QUEUE, {})) == 1


def test_tagged_untaggable_and_unknown_tags_pass() -> None:
    assert run(validate_tags, QUEUE, {"tags": {"Environment": "dev"}}) == []
    assert run(validate_tags, "aws:s3/bucketPolicy:BucketPolicy", {}) == []
    assert run(validate_tags, QUEUE, {"tags": UNKNOWN_STRING_VALUE}) == []


def test_required_keys_come_from_config() -> None:
    config = {"requiredTags": ["Environment", "Owner"]}
    [message] = run(validate_tags, QUEUE, {"tags": {"Environment": "dev"}}, config=config)
    assert "missing required tag(s) Owner." in message


def test_provider_default_tags_count() -> None:
    provider = {"region": "us-east-1", "defaultTags": json.dumps({"tags": {"Environment": "dev"}})}
    assert run(validate_tags, QUEUE, {}, provider_props=provider) == []
    assert len(run(validate_tags, QUEUE, {}, provider_props={"region": "us-east-1"})) == 1
    assert run(validate_tags, QUEUE, {}, provider_props={"defaultTags": UNKNOWN_STRING_VALUE}) == []


def test_remediation_adds_environment_from_the_stack_and_other_keys_from_config() -> None:
    args = resource_args(
        QUEUE,
        {"name": "q-dev", "tags": {"Team": "data"}},
        config={"requiredTags": ["Environment", "Owner"], "tagValues": {"Owner": "platform"}},
        proxy=False,
    )
    assert remediate_tags(args) == {
        "name": "q-dev",
        "tags": {"Team": "data", "Environment": "dev", "Owner": "platform"},
    }


def test_remediation_adds_what_it_knows_and_leaves_the_rest() -> None:
    args = resource_args(QUEUE, {}, config={"requiredTags": ["Environment", "Owner"]}, proxy=False)
    assert remediate_tags(args) == {"tags": {"Environment": "dev"}}
    only_unknown_value = resource_args(QUEUE, {}, config={"requiredTags": ["Owner"]}, proxy=False)
    assert remediate_tags(only_unknown_value) is None
    assert remediate_tags(resource_args(QUEUE, {"tags": {"Environment": "x"}}, proxy=False)) is None


def test_environment_has_no_value_without_a_stack() -> None:
    assert tag_value("Environment", {}, "not-a-urn") is None
    assert tag_value("Environment", {"Environment": "qa"}, "not-a-urn") == "qa"


def test_remediation_takes_the_environment_from_the_stack_config(
    configured_stack: Callable[[StackInfo], None],
) -> None:
    configured_stack(StackInfo("dev-alice", "pulumi-infra", {"pulumi-infra:environment": "dev"}))
    args = resource_args(QUEUE, {}, proxy=False, stack_name="dev-alice")
    assert remediate_tags(args) == {"tags": {"Environment": "dev"}}
