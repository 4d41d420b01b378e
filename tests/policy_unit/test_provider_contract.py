"""Defaults the component and the pack must agree on, though the pack may not import the provider.

The pack stands alone (the engine runs it from its folder with its own
requirements), so it keeps its own copy of each: these tests pin each pair.
"""

import json

import pytest
from pulumi.provider.experimental.util import camel_case

from envstack_policy.data import lambda_runtimes
from envstack_policy.policies import runtimes, tags
from envstack_policy.policies.access import validate_iam_wildcards
from envstack_policy.policies.iam_actions import validate_iam_risky_actions
from envstack_policy.readers import stack
from envstack_provider.iam import PolicyArns, policy_document
from envstack_provider.profiles import PROFILES
from envstack_provider.settings import DEFAULT_RUNTIME, SUPPORTED_RUNTIMES, resolve

from .conftest import run

PROJECT = "pulumi-infra"


@pytest.fixture(autouse=True)
def _forget_the_stack() -> object:
    yield None
    stack.configure(None)


def _urn(stack_name: str) -> str:
    return f"urn:pulumi:{stack_name}::{PROJECT}::aws:sqs/queue:Queue::q"


@pytest.mark.parametrize("environment", list(PROFILES))
def test_the_suffix_defaults_to_the_environment_in_both(environment: str) -> None:
    assert resolve({"environment": environment}).suffix == environment
    stack.configure(stack.StackInfo("a-developers-stack", PROJECT, {f"{PROJECT}:environment": environment}))
    assert stack.environment_suffix(_urn("a-developers-stack")) == environment


def test_the_pack_reads_the_config_keys_the_component_takes() -> None:
    assert camel_case("environment_suffix") == stack.SUFFIX_KEY
    assert camel_case("environment") == stack.ENVIRONMENT_KEY
    stack.configure(stack.StackInfo("dev", PROJECT, {f"{PROJECT}:{stack.SUFFIX_KEY}": "blue"}))
    assert (
        stack.environment_suffix(_urn("dev"))
        == resolve({"environment": "dev", "environment_suffix": "blue"}).suffix
    )


@pytest.mark.parametrize("environment", list(PROFILES))
def test_the_environment_tag_has_the_same_value_in_both(environment: str) -> None:
    component_tags = resolve({"environment": environment}).tags
    assert set(tags.DEFAULT_REQUIRED_TAGS) <= set(component_tags)
    stack.configure(stack.StackInfo(environment, PROJECT, {f"{PROJECT}:environment": environment}))
    for key in tags.DEFAULT_REQUIRED_TAGS:
        assert tags.tag_value(key, {}, _urn(environment)) == component_tags[key], key


def test_every_runtime_the_component_accepts_is_one_the_pack_knows_and_passes() -> None:
    assert DEFAULT_RUNTIME in SUPPORTED_RUNTIMES
    for runtime in SUPPORTED_RUNTIMES:
        assert runtime in lambda_runtimes.RUNTIMES, runtime
        assert not runtimes.deprecated(runtime), runtime


@pytest.mark.parametrize("kms_key_arn", [None, "arn:aws:kms:us-east-1:123456789012:key/k"])
def test_the_components_role_policy_passes_the_packs_least_privilege_policies(
    kms_key_arn: str | None,
) -> None:
    arns = PolicyArns(
        bucket_arn="arn:aws:s3:::envstack-data-dev",
        table_arn="arn:aws:dynamodb:us-east-1:123456789012:table/envstack-messages-dev",
        topic_arn="arn:aws:sns:us-east-1:123456789012:envstack-events-dev",
        queue_arn="arn:aws:sqs:us-east-1:123456789012:envstack-ingest-dev",
        log_group_arn="arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/envstack-processor-dev",
        kms_key_arn=kms_key_arn,
    )
    props = {"policy": json.dumps(policy_document(arns))}
    for validate in (validate_iam_wildcards, validate_iam_risky_actions):
        assert run(validate, "aws:iam/rolePolicy:RolePolicy", props) == [], validate.__name__
