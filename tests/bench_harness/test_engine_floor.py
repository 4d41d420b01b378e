"""The real-engine floors plan what the component plans, or the bench refuses them.

The generated raw YAML programs (``bench.engine_programs``) and the bare
component provider (``bench/floor/component``) are compared with envstack's
component before any timing (``bench.engine.check_same_resources``). These
pin that comparison's parts without timing anything: the generated programs'
shape and pins, the bare provider's resources under the mocks the overhead
row uses, the comparison's refusals, and one real check under the engine.
"""

import copy
import runpy
from typing import Any

import pytest
import yaml

from bench import engine as engine_bench
from bench import engine_programs, overhead
from envstack_provider import EnvironmentStack
from envstack_provider.args import EnvironmentStackArgs
from envstack_provider.component import TYPE_TOKEN
from envstack_testkit import engine
from envstack_testkit.children import CHILDREN_WITH_EMAIL
from envstack_testkit.recording import run_program

DEV_INPUTS: EnvironmentStackArgs = {
    "environment": "dev",
    "environment_suffix": "dev",
    "lambda_memory_mb": 512,
    "notification_email": engine_programs.EMAIL,
}


def test_every_resource_of_a_generated_raw_floor_pins_the_installed_pulumi_aws() -> None:
    engine_bench.floor_pins_the_installed_pulumi_aws(engine_programs.raw_program(2))


def test_a_raw_floor_with_a_stale_pin_is_refused_naming_the_resource() -> None:
    project = engine_programs.raw_program(1)
    project["resources"]["env0-table"]["options"]["version"] = "6.0.0"
    with pytest.raises(ValueError, match=r"pin version \S+ on env0-table$"):
        engine_bench.floor_pins_the_installed_pulumi_aws(project)


def test_n_raw_sets_are_named_as_n_components_name_their_children() -> None:
    components = engine_programs.component_program(3)["resources"]
    raw = engine_programs.raw_program(3)["resources"]

    assert list(components) == ["env0", "env1", "env2"]
    assert len(raw) == 3 * CHILDREN_WITH_EMAIL
    for name, spec in components.items():
        children = {key: child for key, child in raw.items() if key.startswith(f"{name}-")}
        assert len(children) == CHILDREN_WITH_EMAIL, name
        suffix = spec["properties"]["environmentSuffix"]
        named = [child["properties"]["name"] for child in children.values() if "name" in child["properties"]]
        assert named and all(physical.endswith(suffix) for physical in named), (name, named)


def test_the_raw_set_names_and_types_what_the_component_registers() -> None:
    recording = run_program(lambda: EnvironmentStack("env0", {**DEV_INPUTS, "environment_suffix": "bench-0"}))
    raw = engine_programs.raw_environment("env0", "bench-0", engine_programs.pulumi_aws_version())

    assert {(r.type, r.name) for r in recording.custom()} == {
        (spec["type"], name) for name, spec in raw.items()
    }


def test_the_bare_program_is_the_yaml_example_on_the_bare_provider() -> None:
    example = engine.YAML_EXAMPLE / "Pulumi.yaml"
    original: dict[str, Any] = yaml.safe_load(example.read_text())
    bare = engine_programs.bare_program()

    [component] = [
        spec for spec in bare["resources"].values() if spec["type"] == engine_programs.BARE_TYPE_TOKEN
    ]
    assert component["options"]["version"] == engine_programs.BARE_VERSION
    assert "packages" not in bare
    expected = copy.deepcopy(original)
    expected.pop("packages", None)
    expected["resources"]["envstack"]["type"] = engine_programs.BARE_TYPE_TOKEN
    expected["resources"]["envstack"]["options"]["version"] = engine_programs.BARE_VERSION
    assert bare == expected
    assert TYPE_TOKEN not in str(bare)


def test_the_bare_provider_registers_the_components_resources_with_the_same_inputs() -> None:
    served = runpy.run_path(str(engine_programs.BARE_PROVIDER / "__main__.py"), run_name="bare_floor")
    assert served["VERSION"] == engine_programs.BARE_VERSION

    ours = run_program(lambda: EnvironmentStack("envstack", DEV_INPUTS.copy()))
    bare = run_program(lambda: served["EnvironmentStack"]("envstack", dict(DEV_INPUTS)))

    assert [r.type for r in bare.registrations if not r.custom] == [engine_programs.BARE_TYPE_TOKEN]
    assert len(bare.custom()) == CHILDREN_WITH_EMAIL
    assert overhead.resources_of(bare) == overhead.resources_of(ours)


def test_a_floor_that_plans_less_is_refused_naming_what_it_lacks() -> None:
    ours: dict[tuple[str, str], Any] = {
        ("aws:s3/bucket:Bucket", "envstack-bucket"): {},
        ("aws:sqs/queue:Queue", "envstack-queue"): {},
    }
    floor: dict[tuple[str, str], Any] = {("aws:s3/bucket:Bucket", "envstack-bucket"): {}}

    with pytest.raises(engine_bench.FloorMismatchError, match=r"missing \[\('aws:sqs/queue:Queue'"):
        engine_bench.compare_planned(ours, floor)


def test_a_floor_whose_inputs_drift_is_refused_naming_the_input() -> None:
    key = ("aws:sqs/queue:Queue", "envstack-queue")
    ours = {key: {"name": "envstack-ingest-dev", "visibilityTimeoutSeconds": 1800}}
    floor = {key: {"name": "envstack-ingest-dev", "visibilityTimeoutSeconds": 30}}

    with pytest.raises(engine_bench.FloorMismatchError, match=r"\(visibilityTimeoutSeconds\)"):
        engine_bench.compare_planned(ours, floor)
    assert engine_bench.compare_planned(ours, copy.deepcopy(ours)) == 1


@pytest.mark.skipif(not engine.PULUMI.exists(), reason="make engine has not been run")
def test_under_the_engine_the_raw_floor_of_the_example_plans_the_same_resources() -> None:
    with (
        engine_bench.example_workspace() as example,
        engine_bench.generated_workspace(engine_bench.example_raw_program()) as raw,
    ):
        planned = engine_bench.planned_resources(example.preview())
        assert (
            engine_bench.compare_planned(planned, engine_bench.planned_resources(raw.preview()))
            == CHILDREN_WITH_EMAIL
        )
        function = planned[("aws:lambda/function:Function", "envstack-function")]
        # A preview compares literals and the archive's hash; what AWS computes is unknown on both sides.
        assert function["memorySize"] == engine_programs.MEMORY_MB
        assert function["code"]["hash"]
