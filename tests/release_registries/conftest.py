"""One release, one index and one consumer venv per session: these checks are slow.

The release is built once from the checkout by ``make dist`` itself, served
by a real pypiserver on loopback, published with ``make publish-python``, and
installed into one fresh virtualenv that every install check shares. The
dependencies the index must also serve (pulumi, pulumi-aws, ...) are
downloaded from PyPI once, at the pinned versions, into the gitignored
``.cache/release-wheelhouse`` and placed in the index's package directory:
the install step then has the internal index and nothing else, exactly
like a consumer behind a firewall, instead of ``--no-deps`` hiding whether
the published metadata resolves at all.
"""

import fcntl
import os
import secrets
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.release.distributions import Release
from tools.release.versions import REPO_ROOT, read_version

from .isolated_install import (
    create_venv,
    download_wheels,
    link_or_copy,
    offline_environment,
    pip_install,
    wheel_requirements,
)
from .package_index import PackageIndex, serve_index

WHEELHOUSE = REPO_ROOT / ".cache" / "release-wheelhouse"
OWN_PROJECTS = ("envstack-provider", "pulumi-envstack", "envstack-policy")
UPLOADER = "release-bot"
SLOW = pytest.mark.timeout(900)
"""Fixture set-up counts against a test's timeout; a cold wheel cache and a fresh venv take minutes."""


@dataclass(frozen=True)
class Publisher:
    """Credentials the index accepts, kept out of every command line."""

    username: str
    password: str

    def environment(self, **extra: str) -> dict[str, str]:
        """The caller's environment with twine's credential variables set."""
        env = {key: value for key, value in os.environ.items() if not key.startswith("TWINE_")}
        env.update(TWINE_USERNAME=self.username, TWINE_PASSWORD=self.password, **extra)
        return env


def run_make(
    target: str, variables: Mapping[str, str], env: Mapping[str, str]
) -> "subprocess.CompletedProcess[str]":
    """Run a make target of the repository as a user would, output captured.

    ``-o .venv/.installed`` keeps make from reinstalling the shared venv
    mid-test when requirements changed since it was made.
    """
    command = ["make", "--no-print-directory", "-o", ".venv/.installed", target]
    command += [f"{name}={value}" for name, value in variables.items()]
    return subprocess.run(
        command, cwd=REPO_ROOT, env=dict(env), capture_output=True, text=True, check=False, timeout=600
    )


@contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (created if missing) while the block runs."""
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Release:
    """Every artifact of the checked-out version, built once per run by ``make dist`` into a scratch folder.

    Under xdist the workers share the run's temporary root: the first to ask
    builds the release there while the others wait on the lock, then all read
    the same, unchanged files.
    """
    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent
    dist_dir = shared / "release-dist"
    built_marker = shared / "release-dist.built"
    with _exclusive(shared / "release-dist.lock"):
        if not built_marker.exists():
            built = run_make("dist", {"DIST_DIR": str(dist_dir)}, os.environ)
            assert built.returncode == 0, built.stdout + built.stderr
            built_marker.touch()
    return Release.read(dist_dir, read_version())


@pytest.fixture(scope="session")
def wheelhouse(release: Release) -> list[Path]:
    """The dependencies the released wheels declare, as wheels, cached between runs."""
    wheels = [path for path in release.python if path.suffix == ".whl"]
    return download_wheels(wheel_requirements(wheels, OWN_PROJECTS), WHEELHOUSE)


@pytest.fixture(scope="session")
def publisher() -> Publisher:
    """A fresh upload account for this session's indexes."""
    return Publisher(UPLOADER, secrets.token_urlsafe(18))


@pytest.fixture(scope="session")
def index(
    tmp_path_factory: pytest.TempPathFactory, wheelhouse: list[Path], publisher: Publisher
) -> Iterator[PackageIndex]:
    """The session's internal index, already holding the dependencies (not our packages)."""
    packages = tmp_path_factory.mktemp("index-packages")
    link_or_copy(wheelhouse, packages)
    users = {publisher.username: publisher.password}
    with serve_index(packages, users, tmp_path_factory.mktemp("index")) as served:
        yield served


@dataclass(frozen=True)
class Published:
    """The first ``make publish-python`` of the session, and what the index held right after it."""

    result: "subprocess.CompletedProcess[str]"
    files: dict[str, str]


@pytest.fixture(scope="session")
def published(release: Release, index: PackageIndex, publisher: Publisher) -> Published:
    """``make publish-python`` to the session's index with credentials from the environment."""
    dist_dir = release.plugin.parent
    result = run_make(
        "publish-python",
        {"REPOSITORY_URL": index.url + "/", "DIST_DIR": str(dist_dir)},
        publisher.environment(),
    )
    return Published(result, index.files())


@dataclass(frozen=True)
class ConsumerVenv:
    """A fresh virtualenv with the SDK and the provider installed from the index alone."""

    python: Path
    pip_output: str


@pytest.fixture(scope="session")
def consumer(
    tmp_path_factory: pytest.TempPathFactory, index: PackageIndex, published: Published
) -> ConsumerVenv:
    """A new venv, then ``pip install --index-url <index>/simple/`` of the SDK, provider and policy pack."""
    assert published.result.returncode == 0, published.result.stdout + published.result.stderr
    python = create_venv(tmp_path_factory.mktemp("consumer") / "venv")
    output = pip_install(
        python,
        index.simple_url,
        ["pulumi-envstack", "envstack-provider", "envstack-policy"],
        offline_environment(),
    )
    return ConsumerVenv(python, output)
