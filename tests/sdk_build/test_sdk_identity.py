"""One version, one set of package names and one plugin server flow from schema.json into every SDK.

schema.json's ``version`` (stamped from VERSION), ``pluginDownloadURL`` and
``language`` block are the only inputs; these tests read back what each SDK
declares, both for the checked-in SDKs and for SDKs generated from a schema
with another version and server.
"""

import json
import posixpath
from pathlib import Path
from typing import Any

import pytest

from . import identity
from .toolchains import SCHEMA, SDK, VERSION_FILE, read_json, sdkgen

pytestmark = pytest.mark.timeout(900)


def expected_names(schema: dict[str, Any]) -> dict[str, str]:
    """The name each SDK must carry, derived from the schema's language block."""
    language = schema["language"]
    namespace = language["csharp"]["rootNamespace"]
    return {
        "python": language["python"]["packageName"],
        "nodejs": language["nodejs"]["packageName"],
        # Pack mode: the module is one level above the import base path.
        "go": posixpath.dirname(language["go"]["importBasePath"]),
        "dotnet": f"{namespace}.{schema['name'].capitalize()}",
        # Maven coordinates: the base package is the group, the package name the artifact.
        "java": f"{language['java']['basePackage']}:{schema['name']}",
    }


def declared(sdk: Path) -> dict[str, identity.Declared]:
    return {language: read(sdk / language) for language, read in identity.READERS.items()}


def assert_carries(sdk: Path, schema: dict[str, Any], version: str) -> None:
    names = expected_names(schema)
    for language, found in declared(sdk).items():
        assert found.name == names[language], language
        assert set(found.versions.values()) == {version}, (language, found.versions)
        assert set(found.servers.values()) == {schema["pluginDownloadURL"]}, (language, found.servers)


def test_checked_in_sdks_carry_the_schema_names_and_the_one_version() -> None:
    schema = read_json(SCHEMA)
    version = VERSION_FILE.read_text(encoding="utf-8").strip()

    assert schema["version"] == version
    assert_carries(SDK, schema, version)


def test_a_new_version_and_plugin_server_reach_every_sdk(tmp_path: Path) -> None:
    schema = read_json(SCHEMA)
    schema["version"] = "2.3.4"
    schema["pluginDownloadURL"] = "https://artifacts.example.com/envstack"
    bumped = tmp_path / "schema.json"
    bumped.write_text(json.dumps(schema), encoding="utf-8")

    sdkgen(bumped, tmp_path / "sdk", tidy=False)

    assert_carries(tmp_path / "sdk", schema, "2.3.4")
