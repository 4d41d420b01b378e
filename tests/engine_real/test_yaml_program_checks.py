"""The real engine refuses a YAML program the schema forbids, naming the problem, before anything is created.

Pulumi YAML type-checks a program against the package schema (here served by
the envstack plugin over GetSchema) before it registers a resource. Each
case is a copy of examples/yaml with one thing broken: a misspelled input, a
missing required input, a value of the wrong type, and an export of an
output the component lacks; ``pulumi preview`` must fail with the checker's
own message.
"""

import pytest

from envstack_testkit import engine

from .conftest import YAML_EXAMPLE


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
def test_the_engine_refuses_a_program_the_schema_forbids(old: str, new: str, complaint: str) -> None:
    with engine.Workspace(YAML_EXAMPLE) as workspace:
        program = workspace.program / "Pulumi.yaml"
        text = program.read_text()
        assert old in text
        program.write_text(text.replace(old, new))
        workspace.init_stack("dev")
        preview = workspace.preview()
        assert preview.returncode != 0
        assert complaint in preview.output, preview.output
        types = {r["type"] for r in engine.resources(workspace.export_state())}
        assert not [t for t in types if t.startswith(("aws:", "envstack:"))], types
