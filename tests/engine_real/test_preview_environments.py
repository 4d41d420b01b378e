"""`pulumi preview` of examples/yaml under the real engine, for each checked-in stack file.

Each environment is previewed once for the module (``previewed``), with
``--json``, and every test reads its steps. What a user's pack preview of
each environment prints (the policy report, unknown outputs, no warnings) is
read from the demo's run of the same previews (``test_demo.py``).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from envstack_provider.component import TYPE_TOKEN
from envstack_testkit import engine

from .conftest import ENVIRONMENTS, YAML_EXAMPLE, stack_settings

COMPONENT = TYPE_TOKEN
CHILD_TYPES = sorted(
    [
        "aws:cloudwatch/logGroup:LogGroup",
        *["aws:cloudwatch/metricAlarm:MetricAlarm"] * 4,
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
        "aws:sns/topicPolicy:TopicPolicy",
        "aws:sns/topicSubscription:TopicSubscription",
        "aws:sqs/queue:Queue",
        "aws:sqs/queue:Queue",
        "aws:sqs/queuePolicy:QueuePolicy",
        "aws:sqs/queuePolicy:QueuePolicy",
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


@dataclass(frozen=True)
class Previewed:
    """One environment's ``pulumi preview --json`` of a fresh stack."""

    environment: str
    steps: list[dict[str, Any]]


@pytest.fixture(scope="module", params=ENVIRONMENTS)
def previewed(request: pytest.FixtureRequest) -> Iterator[Previewed]:
    """The preview's steps for one environment's stack, on a fresh copy of examples/yaml."""
    environment: str = request.param
    with engine.Workspace(YAML_EXAMPLE) as workspace:
        workspace.init_stack(environment)
        yield Previewed(environment, engine.preview_steps(workspace.preview().check()))


def test_preview_registers_the_component_and_its_18_children(previewed: Previewed) -> None:
    [component] = [s for s in previewed.steps if s["newState"]["type"] == COMPONENT]
    children = _descendants(previewed.steps, component["urn"])
    assert sorted(s["newState"]["type"] for s in children) == CHILD_TYPES
    assert {s["op"] for s in [component, *children]} == {"create"}


def test_each_stack_files_settings_reach_the_children(previewed: Previewed) -> None:
    settings = stack_settings(previewed.environment)
    suffix = settings["pulumi-infra:environmentSuffix"]
    inputs = {s["newState"]["type"]: s["newState"].get("inputs", {}) for s in previewed.steps}
    assert inputs["aws:lambda/function:Function"]["memorySize"] == settings["pulumi-infra:lambdaMemoryMb"]
    # The example reads the email as a secret (fn::secret), so the preview masks it; its value in
    # the state is checked against the stack file in tests/engine_automation/test_parity.py.
    assert settings["pulumi-infra:notificationEmail"]
    assert inputs["aws:sns/topicSubscription:TopicSubscription"]["endpoint"] == "[secret]"
    assert inputs["aws:s3/bucket:Bucket"]["bucket"].endswith(f"-{suffix}")
    assert inputs["aws:dynamodb/table:Table"]["name"].endswith(f"-{suffix}")
    assert (
        inputs["aws:lambda/function:Function"]["tags"]["Environment"] == settings["pulumi-infra:environment"]
    )
