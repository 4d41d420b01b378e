"""Each SDK installed into a fresh consumer project from its internal registry alone, then run.

One module per session of registries would serialise the languages; each
language has its own module-scoped registry here, published to by its own
``make publish-<kind>``, so xdist spreads them. What "from the registry
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

Each consumer then runs under its language's mocks for every stack and must
register the one remote EnvironmentStack its stack file describes.
"""

import base64
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from envstack_provider.component import TYPE_TOKEN
from tests.examples_mocks.stack_configs import STACKS, stack_config
from tools.release.distributions import Release
from tools.release.npm_registry import tarball_name
from tools.release.versions import REPO_ROOT, read_version

from .conftest import SLOW, Publisher, run_make
from .consumers import (
    GO_MODULE,
    JAVA_REPOSITORY_ID,
    go_consumer,
    go_env,
    go_public_proxies,
    java_consumer,
    maven_build,
    npm_cache,
    npm_install,
    run,
    run_go,
    run_java,
    run_typescript,
    sri_path,
    typescript_consumer,
)
from .go_proxy_server import GoProxy, serve_proxy
from .npm_registry import NpmRegistry, serve_registry

pytestmark = SLOW


def _assert_registers_the_stack(document: dict[str, object], language: str, stack: str) -> None:
    registrations = document["registrations"]
    assert isinstance(registrations, list)
    components = [r for r in registrations if r["type"] == TYPE_TOKEN]
    assert len(components) == 1, registrations
    assert components[0]["remote"] is True
    inputs = {key: int(v) if isinstance(v, float) else v for key, v in components[0]["inputs"].items()}
    assert inputs == stack_config(language, stack).expected_inputs()
    assert document["exports"]


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


def test_typescript_consumer_installs_the_sdk_from_the_registry_alone_and_runs(
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
    for stack in STACKS:
        config = stack_config("typescript", stack)
        _assert_registers_the_stack(
            run_typescript(consumer, stack, config.pulumi_config()), "typescript", stack
        )


# --- Go -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def go_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GoProxy, str]]:
    """The internal Go proxy holding the SDK module, and the go.sum lines ``make publish-go`` printed."""
    folder = tmp_path_factory.mktemp("goproxy")
    published = run_make("publish-go", {"GOPROXY_DIR": str(folder)}, os.environ)
    assert published.returncode == 0, published.stdout + published.stderr
    with serve_proxy(folder) as proxy:
        yield proxy, published.stdout


def test_go_consumer_fetches_the_module_from_the_proxy_with_its_published_hash_and_runs(
    go_proxy: tuple[GoProxy, str], tmp_path: Path
) -> None:
    proxy, sums = go_proxy
    version = f"v{read_version()}"
    consumer = go_consumer(tmp_path / "consumer", read_version())
    env = go_env(tmp_path / "gomodcache", f"{proxy.url},{go_public_proxies()}")

    run(["go", "mod", "download", GO_MODULE], consumer, env)

    zip_path = f"/{GO_MODULE}/@v/{version}.zip"
    assert (zip_path, 200) in proxy.requests, proxy.requests
    recorded = {line for line in (consumer / "go.sum").read_text().splitlines() if line.startswith(GO_MODULE)}
    printed = {line for line in sums.splitlines() if line.startswith(GO_MODULE)}
    assert recorded == printed and len(printed) == 2, (recorded, printed)
    run_go(consumer, env, tmp_path / "records")
    for stack in STACKS:
        document = json.loads((tmp_path / "records" / f"{stack}.json").read_text())
        _assert_registers_the_stack(document, "go", stack)


def test_a_module_zip_swapped_on_the_proxy_is_refused_by_the_consumers_go_sum(
    go_proxy: tuple[GoProxy, str], tmp_path: Path
) -> None:
    proxy, _ = go_proxy
    version = read_version()
    consumer = go_consumer(tmp_path / "consumer", version)
    env = go_env(tmp_path / "gomodcache", f"{proxy.url},{go_public_proxies()}")
    run(["go", "mod", "download", GO_MODULE], consumer, env)
    tampered_sdk = tmp_path / "sdk-go"
    shutil.copytree(REPO_ROOT / "sdk" / "go", tampered_sdk)
    (tampered_sdk / "envstack" / "doc.go").write_text("// Package envstack, altered.\npackage envstack\n")
    other = tmp_path / "other-proxy"
    tool = REPO_ROOT / "build" / "bin" / "goproxy"
    run(
        [str(tool), "-module", str(tampered_sdk), "-version", f"v{version}", "-out", str(other)],
        tmp_path,
        env,
    )
    served = proxy.directory / GO_MODULE / "@v" / f"v{version}.zip"
    original = served.read_bytes()
    try:
        shutil.copyfile(other / GO_MODULE / "@v" / f"v{version}.zip", served)
        fresh = go_env(tmp_path / "gomodcache-2", f"{proxy.url},{go_public_proxies()}")
        fresh["GOFLAGS"] = "-mod=readonly"
        result = subprocess.run(
            ["go", "mod", "download", GO_MODULE],
            cwd=consumer,
            env=fresh,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
    finally:
        served.write_bytes(original)
    assert result.returncode != 0, result.stdout
    assert "checksum mismatch" in result.stderr and "SECURITY ERROR" in result.stderr, result.stderr


# --- Java -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def maven_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ``file://`` Maven repository holding the SDK, deployed by ``make publish-maven``."""
    folder = tmp_path_factory.mktemp("maven") / "releases"
    published = run_make("publish-maven", {"MAVEN_REPOSITORY_URL": folder.as_uri()}, os.environ)
    assert published.returncode == 0, published.stdout + published.stderr
    return folder


def test_java_consumer_resolves_the_sdk_from_the_internal_repository_into_a_new_local_repository_and_runs(
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
    for stack in STACKS:
        config = stack_config("java", stack)
        _assert_registers_the_stack(
            run_java(consumer, classpath, stack, config.pulumi_config()), "java", stack
        )
