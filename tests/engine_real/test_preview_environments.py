"""`pulumi preview` of examples/yaml under the real engine, for each checked-in stack file."""

import re
from typing import Any

import pytest

from envstack_provider.component import TYPE_TOKEN
from envstack_testkit import engine

from .conftest import ENVIRONMENTS, stack_settings

COMPONENT = TYPE_TOKEN
CHILD_TYPES = sorted(
    [
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:dynamodb/table:Table",
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:lambda/eventSourceMapping:EventSourceMapping",
        "aws:lambda/function:Function",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:sns/topic:Topic",
        "aws:sns/topicSubscription:TopicSubscription",
        "aws:sqs/queue:Queue",
        "aws:sqs/queue:Queue",
        "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
    ]
)


def _descendants(steps: list[dict[str, Any]], root: str) -> list[dict[str, Any]]:
    by_urn = {step["urn"]: step for step in steps}

    def under(step: dict[str, Any]) -> bool:
        parent = step["newState"].get("parent")
        while parent:
            if parent == root:
                return True
            parent = by_urn.get(parent, {}).get("newState", {}).get("parent")
        return False

    return [step for step in steps if under(step)]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_preview_registers_the_component_and_its_18_children(
    yaml_example: engine.Workspace, environment: str
) -> None:
    yaml_example.init_stack(environment)
    steps = engine.preview_steps(yaml_example.preview().check())
    [component] = [s for s in steps if s["newState"]["type"] == COMPONENT]
    children = _descendants(steps, component["urn"])
    assert sorted(s["newState"]["type"] for s in children) == CHILD_TYPES
    assert {s["op"] for s in [component, *children]} == {"create"}


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_each_stack_files_settings_reach_the_children(
    yaml_example: engine.Workspace, environment: str
) -> None:
    settings = stack_settings(environment)
    suffix = settings["pulumi-infra:environmentSuffix"]
    yaml_example.init_stack(environment)
    steps = engine.preview_steps(yaml_example.preview().check())
    inputs = {s["newState"]["type"]: s["newState"].get("inputs", {}) for s in steps}
    assert inputs["aws:lambda/function:Function"]["memorySize"] == settings["pulumi-infra:lambdaMemoryMb"]
    assert (
        inputs["aws:sns/topicSubscription:TopicSubscription"]["endpoint"]
        == (settings["pulumi-infra:notificationEmail"])
    )
    assert inputs["aws:s3/bucket:Bucket"]["bucket"].endswith(f"-{suffix}")
    assert inputs["aws:dynamodb/table:Table"]["name"].endswith(f"-{suffix}")
    assert (
        inputs["aws:lambda/function:Function"]["tags"]["Environment"] == settings["pulumi-infra:environment"]
    )


def test_computed_outputs_are_unknown_in_a_preview_of_a_create(yaml_example: engine.Workspace) -> None:
    # The stand-in answers as the bridged pulumi-aws does: what the program left unset and the
    # provider computes comes back unknown, so the stack outputs built from ARNs are unknown too.
    yaml_example.init_stack("dev")
    run = yaml_example.run("preview").check()
    outputs = run.stdout[run.stdout.index("Outputs:") :]
    assert 'bucket_name  : "envstack-data-dev"' in outputs
    assert "bucket_arn   : [unknown]" in outputs
    assert "queue_url    : [unknown]" in outputs


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_preview_warns_of_nothing_but_plugins_found_on_path(
    yaml_example: engine.Workspace, environment: str
) -> None:
    # The engine's only warnings are its note that it used the executable plugins on PATH.
    yaml_example.init_stack(environment)
    run = yaml_example.run("preview", "--color", "never").check()
    # The YAML host colours its own diagnostics even under --color never.
    text = re.sub(r"\x1b\[[0-9;]*m", "", run.output)
    warnings = [line for line in text.splitlines() if "warning:" in line.lower()]
    assert warnings, "expected at least the engine's note about plugins found on PATH"
    assert [w for w in warnings if "from $PATH at" not in w] == []
