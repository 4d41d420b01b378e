"""`pulumi preview` of examples/yaml under the real engine, for each checked-in stack file.

Each environment is previewed twice, once per module (``previewed``): with
``--json``, whose steps the registration tests read, and as a user runs it
with the policy pack, whose text the tests of warnings, unknown outputs and
the policy report read. Every test asserts on one of those two runs.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from envstack_provider.component import TYPE_TOKEN
from envstack_testkit import engine

from .conftest import ENVIRONMENTS, YAML_EXAMPLE, mandatory, stack_settings

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


@dataclass(frozen=True)
class Previewed:
    """One environment's two previews of the same fresh stack."""

    environment: str
    steps: list[dict[str, Any]]
    """The steps of ``pulumi preview --json``."""
    with_pack: engine.Run
    """``pulumi preview --policy-pack <envstack> --color never``, as a terminal shows it."""

    @property
    def text(self) -> str:
        """The pack preview's output, less the colours the YAML host writes even under ``--color never``."""
        return re.sub(r"\x1b\[[0-9;]*m", "", self.with_pack.output)


@pytest.fixture(scope="module", params=ENVIRONMENTS)
def previewed(request: pytest.FixtureRequest) -> Iterator[Previewed]:
    """Both previews of one environment's stack, on a fresh copy of examples/yaml."""
    environment: str = request.param
    with engine.Workspace(YAML_EXAMPLE) as workspace:
        workspace.init_stack(environment)
        steps = engine.preview_steps(workspace.preview().check())
        with_pack = workspace.preview_with_pack("--color", "never")
        yield Previewed(environment, steps, with_pack)


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
    assert (
        inputs["aws:sns/topicSubscription:TopicSubscription"]["endpoint"]
        == (settings["pulumi-infra:notificationEmail"])
    )
    assert inputs["aws:s3/bucket:Bucket"]["bucket"].endswith(f"-{suffix}")
    assert inputs["aws:dynamodb/table:Table"]["name"].endswith(f"-{suffix}")
    assert (
        inputs["aws:lambda/function:Function"]["tags"]["Environment"] == settings["pulumi-infra:environment"]
    )


def test_every_environment_passes_the_pack_with_no_pack_config(previewed: Previewed) -> None:
    run = previewed.with_pack
    assert run.returncode == 0, run.output
    assert mandatory(run) == []
    assert re.search(r"✅ envstack@v\S+ \(local: ", run.stdout), run.stdout


def test_computed_outputs_are_unknown_in_a_preview_of_a_create(previewed: Previewed) -> None:
    # The stand-in answers as the bridged pulumi-aws does: what the program left unset and the
    # provider computes comes back unknown, so the stack outputs built from ARNs are unknown too.
    suffix = stack_settings(previewed.environment)["pulumi-infra:environmentSuffix"]
    outputs = previewed.text[previewed.text.index("Outputs:") :]
    assert f'bucket_name  : "envstack-data-{suffix}"' in outputs
    assert "bucket_arn   : [unknown]" in outputs
    assert "queue_url    : [unknown]" in outputs


def test_the_preview_warns_of_nothing_but_plugins_found_on_path(previewed: Previewed) -> None:
    # The engine's only warnings are its note that it used the executable plugins on PATH:
    # none from the YAML host about the program, none from the pack.
    warnings = [line for line in previewed.text.splitlines() if "warning:" in line.lower()]
    assert warnings, "expected at least the engine's note about plugins found on PATH"
    assert [w for w in warnings if "from $PATH at" not in w] == []
