"""The schema inferred from the code, and the name-length guarantee of the suffix rule."""

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

from envstack_provider.naming import MAX_SUFFIX_LENGTH, NAME_LIMITS, PhysicalNames
from envstack_provider.provider import EnvstackProvider
from envstack_provider.schema_file import main as write_schema
from envstack_testkit.recording import OUTPUT_NAMES

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "envstack:index:EnvironmentStack"


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
    resource = EnvstackProvider().schema_document()["resources"][TOKEN]
    assert resource["requiredInputs"] == ["environment"]
    assert set(resource["inputProperties"]) == {
        "environment",
        "environmentSuffix",
        "lambdaMemoryMb",
        "lambdaTimeoutSeconds",
        "lambdaRuntime",
        "noncurrentVersionExpirationDays",
        "messageRetentionSeconds",
        "maxReceiveCount",
        "logRetentionDays",
        "notificationEmail",
        "kmsKeyArn",
        "tags",
    }
    for name, prop in resource["inputProperties"].items():
        assert prop.get("description"), name
        assert prop.get("type") in {"string", "integer", "object"}, name
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


def test_the_outputs_the_children_produce_are_the_outputs_the_class_declares() -> None:
    import inspect

    from envstack_provider.component import EnvironmentStack

    assert tuple(inspect.get_annotations(EnvironmentStack)) == OUTPUT_NAMES
