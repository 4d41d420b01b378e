"""`pulumi up`, `stack output`, `preview --expect-no-changes` and `destroy` under the real engine.

One lifecycle per environment runs as a module fixture (``lifecycle``), in
the order a user runs it, keeping what each step returned; each test then
asserts one behaviour of that run. The state exported after ``up`` is also
what ``pulumi policy analyze --file`` judges.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pulumi.provider.experimental.util import camel_case

from envstack_provider.component import OUTPUT_NAMES as COMPONENT_OUTPUTS
from envstack_provider.component import TYPE_TOKEN
from envstack_testkit import engine

from .conftest import ENVIRONMENTS, mandatory, stack_settings

OUTPUT_NAMES = {camel_case(name) for name in COMPONENT_OUTPUTS}
"""The component's outputs as the schema names them."""


@dataclass(frozen=True)
class Lifecycle:
    """What each step of one environment's up-to-destroy run returned."""

    environment: str
    workspace: engine.Workspace
    outputs_file: Path
    """``cfn-outputs/flat-outputs.json``, written from ``pulumi stack output --json``."""
    state_file: Path
    """``pulumi stack export`` right after ``up``."""
    unchanged: engine.Run
    """``pulumi preview --expect-no-changes`` after ``up``."""
    after_destroy: dict[str, Any]
    """``pulumi stack export`` after ``destroy``."""

    def state(self) -> list[dict[str, Any]]:
        """The resources in the state after ``up``."""
        return engine.resources(json.loads(self.state_file.read_text()))


@pytest.fixture(scope="module", params=ENVIRONMENTS)
def lifecycle(request: pytest.FixtureRequest) -> Iterator[Lifecycle]:
    """``up``, the outputs file, the state, a no-change preview, then ``destroy``, on a fresh copy."""
    environment: str = request.param
    with engine.Workspace(engine.YAML_EXAMPLE) as workspace:
        workspace.init_stack(environment)
        workspace.up().check()
        # The original description's consumers read the stack's outputs from this file.
        outputs_file = workspace.program / "cfn-outputs" / "flat-outputs.json"
        outputs_file.parent.mkdir()
        outputs_file.write_text(workspace.run("stack", "output", "--json").check().stdout)
        state_file = workspace.root / "state.json"
        state_file.write_text(workspace.run("stack", "export").check().stdout)
        unchanged = workspace.run("preview", "--expect-no-changes")
        workspace.destroy().check()
        yield Lifecycle(environment, workspace, outputs_file, state_file, unchanged, workspace.export_state())


def test_the_outputs_file_names_the_environments_resources(lifecycle: Lifecycle) -> None:
    outputs = json.loads(lifecycle.outputs_file.read_text())
    suffix = stack_settings(lifecycle.environment)["pulumi-infra:environmentSuffix"]
    assert outputs["bucket_name"] == f"envstack-data-{suffix}"
    assert outputs["bucket_arn"] == f"arn:aws:s3:::envstack-data-{suffix}"
    assert outputs["queue_url"].endswith(f"/envstack-ingest-{suffix}")
    assert len(outputs) == len(OUTPUT_NAMES)


def test_the_state_holds_nothing_protected_and_the_schemas_output_names(lifecycle: Lifecycle) -> None:
    state = lifecycle.state()
    assert not [r["urn"] for r in state if r.get("protect") or r.get("retainOnDelete")]
    [component] = [r for r in state if r["type"] == TYPE_TOKEN]
    assert set(component["outputs"]) == OUTPUT_NAMES
    [bucket] = [r for r in state if r["type"] == "aws:s3/bucket:Bucket"]
    assert bucket["outputs"]["region"] == stack_settings(lifecycle.environment)["aws:region"]


def test_a_second_preview_expects_no_changes(lifecycle: Lifecycle) -> None:
    assert lifecycle.unchanged.returncode == 0, lifecycle.unchanged.output


def test_destroy_leaves_no_resource_in_the_state(lifecycle: Lifecycle) -> None:
    assert lifecycle.state(), "up created nothing to destroy"
    assert engine.resources(lifecycle.after_destroy) == []


@pytest.mark.parametrize("lifecycle", ["dev"], indirect=True)
def test_policy_analyze_judges_the_exported_state_file(lifecycle: Lifecycle) -> None:
    # One environment is enough: the other stacks pass the same pack in their previews.
    def analyze(state_file: Path) -> engine.Run:
        return lifecycle.workspace.run(
            "policy", "analyze", "--file", str(state_file), "--policy-pack", engine.policy_pack_argument()
        )

    clean = analyze(lifecycle.state_file)
    assert clean.returncode == 0, clean.output
    assert mandatory(clean) == []
    # Unprotect nothing, break one thing: a table with deletion protection on fails the pack.
    document = json.loads(lifecycle.state_file.read_text())
    for resource in document["deployment"]["resources"]:
        if resource["type"] == "aws:dynamodb/table:Table":
            resource["inputs"]["deletionProtectionEnabled"] = True
            resource["outputs"]["deletionProtectionEnabled"] = True
    broken = lifecycle.workspace.root / "broken-state.json"
    broken.write_text(json.dumps(document))
    judged = analyze(broken)
    assert "envstack-dynamodb-deletion-protection" in mandatory(judged), judged.output
    assert judged.returncode != 0


def test_a_bad_input_fails_the_preview_and_the_update_creates_nothing(yaml_example: engine.Workspace) -> None:
    yaml_example.init_stack("dev")
    yaml_example.run("config", "set", "environmentSuffix", "Dev_1").check()
    expected = (
        "EnvironmentStack input 'environmentSuffix' has invalid value 'Dev_1': must be 1 to 20 lowercase"
        " letters, digits and hyphens"
    )
    preview = yaml_example.run("preview")
    assert preview.returncode != 0
    assert expected in preview.output.replace("\n", " ").replace("  ", " ") or expected in preview.output
    up = yaml_example.up()
    assert up.returncode != 0
    types = {r["type"] for r in engine.resources(yaml_example.export_state())}
    assert not [t for t in types if t.startswith(("aws:", "envstack:"))]
