"""Install from one index only, in a fresh virtualenv, as a consumer on a closed network would.

A consumer behind a firewall has the internal index and nothing else. To
prove a release installs there, pip must be unable to reach any other
host: its configuration files are ignored, every ``PIP_*`` variable is
dropped, and all HTTP(S) traffic except to loopback goes through a proxy
address where nothing listens. Had pip (or a fallback redirect from the
index) tried PyPI, the install would fail rather than quietly succeed.

The index must then serve the dependencies too. ``download_wheels`` fetches
them once from PyPI, at the versions ``requirements/dev.txt`` pins (the ones
every other test runs with), into a cache that later runs reuse.
"""

import email.parser
import ensurepip
import hashlib
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tools.release.versions import REPO_ROOT

from .package_index import free_port

CONSTRAINTS = REPO_ROOT / "requirements" / "dev.txt"
LOOPBACK = "127.0.0.1,localhost,::1"


class InstallError(RuntimeError):
    """pip or venv failed; carries what they printed."""


def offline_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment where pip reads no config and reaches nothing but loopback."""
    source = os.environ if base is None else base
    env = {key: value for key, value in source.items() if not key.upper().startswith(("PIP_", "PYTHON"))}
    dead_proxy = f"http://127.0.0.1:{free_port()}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env[name] = env[name.lower()] = dead_proxy
    env["NO_PROXY"] = env["no_proxy"] = LOOPBACK
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INPUT"] = "1"
    env.pop("VIRTUAL_ENV", None)
    return env


def _run(command: Sequence[str], env: Mapping[str, str] | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run(
        list(command),
        env=None if env is None else dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise InstallError(
            f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout + result.stderr


def _bundled_wheels() -> list[Path]:
    """The pip (and, before Python 3.12, setuptools) wheels ``python -m venv`` installs into a new venv.

    Empty where this Python ships without them (some distributions put them elsewhere).
    """
    bundled = Path(ensurepip.__file__).parent / "_bundled"
    return sorted(bundled.glob("*.whl")) if bundled.is_dir() else []


def create_venv(path: Path) -> Path:
    """A new virtualenv with its own pip, the one ``python -m venv`` gives it; returns its Python.

    ``python -m venv`` installs ensurepip's bundled pip (and setuptools)
    and byte-compiles every module of them: five seconds of CPU per venv,
    for files no test reads. Here the venv is made without pip, and the test
    run's own pip installs the same bundled wheels into it with
    ``--no-compile``: the venv ends with the same packages at the same
    versions, and Python compiles what it imports on first use.
    """
    wheels = _bundled_wheels()
    _run([sys.executable, "-m", "venv", *(["--without-pip"] if wheels else []), str(path)])
    python = path / "bin" / "python"
    if wheels:
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "--python",
                str(python),
                "install",
                "--no-index",
                "--find-links",
                str(wheels[0].parent),
                "--no-cache-dir",
                "--no-compile",
                "--disable-pip-version-check",
                # By name, as ensurepip asks for them (a path would be recorded as a direct URL).
                *(wheel.name.split("-")[0] for wheel in wheels),
            ],
            offline_environment(),
        )
    return python


def pip_install(python: Path, index_url: str, arguments: Sequence[str], env: Mapping[str, str]) -> str:
    """``pip install --index-url INDEX ARGUMENTS`` with ``python``'s pip; returns pip's output.

    ``--no-compile`` skips byte-compiling pulumi_aws's thousands of modules,
    which is most of an install's time and changes nothing a test observes.
    """
    command = [
        str(python),
        "-m",
        "pip",
        "install",
        "--index-url",
        index_url,
        "--no-cache-dir",
        "--no-compile",
        "--retries",
        "0",
        "--timeout",
        "30",
        *arguments,
    ]
    return _run(command, env)


def wheel_requirements(wheels: Iterable[Path], exclude: Iterable[str]) -> list[str]:
    """Every ``Requires-Dist`` of the wheels, minus the excluded projects and extras-only ones."""
    skip = {canonicalize_name(name) for name in exclude}
    found: set[str] = set()
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            metadata = email.parser.Parser().parsestr(archive.read(name).decode())
        for line in metadata.get_all("Requires-Dist") or []:
            requirement = Requirement(line)
            if canonicalize_name(requirement.name) in skip:
                continue
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            found.add(str(requirement))
    return sorted(found)


def download_wheels(requirements: Sequence[str], cache_dir: Path) -> list[Path]:
    """Wheels for ``requirements`` and their dependencies, pinned by ``requirements/dev.txt``.

    The download runs only when the requirement list or the pins changed
    since the last run; the key of what the cache holds is written beside it.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    key_text = "\n".join(requirements) + "\n" + CONSTRAINTS.read_text(encoding="utf-8")
    key = hashlib.sha256(key_text.encode()).hexdigest()
    stamp = cache_dir / "downloaded.sha256"
    if not stamp.is_file() or stamp.read_text(encoding="utf-8").strip() != key:
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--disable-pip-version-check",
                "--only-binary",
                ":all:",
                "--dest",
                str(cache_dir),
                "--constraint",
                str(CONSTRAINTS),
                *requirements,
            ]
        )
        stamp.write_text(key + "\n", encoding="utf-8")
    return sorted(cache_dir.glob("*.whl"))


def link_or_copy(files: Iterable[Path], directory: Path) -> None:
    """Place ``files`` in ``directory``, hard-linked when the file system allows it."""
    directory.mkdir(parents=True, exist_ok=True)
    for path in files:
        target = directory / path.name
        if target.exists():
            continue
        try:
            os.link(path, target)
        except OSError:
            target.write_bytes(path.read_bytes())
