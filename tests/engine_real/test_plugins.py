"""The plugins as the real engine sees them: envstack's schema, and the stand-in AWS plugin's metadata."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from envstack_provider import debug_lines
from envstack_testkit import engine

ROOT = Path(__file__).resolve().parents[2]


def test_the_engine_gets_the_checked_in_schema_from_the_plugin(yaml_example: engine.Workspace) -> None:
    # The engine binds and re-marshals a schema (empty maps dropped, keys in its own order), so the
    # plugin's schema and schema.json are compared as the engine reads each of them.
    plugin = engine.PLUGINS / "pulumi-resource-envstack"
    served = yaml_example.run("package", "get-schema", str(plugin)).check()
    checked_in = yaml_example.run("package", "get-schema", str(ROOT / "schema.json")).check()
    assert json.loads(served.stdout) == json.loads(checked_in.stdout)
    assert json.loads(served.stdout)["version"] == (ROOT / "VERSION").read_text().strip()


def test_the_stand_in_aws_metadata_matches_the_installed_pulumi_aws() -> None:
    # Which outputs the stand-in returns unknown comes from pulumi-aws's own SDK; this fails when
    # pulumi-aws moves and `make aws-metadata` has not been run.
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "aws_metadata.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_stand_in_serves_a_schema_for_declaring_aws_resources(yaml_example: engine.Workspace) -> None:
    run = yaml_example.run("package", "get-schema", str(engine.PLUGINS / "pulumi-resource-aws")).check()
    schema = json.loads(run.stdout)
    bucket = schema["resources"]["aws:s3/bucket:Bucket"]
    assert bucket["inputProperties"]["forceDestroy"] == {"type": "boolean"}
    # Computed outputs are always present in pulumi-aws's schema; the stand-in returns them unknown.
    assert {"arn", "policy", "serverSideEncryptionConfiguration"} <= set(bucket["required"])
    assert "forceDestroy" not in bucket["required"]


REGISTRATION_LINE = "debug: registering resource: ty=aws:s3/bucket:Bucket"
"""One of the Python SDK's per-registration debug lines, as `pulumi preview --debug` shows it."""


def test_preview_debug_shows_no_sdk_registration_lines_from_the_plugin_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(debug_lines.VARIABLE, raising=False)
    with engine.Workspace(engine.YAML_EXAMPLE) as workspace:
        workspace.init_stack("dev")
        run = workspace.run("preview", "--debug").check()
    assert "envstack:index:EnvironmentStack" in run.stdout
    assert "registering resource" not in run.stdout


def test_envstack_debug_logs_brings_the_sdks_debug_lines_back() -> None:
    with engine.Workspace(engine.YAML_EXAMPLE, extra_env={debug_lines.VARIABLE: "1"}) as workspace:
        workspace.init_stack("dev")
        run = workspace.run("preview", "--debug").check()
    assert REGISTRATION_LINE in run.stdout
