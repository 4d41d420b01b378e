"""The TypeScript SDK from the internal npm registry alone: a fresh consumer, deployed by the engine.

A new npm cache (a copy of the machine's, which the examples filled with the
public packages, and which provably lacks the SDK's tarball), a scoped
``.npmrc`` sending ``@envstack`` to verdaccio, and verdaccio's log showing
the packument and the tarball served. Each language is a module of its own,
with its own registry, so xdist runs them side by side; what they share, and
how a consumer runs under the engine, is in ``consumers.py``.
"""

import base64
import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.release.distributions import Release
from tools.release.npm_registry import tarball_name
from tools.release.versions import read_version

from .conftest import SLOW, Publisher, run_make
from .consumers import (
    assert_deploys_the_stack,
    compile_typescript,
    npm_cache,
    npm_install,
    run_under_engine,
    sri_path,
    typescript_consumer,
    typescript_program,
)
from .npm_registry import NpmRegistry, serve_registry

pytestmark = SLOW


# --- TypeScript -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def npm_registry(
    tmp_path_factory: pytest.TempPathFactory, publisher: Publisher, release: Release
) -> Iterator[NpmRegistry]:
    """verdaccio holding the SDK, published by ``make publish-npm``."""
    with serve_registry(tmp_path_factory.mktemp("npm"), {publisher.username: publisher.password}) as registry:
        env = publisher.environment(NPM_TOKEN=registry.token(publisher.username, publisher.password))
        variables = {"NPM_REGISTRY_URL": registry.url + "/", "DIST_DIR": str(release.plugin.parent)}
        published = run_make("publish-npm", variables, env)
        assert published.returncode == 0, published.stdout + published.stderr
        yield registry


def test_typescript_consumer_installs_the_sdk_from_the_registry_alone_and_deploys(
    npm_registry: NpmRegistry, release: Release, tmp_path: Path
) -> None:
    version = read_version()
    cache = tmp_path / "npm-cache"
    machine_cache = npm_cache() / "_cacache"
    if machine_cache.is_dir():
        shutil.copytree(machine_cache, cache / "_cacache")
    tarball = release.plugin.parent / tarball_name(version)
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    sri_path(cache, integrity).unlink(missing_ok=True)
    consumer = typescript_consumer(tmp_path / "consumer", version, npm_registry.url)

    npm_install(consumer, cache)

    installed = consumer / "node_modules" / "@envstack" / "pulumi-envstack"
    assert not installed.is_symlink()
    assert (installed / "package.json").is_file()
    assert f'"version": "{version}"' in (installed / "package.json").read_text()
    log = npm_registry.log()
    assert "GET /@envstack%2fpulumi-envstack" in log or "GET /@envstack/pulumi-envstack" in log, log
    assert f"/-/pulumi-envstack-{version}.tgz" in log, log
    assert sri_path(cache, integrity).is_file(), "npm did not cache the tarball it fetched"
    locked = json.loads((consumer / "package-lock.json").read_text())["packages"]
    entry = locked["node_modules/@envstack/pulumi-envstack"]
    assert (
        entry["resolved"] == f"{npm_registry.url}/@envstack/pulumi-envstack/-/pulumi-envstack-{version}.tgz"
    )
    assert entry["integrity"] == integrity
    compile_typescript(consumer)
    assert_deploys_the_stack(run_under_engine("typescript", typescript_program(consumer)), "typescript")
