"""The Java SDK from the internal Maven repository alone: a fresh consumer, deployed by the engine.

A new Maven local repository: Maven's own record of where each file came
from (``_remote.repositories``) names the internal repository for the SDK's
jar and POM. Each language is a module of its own, with its own registry, so
xdist runs them side by side; what they share, and how a consumer runs under
the engine, is in ``consumers.py``.
"""

import os
from pathlib import Path

import pytest

from tools.release.versions import read_version

from .conftest import SLOW, run_make
from .consumers import (
    JAVA_REPOSITORY_ID,
    assert_deploys_the_stack,
    java_consumer,
    java_program,
    maven_build,
    run_under_engine,
)

pytestmark = SLOW


# --- Java -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def maven_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ``file://`` Maven repository holding the SDK, deployed by ``make publish-maven``."""
    folder = tmp_path_factory.mktemp("maven") / "releases"
    published = run_make("publish-maven", {"MAVEN_REPOSITORY_URL": folder.as_uri()}, os.environ)
    assert published.returncode == 0, published.stdout + published.stderr
    return folder


def test_java_consumer_resolves_the_sdk_from_the_internal_repository_into_a_new_local_repository_and_deploys(
    maven_repository: Path, tmp_path: Path
) -> None:
    version = read_version()
    local = tmp_path / "m2"
    consumer = java_consumer(tmp_path / "consumer", version, maven_repository.as_uri(), local)

    classpath = maven_build(consumer)

    resolved = local / "com" / "envstack" / "envstack" / version
    origins = (resolved / "_remote.repositories").read_text()
    assert f"envstack-{version}.jar>{JAVA_REPOSITORY_ID}=" in origins, origins
    assert f"envstack-{version}.pom>{JAVA_REPOSITORY_ID}=" in origins, origins
    deployed = maven_repository / "com" / "envstack" / "envstack" / version / f"envstack-{version}.jar"
    assert (resolved / deployed.name).read_bytes() == deployed.read_bytes()
    assert str(resolved / deployed.name) in classpath
    assert_deploys_the_stack(run_under_engine("java", java_program(consumer, classpath)), "java")
