"""Fixtures for upgrades under the real engine: the pinned CLI, and the release the code upgrades from."""

import pytest

from envstack_testkit import engine
from envstack_testkit.upgrade import RELEASES
from tools.release.schema_compat import last_release
from tools.release.versions import read_version


@pytest.fixture(scope="session", autouse=True)
def pinned_engine() -> None:
    """The pinned CLI and the plugin folder must exist: ``make test`` builds them first; never a skip."""
    assert engine.PULUMI.exists(), f"{engine.PULUMI} is missing: run `make engine`"
    assert (engine.PLUGINS / "pulumi-resource-aws").exists(), (
        "the plugin folder is missing: run `make engine`"
    )


@pytest.fixture(scope="session")
def previous_release() -> str:
    """The newest release under releases/ older than VERSION: the one a user upgrades from."""
    return last_release(RELEASES.parent, read_version())
