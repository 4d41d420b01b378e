"""The Go SDK from the internal module proxy alone: a fresh consumer, deployed by the engine.

A new ``GOMODCACHE``, ``GOPROXY`` with the internal proxy first, no
``replace``: the proxy's log shows the zip fetched, and the go.sum line the
consumer recorded is the hash ``make publish-go`` printed; a zip swapped on
the proxy afterwards is refused by that go.sum. Each language is a module of
its own, with its own registry, so xdist runs them side by side; what they
share, and how a consumer runs under the engine, is in ``consumers.py``.
"""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.release.versions import REPO_ROOT, read_version

from .conftest import SLOW, run_make
from .consumers import (
    GO_MODULE,
    assert_deploys_the_stack,
    go_consumer,
    go_env,
    go_program,
    go_public_proxies,
    run,
    run_under_engine,
)
from .go_proxy_server import GoProxy, serve_proxy

pytestmark = SLOW


# --- Go -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def go_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GoProxy, str]]:
    """The internal Go proxy holding the SDK module, and the go.sum lines ``make publish-go`` printed."""
    folder = tmp_path_factory.mktemp("goproxy")
    published = run_make("publish-go", {"GOPROXY_DIR": str(folder)}, os.environ)
    assert published.returncode == 0, published.stdout + published.stderr
    with serve_proxy(folder) as proxy:
        yield proxy, published.stdout


def test_go_consumer_fetches_the_module_from_the_proxy_with_its_published_hash_and_deploys(
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
    assert_deploys_the_stack(run_under_engine("go", go_program(consumer, env)), "go")


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
