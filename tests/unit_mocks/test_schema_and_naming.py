"""The schema inferred from the code, and the name-length guarantee of the suffix rule."""

import io
import json
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from pulumi.provider.experimental.util import camel_case

from envstack_provider.args import EnvironmentStackArgs
from envstack_provider.component import OUTPUT_NAMES, TYPE_TOKEN
from envstack_provider.naming import MAX_SUFFIX_LENGTH, NAME_LIMITS, PhysicalNames
from envstack_provider.provider import EnvstackProvider
from envstack_provider.schema_file import main as write_schema
from envstack_provider.settings import INTEGER_INPUTS, INTEGER_RANGES, KNOWN_INPUTS
from envstack_testkit.recording import record_environment_stack

ROOT = Path(__file__).resolve().parents[2]


def test_checked_in_schema_matches_the_code() -> None:
    checked_in = json.loads((ROOT / "schema.json").read_text(encoding="utf-8"))
    assert checked_in == EnvstackProvider().schema_document(), "schema.json is stale: run `make schema`"


def test_served_schema_is_the_schema_document() -> None:
    provider = EnvstackProvider()
    assert json.loads(str(provider.schema)) == provider.schema_document()


def test_schema_file_writes_canonical_text(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    assert write_schema([str(target)]) == 0
    printed = io.StringIO()
    with redirect_stdout(printed):
        write_schema([])
    assert printed.getvalue() == target.read_text(encoding="utf-8")
    assert printed.getvalue() == (ROOT / "schema.json").read_text(encoding="utf-8")


def test_schema_carries_version_and_neutral_package_names() -> None:
    schema = EnvstackProvider().schema_document()
    assert schema["version"] == (ROOT / "VERSION").read_text(encoding="utf-8").strip()
    assert schema["language"]["python"]["packageName"] == "pulumi_envstack"
    assert not schema["language"]["nodejs"]["packageName"].startswith("@pulumi/")
    assert "github.com/pulumi/" not in schema["language"]["go"]["importBasePath"]


def test_every_input_and_output_is_typed_and_documented() -> None:
    resource = EnvstackProvider().schema_document()["resources"][TYPE_TOKEN]
    assert resource["requiredInputs"] == ["environment"]
    assert set(resource["inputProperties"]) == {
        camel_case(name) for name in EnvironmentStackArgs.__annotations__
    }
    assert len(resource["inputProperties"]) == 18
    for name, prop in resource["inputProperties"].items():
        assert prop.get("description"), name
        assert prop.get("type") in {"string", "integer", "boolean", "object"}, name
    camel = {name.split("_")[0] + "".join(p.title() for p in name.split("_")[1:]) for name in OUTPUT_NAMES}
    assert set(resource["properties"]) == camel
    assert sorted(resource["required"]) == sorted(camel)
    for name, prop in resource["properties"].items():
        assert prop == {"type": "string", "description": prop["description"]}, name
        assert prop["description"], name


def test_the_longest_suffix_keeps_every_name_within_its_service_limit() -> None:
    names = PhysicalNames.for_suffix("s" * MAX_SUFFIX_LENGTH)
    for field, limit in NAME_LIMITS.items():
        value = getattr(names, field, None)
        if value is not None:
            assert len(value) <= limit, f"{field} {value!r} is longer than {limit}"
    assert {f for f in NAME_LIMITS if hasattr(names, f)} == set(vars(names))


def test_serving_the_schema_loads_no_pulumi_aws_module() -> None:
    """GetSchema runs on every preview; pulumi-aws's imports belong to Construct only."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from envstack_provider.provider import EnvstackProvider\n"
        "EnvstackProvider().schema_document()\n"
        "print(sorted(m for m in sys.modules if m.startswith('pulumi_aws')))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_the_outputs_the_children_produce_are_the_outputs_the_class_declares(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from envstack_provider import children

    produced: list[tuple[str, ...]] = []
    create_children = children.create_children

    def recording_create_children(*args: Any) -> dict[str, Any]:
        outputs = create_children(*args)
        produced.append(tuple(outputs))
        return outputs

    monkeypatch.setattr(children, "create_children", recording_create_children)
    record_environment_stack({"environment": "dev"})
    assert produced == [OUTPUT_NAMES]
    assert len(OUTPUT_NAMES) == 12


def test_the_known_and_integer_inputs_are_the_typed_dicts_keys() -> None:
    assert frozenset(EnvironmentStackArgs.__annotations__) == KNOWN_INPUTS
    schema = EnvstackProvider().schema_document()["resources"][TYPE_TOKEN]["inputProperties"]
    assert {name for name, prop in schema.items() if prop["type"] == "integer"} == set(
        map(camel_case, INTEGER_INPUTS)
    )


@pytest.mark.parametrize("name", sorted(INTEGER_RANGES))
def test_each_ranged_inputs_docstring_states_the_bounds_the_table_enforces(name: str) -> None:
    low, high = INTEGER_RANGES[name]
    schema = EnvstackProvider().schema_document()["resources"][TYPE_TOKEN]["inputProperties"]
    description = schema[camel_case(name)]["description"]
    assert f"{low} to {high}" in description, description
