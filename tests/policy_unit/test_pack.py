"""The pack as a whole: ids, metadata, config schemas, the taggable list and the README table."""

import gc
import io
import os
import re
import select
import sys
import threading
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import grpc
import pytest
import yaml
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2_grpc
from pulumi_policy import StackValidationPolicy

from envstack_policy.data.taggable import TAGGABLE_TYPES
from envstack_policy.pack import GC_THRESHOLD, POLICIES
from envstack_policy.serving.server import serve

README = Path(__file__).resolve().parents[2] / "policy" / "README.md"
_ID = re.compile(r"^envstack-[a-z0-9]+-[a-z0-9-]+$")


def test_every_policy_has_a_unique_id_in_the_house_style() -> None:
    names = [p.name for p in POLICIES]
    assert len(names) == len(set(names)) == 51
    # The exemptions policy judges the pack's own config, not a resource family; its id is shared
    # with the report and the baseline (policy/README.md, Exemptions).
    assert all(_ID.match(name) for name in names if name != "envstack-exemptions"), names


def test_every_policy_has_a_description_severity_level_and_remediation_steps() -> None:
    for policy in POLICIES:
        assert policy.description.endswith("."), policy.name
        assert policy.severity is not None, policy.name
        assert policy.enforcement_level is not None, policy.name
        assert policy.remediation_steps, policy.name


def test_cross_resource_checks_are_stack_policies() -> None:
    stack = {p.name for p in POLICIES if isinstance(p, StackValidationPolicy)}
    assert stack == {
        "envstack-s3-encryption",
        "envstack-s3-public-access-block",
        "envstack-s3-tls-only",
        "envstack-tls-only-access",
        "envstack-sqs-lambda-dlq",
        "envstack-sqs-dlq-alarm",
        "envstack-s3-versioning",
        "envstack-sqs-visibility-timeout",
        "envstack-rds-cluster-snapshot-encryption",
        "envstack-rds-tls-in-transit",
        "envstack-dynamodb-global-table-pitr",
        "envstack-exemptions",
    }


def test_config_schemas_declare_types_and_defaults() -> None:
    with_config = {p.name: p.config_schema for p in POLICIES if p.config_schema is not None}
    assert set(with_config) == {
        "envstack-dynamodb-encryption",
        "envstack-lambda-env-encryption",
        "envstack-naming-suffix",
        "envstack-iam-no-wildcards",
        "envstack-lambda-runtime",
        "envstack-tags-required",
        "envstack-iam-no-admin-managed-policy",
        "envstack-exemptions",
    }
    for name, schema in with_config.items():
        for option, spec in schema.properties.items():
            assert "type" in spec and "description" in spec, (name, option)


def test_the_taggable_list_matches_the_installed_pulumi_aws() -> None:
    from importlib import metadata

    from tools.taggable_types import OUTPUT, render, taggable_types

    from .aws_sdk import sdk

    found = taggable_types(sdk())
    assert found == TAGGABLE_TYPES
    expected = render(found, metadata.version("pulumi-aws"))
    assert OUTPUT.read_text(encoding="utf-8") == expected, "taggable.py is stale: run `make taggable-types`"


def test_the_readme_table_lists_every_policy_with_its_default_level() -> None:
    rows = {
        cells[0].strip("` "): cells
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `envstack-")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    assert set(rows) == {p.name for p in POLICIES}
    for policy in POLICIES:
        assert policy.enforcement_level is not None, policy.name
        assert rows[policy.name][2] == policy.enforcement_level.value, policy.name


class _PortPipe:
    """Stands in for sys.stdout: pulumi-policy writes the port to ``sys.stdout.buffer``."""

    def __init__(self) -> None:
        read_fd, write_fd = os.pipe()
        self.reader = io.FileIO(read_fd, "r")
        self.buffer = io.FileIO(write_fd, "w")

    def write(self, text: str) -> int:
        return self.buffer.write(text.encode())

    def flush(self) -> None:
        """Unbuffered."""


@pytest.fixture
def restore_gc() -> Iterator[None]:
    """serve() tunes the collector for the pack's own process; give the test process its settings back."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.usefixtures("restore_gc")
def test_serve_prints_its_port_and_serves_the_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    # serve() blocks for good, as in the engine's child process, so it runs on a daemon thread here.
    pipe = _PortPipe()
    monkeypatch.setattr(sys, "stdout", pipe)
    threading.Thread(target=serve, daemon=True).start()
    ready, _, _ = select.select([pipe.reader], [], [], 30)
    assert ready, "serve() printed no port"
    port = int(pipe.reader.read(16).decode().strip())
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        info = analyzer_pb2_grpc.AnalyzerStub(channel).GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == "envstack"
    assert [p.name for p in info.policies] == [p.name for p in POLICIES]
    assert gc.get_threshold()[0] == GC_THRESHOLD
    assert gc.get_freeze_count() > 0


def test_the_pack_manifest_runs_python_with_pinned_requirements() -> None:
    pack_dir = README.parent
    manifest = yaml.safe_load((pack_dir / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
    assert manifest["runtime"]["name"] == "python"
    pins = [
        line.split("==")
        for line in (pack_dir / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert {name for name, _ in pins} >= {"pulumi", "pulumi-policy"}
    for name, pinned in pins:
        assert version(name) == pinned, (
            f"policy/requirements.txt pins {name}=={pinned}, tests run {version(name)}"
        )
