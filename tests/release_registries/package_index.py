"""A real package index on loopback: pypiserver with an htpasswd file.

The release tests publish to and install from this index exactly as a team
does with its internal one, so what they prove is twine's upload protocol,
the server's refusals and pip's resolution, not a stand-in. It listens on
127.0.0.1 only, on a free port, never falls back to PyPI for a name it does
not hold (``--disable-fallback``), and asks for a password on upload.
"""

import hashlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from envstack_testkit import processes

with warnings.catch_warnings():
    # passlib imports the standard library's crypt module, deprecated since Python 3.11.
    warnings.simplefilter("ignore", DeprecationWarning)
    from passlib.apache import HtpasswdFile  # type: ignore[import-untyped]

STARTUP_TIMEOUT_SECONDS = 30.0
HEALTH_PATH = "/health"


class IndexStartError(RuntimeError):
    """pypiserver exited or never answered its health check."""


@dataclass(frozen=True)
class PackageIndex:
    """A running index: where to upload, where pip looks, and the files it serves."""

    url: str
    directory: Path
    log_path: Path

    @property
    def simple_url(self) -> str:
        """The PEP 503 page pip's ``--index-url`` points at."""
        return f"{self.url}/simple/"

    def files(self) -> dict[str, str]:
        """Every file the index holds, by name, with its sha256."""
        return {
            path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(self.directory.iterdir())
            if path.is_file()
        }

    def log(self) -> str:
        """What the server logged so far (one line per request)."""
        return self.log_path.read_text(errors="replace")


def free_port() -> int:
    """A port nothing listens on right now, on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_htpasswd(path: Path, users: Mapping[str, str]) -> None:
    """An Apache htpasswd file with apr1 (MD5-crypt) hashes, as ``htpasswd -m`` writes."""
    passwords = HtpasswdFile(str(path), new=True, default_scheme="apr_md5_crypt")
    for user, password in users.items():
        passwords.set_password(user, password)
    passwords.save()


def _wait_healthy(url: str, process: "subprocess.Popen[bytes]", log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise IndexStartError(f"pypiserver exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url + HEALTH_PATH, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise IndexStartError(
        f"pypiserver did not answer in {STARTUP_TIMEOUT_SECONDS:.0f}s:\n{log_path.read_text()}"
    )


@contextmanager
def serve_index(directory: Path, users: Mapping[str, str], state_dir: Path) -> Iterator[PackageIndex]:
    """Run pypiserver over ``directory`` until the block ends; uploads need one of ``users``."""
    directory.mkdir(parents=True, exist_ok=True)
    state_dir.mkdir(parents=True, exist_ok=True)
    htpasswd = state_dir / "htpasswd"
    write_htpasswd(htpasswd, users)
    log_path = state_dir / "pypiserver.log"
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "pypiserver",
        "run",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--passwords",
        str(htpasswd),
        "--authenticate",
        "update",
        "--disable-fallback",
        "--hash-algo",
        "sha256",
        "--backend",
        "simple-dir",
        str(directory),
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log_path)
        yield PackageIndex(url=url, directory=directory, log_path=log_path)
    finally:
        processes.stop(process)
