"""A real npm registry on loopback: verdaccio, installed by ``make verdaccio`` from tools/verdaccio.

The release tests publish the TypeScript SDK to it with ``make publish-npm``
and install it back from it, as a team does with its internal registry. It
listens on 127.0.0.1 on a free port, keeps its storage in the test's folder,
has no uplink (a name it was not given is a 404, never a fetch from the
public registry), lets anyone read and only a user of its htpasswd file
publish, and logs every request, which is how a test proves where a
consumer's copy came from.
"""

import base64
import json
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from envstack_testkit import processes
from tools.release.versions import REPO_ROOT

from .package_index import free_port, write_htpasswd

VERDACCIO = REPO_ROOT / "tools" / "verdaccio" / "node_modules" / ".bin" / "verdaccio"
STARTUP_TIMEOUT_SECONDS = 60.0
CONFIG = """\
storage: {storage}
auth:
  htpasswd:
    file: {htpasswd}
    max_users: -1
uplinks: {{}}
packages:
  "@envstack/*":
    access: $all
    publish: $authenticated
  "**":
    access: $all
    publish: $authenticated
listen: 127.0.0.1:{port}
log:
  type: stdout
  format: pretty
  level: http
"""


class RegistryStartError(RuntimeError):
    """verdaccio is not installed, exited, or never answered."""


@dataclass(frozen=True)
class NpmRegistry:
    """A running verdaccio: its URL and its request log."""

    url: str
    log_path: Path

    def log(self) -> str:
        """Every request the registry logged so far."""
        return self.log_path.read_text(errors="replace")

    def token(self, user: str, password: str) -> str:
        """Log in as ``npm login`` does (PUT ``/-/user/org.couchdb.user:<user>``) and return the token.

        verdaccio logs an existing user in only when the request's Basic
        credentials name that user; otherwise it tries to register one.
        """
        body = json.dumps({"name": user, "password": password}).encode()
        basic = base64.b64encode(f"{user}:{password}".encode()).decode()
        request = urllib.request.Request(
            f"{self.url}/-/user/org.couchdb.user:{user}",
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Basic {basic}"},
            method="PUT",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer: dict[str, str] = json.loads(response.read())
        return answer["token"]

    def packument(self, name: str) -> dict[str, object]:
        """The registry's document for ``name`` (versions, dist-tags), as npm fetches it."""
        with urllib.request.urlopen(f"{self.url}/{name.replace('/', '%2f')}", timeout=30) as response:
            document: dict[str, object] = json.loads(response.read())
        return document


def _wait_ready(url: str, process: "subprocess.Popen[bytes]", log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RegistryStartError(f"verdaccio exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url + "/-/ping", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RegistryStartError(
        f"verdaccio did not answer in {STARTUP_TIMEOUT_SECONDS:.0f}s:\n{log_path.read_text()}"
    )


@contextmanager
def serve_registry(state_dir: Path, users: dict[str, str]) -> Iterator[NpmRegistry]:
    """Run verdaccio with its storage and config in ``state_dir`` until the block ends."""
    if not VERDACCIO.is_file():
        raise RegistryStartError(f"{VERDACCIO} is missing; run `make verdaccio`")
    state_dir.mkdir(parents=True, exist_ok=True)
    htpasswd = state_dir / "htpasswd"
    write_htpasswd(htpasswd, users)
    port = free_port()
    config = state_dir / "config.yaml"
    config.write_text(CONFIG.format(storage=state_dir / "storage", htpasswd=htpasswd, port=port))
    log_path = state_dir / "verdaccio.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(VERDACCIO), "--config", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process, log_path)
        yield NpmRegistry(url=url, log_path=log_path)
    finally:
        processes.stop(process)
