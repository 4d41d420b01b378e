"""Each SDK installed into a fresh consumer project from its internal registry alone, then run.

Each language is a module of its own (``test_consumer_<language>.py``)
with its own registry, published to by its own ``make publish-<kind>``, so
xdist runs them side by side. The helpers are in ``consumers.py``. What "from the registry
alone" means, per language, and how each test proves it:

- TypeScript: a new npm cache (a copy of the machine's, which the examples
  filled with the public packages, and which provably lacks the SDK's
  tarball), a scoped ``.npmrc`` sending ``@envstack`` to verdaccio, and
  verdaccio's log showing the packument and the tarball served.
- Go: a new ``GOMODCACHE``, ``GOPROXY`` with the internal proxy first, no
  ``replace``; the proxy's log shows the zip fetched, and the go.sum line
  the consumer recorded is the hash ``make publish-go`` printed. A zip
  swapped on the proxy afterwards is refused by that go.sum.
- Java: a new Maven local repository; Maven's own record of where each
  file came from (``_remote.repositories``) names the internal repository
  for the SDK's jar and POM.

Each consumer's own program then runs under the real engine through its
language's Automation API driver: its dev stack is previewed with the pack,
deployed, read back and destroyed, and the component in the state must have
the stack file's inputs (``consumers.assert_deploys_the_stack``).
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
