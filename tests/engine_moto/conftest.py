"""Fixtures for the real Pulumi CLI deploying onto moto through the stand-in AWS plugin's moto-backed mode.

Each module has its own moto server, and each test works on a temporary
copy of a program whose stack file gains pulumi-aws's own endpoint config
(``engine_moto.point_at_moto``); the engine's plugins find moto's fake
credentials in the AWS SDK's standard variables. Nothing else is handed to
the engine or its plugins.
"""

from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from envstack_testkit import engine
from envstack_testkit.engine_moto import credentials, point_at_moto
from envstack_testkit.moto_server import MotoEndpoint, moto_server

STATE_BUCKET = "envstack-pulumi-state"
"""Where the run that keeps its state on moto keeps it (``PULUMI_BACKEND_URL=s3://...``)."""


@pytest.fixture(scope="session", autouse=True)
def pinned_engine() -> None:
    """The pinned CLI and the plugin folder must exist: ``make test`` builds them first; never a skip."""
    assert engine.PULUMI.exists(), f"{engine.PULUMI} is missing: run `make engine`"
    assert (engine.PLUGINS / "pulumi-resource-aws").exists(), (
        "the plugin folder is missing: run `make engine`"
    )


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoEndpoint]:
    """moto on a loopback port for one module: its stacks never meet another module's."""
    with moto_server() as endpoint:
        yield endpoint


def s3_backend_url(moto: MotoEndpoint, bucket: str = STATE_BUCKET) -> str:
    """``PULUMI_BACKEND_URL`` of a state bucket on moto (as in ``tests/engine_real/test_s3_backend.py``)."""
    host = moto.url.removeprefix("http://")
    return f"s3://{bucket}?endpoint={host}&region={moto.region}&use_path_style=true&disable_https=true"


def moto_workspace(
    moto: MotoEndpoint,
    source: Path = engine.YAML_EXAMPLE,
    *,
    backend_url: str | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> engine.Workspace:
    """A copy of ``source`` whose plugins find moto's fake credentials, as a user's would find theirs."""
    return engine.Workspace(source, backend_url=backend_url, extra_env={**credentials(), **(extra_env or {})})


def init_on_moto(workspace: engine.Workspace, stack: str, moto: MotoEndpoint) -> None:
    """``pulumi stack init`` and the stack's pulumi-aws config pointed at moto."""
    workspace.init_stack(stack)
    point_at_moto(workspace, stack, moto)
