"""State kept in S3, as the original description keeps it: a bucket on moto, under the real engine."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from envstack_testkit import engine
from envstack_testkit.aws_standin.provider import HOLD_VARIABLE
from envstack_testkit.children import CHILDREN_WITH_EMAIL
from envstack_testkit.moto_server import MotoEndpoint, moto_server

from .conftest import YAML_EXAMPLE

STATE_BUCKET = "envstack-pulumi-state"
LOCK_WAIT_SECONDS = 60
RESOURCES_AFTER_UP = 4 + CHILDREN_WITH_EMAIL
"""The stack, the aws and envstack providers, the component, and its children."""


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoEndpoint]:
    with moto_server() as endpoint:
        endpoint.client("s3").create_bucket(Bucket=STATE_BUCKET)
        yield endpoint


def s3_workspace(moto: MotoEndpoint, **extra_env: str) -> engine.Workspace:
    """examples/yaml with PULUMI_BACKEND_URL naming the moto bucket and its credentials set."""
    host = moto.url.removeprefix("http://")
    url = f"s3://{STATE_BUCKET}?endpoint={host}&region={moto.region}&use_path_style=true&disable_https=true"
    return engine.Workspace(YAML_EXAMPLE, backend_url=url, extra_env={**moto.environ(), **extra_env})


def state_keys(moto: MotoEndpoint, prefix: str) -> list[str]:
    listing = moto.client("s3").list_objects_v2(Bucket=STATE_BUCKET, Prefix=prefix)
    return [item["Key"] for item in listing.get("Contents", [])]


def test_up_and_destroy_keep_the_state_in_the_bucket(moto: MotoEndpoint) -> None:
    with s3_workspace(moto) as workspace:
        workspace.init_stack("dev")
        workspace.up().check()
        [checkpoint] = [k for k in state_keys(moto, ".pulumi/stacks/") if k.endswith("/dev.json")]
        assert len(engine.resources(workspace.export_state())) == RESOURCES_AFTER_UP
        assert moto.client("s3").get_object(Bucket=STATE_BUCKET, Key=checkpoint)["ContentLength"] > 0
        workspace.destroy().check()
        assert engine.resources(workspace.export_state()) == []
        workspace.run("stack", "rm", "--yes").check()


def test_a_second_update_is_refused_while_the_first_holds_the_lock(
    moto: MotoEndpoint, tmp_path: Path
) -> None:
    # The stand-in holds the first update's AWS calls while the gate exists, so it keeps the lock.
    gate = tmp_path / "hold-aws-calls"
    gate.touch()
    with s3_workspace(moto, **{HOLD_VARIABLE: str(gate)}) as workspace:
        workspace.init_stack("staging")
        first = workspace.popen("up", "--yes", "--skip-preview")
        try:
            deadline = time.monotonic() + LOCK_WAIT_SECONDS
            while not state_keys(moto, ".pulumi/locks/") and time.monotonic() < deadline:
                time.sleep(0.2)
            assert state_keys(moto, ".pulumi/locks/"), "the first update never took the lock"
            second = workspace.up()
            assert first.poll() is None, "the first update ended before the second was refused"
        finally:
            gate.unlink()
            stdout, stderr = first.communicate(timeout=engine.TIMEOUT_SECONDS)
        assert second.returncode != 0
        assert "locked" in second.output, second.output
        assert first.returncode == 0, stdout + stderr
        # The refused update changed nothing: the first one's state is whole, and the lock is gone.
        assert len(engine.resources(workspace.export_state())) == RESOURCES_AFTER_UP
        assert state_keys(moto, ".pulumi/locks/") == []
        workspace.destroy().check()


def test_the_example_folder_is_never_written(moto: MotoEndpoint) -> None:
    before = sorted(p.name for p in Path(YAML_EXAMPLE).iterdir())
    with s3_workspace(moto) as workspace:
        workspace.init_stack("prod")
        workspace.preview().check()
    assert sorted(p.name for p in Path(YAML_EXAMPLE).iterdir()) == before
