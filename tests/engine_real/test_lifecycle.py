"""`pulumi up`, `stack output`, `preview --expect-no-changes` and `destroy` under the real engine."""

import json

import pytest
from pulumi.provider.experimental.util import camel_case

from envstack_provider.component import OUTPUT_NAMES as COMPONENT_OUTPUTS
from envstack_provider.component import TYPE_TOKEN
from envstack_testkit import engine

from .conftest import ENVIRONMENTS, stack_settings

OUTPUT_NAMES = {camel_case(name) for name in COMPONENT_OUTPUTS}
"""The component's outputs as the schema names them."""


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_up_outputs_no_changes_then_destroy_leaves_nothing(
    yaml_example: engine.Workspace, environment: str
) -> None:
    settings = stack_settings(environment)
    yaml_example.init_stack(environment)
    yaml_example.up().check()

    # The original description's consumers read the stack's outputs from this file.
    outputs_file = yaml_example.program / "cfn-outputs" / "flat-outputs.json"
    outputs_file.parent.mkdir()
    outputs_file.write_text(yaml_example.run("stack", "output", "--json").check().stdout)
    outputs = json.loads(outputs_file.read_text())
    suffix = settings["pulumi-infra:environmentSuffix"]
    assert outputs["bucket_name"] == f"envstack-data-{suffix}"
    assert outputs["bucket_arn"] == f"arn:aws:s3:::envstack-data-{suffix}"
    assert outputs["queue_url"].endswith(f"/envstack-ingest-{suffix}")
    assert len(outputs) == len(OUTPUT_NAMES)

    state = engine.resources(yaml_example.export_state())
    assert not [r["urn"] for r in state if r.get("protect") or r.get("retainOnDelete")]
    [component] = [r for r in state if r["type"] == TYPE_TOKEN]
    assert set(component["outputs"]) == OUTPUT_NAMES
    [bucket] = [r for r in state if r["type"] == "aws:s3/bucket:Bucket"]
    assert bucket["outputs"]["region"] == settings["aws:region"]

    unchanged = yaml_example.run("preview", "--expect-no-changes")
    assert unchanged.returncode == 0, unchanged.output

    yaml_example.destroy().check()
    assert engine.resources(yaml_example.export_state()) == []


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
