"""The YAML example is checked by the real Pulumi YAML engine, which refuses what the schema forbids.

No Pulumi CLI can be installed here, but the engine behind
pulumi-language-yaml is a Go library; ``yaml_engine/`` runs it under the Go
SDK's mocks with the package schema from schema.json. These tests hand it
broken copies of the example and pin that it stops, naming the problem, as
``pulumi preview`` would: a misspelled input, a missing required input, a
value of the wrong type, and an export of an output the component lacks.
"""

import shutil
from pathlib import Path

import pytest

from .stack_configs import EXAMPLES
from .toolchains import ToolchainRunError, run_yaml_example


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    copy = tmp_path / "yaml"
    shutil.copytree(EXAMPLES / "yaml", copy)
    program = copy / "Pulumi.yaml"
    text = program.read_text()
    assert old in text
    program.write_text(text.replace(old, new))
    return copy


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        (
            "lambdaMemoryMb: ${lambdaMemoryMb}",
            "lambdaMemoryMB: ${lambdaMemoryMb}",
            "Property lambdaMemoryMB does not exist on 'envstack:index:EnvironmentStack'",
        ),
        ("      environment: ${environment}\n", "", "Missing required property 'environment'"),
        (
            "lambdaMemoryMb: ${lambdaMemoryMb}",
            "lambdaMemoryMb: ${environment}",
            "lambdaMemoryMb: Cannot assign type 'string' to type 'integer'",
        ),
        ("${envstack.bucketName}", "${envstack.bucketNam}", "bucketNam does not exist on envstack"),
    ],
    ids=["misspelled-input", "missing-required-input", "string-for-integer", "unknown-output"],
)
def test_engine_refuses_a_program_the_schema_forbids(
    tmp_path: Path, yaml_engine_binary: Path, old: str, new: str, complaint: str
) -> None:
    broken = _broken_copy(tmp_path, old, new)
    with pytest.raises(ToolchainRunError) as failure:
        run_yaml_example(yaml_engine_binary, tmp_path / "records", broken)
    assert complaint in failure.value.result.stdout
    assert not (tmp_path / "records" / "dev.json").exists()
