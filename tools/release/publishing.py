"""Upload the Python distributions with twine, never showing a credential.

``make publish REPOSITORY_URL=...`` runs this. Credentials come from the
environment (``TWINE_USERNAME``/``TWINE_PASSWORD``, as CI sets them) or from
the ``~/.pypirc`` section whose ``repository`` is that URL, as a developer
keeps them. Twine's own ``--repository-url`` ignores ``~/.pypirc`` entirely,
so the matching section is passed to twine by name; either way the password
travels only in the environment or the file, never on a command line that
``make`` or ``ps`` would show. Twine's output is passed through with every
known secret masked, in case a server echoes one back, and a URL with
credentials inside it is refused before anything is printed.
"""

import configparser
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

MASK = "********"
MIN_MASKED_USERNAME = 4
PYTHON_SUFFIXES = (".whl", ".tar.gz")


class PublishError(RuntimeError):
    """Publishing cannot start: no URL, a URL with credentials in it, or nothing to upload."""


@dataclass(frozen=True)
class Upload:
    """How twine will be called and which secrets its output must not show."""

    arguments: tuple[str, ...]
    environment: Mapping[str, str]
    secrets: tuple[str, ...]


def normalize_url(url: str) -> str:
    """A repository URL compared without a trailing slash or case in scheme and host."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def distribution_version(path: Path) -> str:
    """The version in a wheel's or sdist's name: ``x-1.2.0-py3-none-any.whl``, ``x-1.2.0.tar.gz``."""
    stem = path.name.removesuffix(".tar.gz").removesuffix(".whl")
    return stem.split("-")[1] if "-" in stem else ""


def python_distributions(dist_dir: Path, version: str | None = None) -> list[Path]:
    """The wheels and sdists in ``dist_dir``; the npm and plugin tarballs go elsewhere.

    With ``version``, a file of any other version is refused: a ``dist/``
    built before the last ``make version`` must not reach the index.
    """
    if not dist_dir.is_dir():
        raise PublishError(f"{dist_dir} does not exist; run `make dist` first")
    found = sorted(
        path
        for path in dist_dir.iterdir()
        if path.is_file()
        and path.name.endswith(PYTHON_SUFFIXES)
        and not path.name.startswith("pulumi-resource-")
    )
    if not found:
        raise PublishError(f"no wheels or sdists in {dist_dir}; run `make dist` first")
    strays = [path.name for path in found if version is not None and distribution_version(path) != version]
    if strays:
        raise PublishError(f"{dist_dir} holds files of another version than {version}: {', '.join(strays)}")
    return found


def pypirc_section(repository_url: str, pypirc: Path) -> tuple[str, configparser.SectionProxy] | None:
    """The ``~/.pypirc`` section whose ``repository`` is ``repository_url``, if any."""
    if not pypirc.is_file():
        return None
    parser = configparser.RawConfigParser()
    try:
        parser.read(pypirc, encoding="utf-8")
    except configparser.Error:
        # The parser's message quotes the offending line, which may hold a password.
        raise PublishError(f"{pypirc} is malformed") from None
    wanted = normalize_url(repository_url)
    for name in parser.sections():
        section = parser[name]
        if normalize_url(section.get("repository", "")) == wanted:
            return name, section
    return None


def plan_upload(
    repository_url: str, files: Sequence[Path], environ: Mapping[str, str], pypirc: Path
) -> Upload:
    """Decide twine's arguments and environment, and collect the secrets to mask."""
    if not repository_url:
        raise PublishError(
            "set REPOSITORY_URL to the index's upload URL, e.g. https://pypi.internal.example/"
        )
    parts = urlsplit(repository_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublishError("REPOSITORY_URL must be an http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        raise PublishError(
            "REPOSITORY_URL must not carry credentials; set TWINE_USERNAME and TWINE_PASSWORD "
            "or a ~/.pypirc section instead"
        )
    environment = {key: value for key, value in environ.items() if not key.startswith("TWINE_REPOSITORY")}
    common = ("upload", "--non-interactive", "--disable-progress-bar")
    passwords = [environ.get("TWINE_PASSWORD", "")]
    usernames = [environ.get("TWINE_USERNAME", "")]
    section = None if environ.get("TWINE_PASSWORD") else pypirc_section(repository_url, pypirc)
    if section is not None:
        section_name, values = section
        passwords.append(values.get("password", ""))
        usernames.append(values.get("username", ""))
        target: tuple[str, ...] = ("--config-file", str(pypirc), "--repository", section_name)
    else:
        target = ("--repository-url", repository_url)
    # A username of a few letters cannot be masked without mangling every word that contains it.
    secrets = [*filter(None, passwords), *(user for user in usernames if len(user) >= MIN_MASKED_USERNAME)]
    return Upload((*common, *target, *(str(path) for path in files)), environment, tuple(secrets))


def mask(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every secret replaced, longest first so no fragment of one survives."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def publish(
    repository_url: str,
    dist_dir: Path,
    environ: Mapping[str, str] | None = None,
    pypirc: Path | None = None,
    version: str | None = None,
) -> int:
    """Upload the Python distributions in ``dist_dir`` (all of ``version``); return twine's exit code."""
    env = dict(os.environ if environ is None else environ)
    config = pypirc or Path(env.get("HOME", str(Path.home()))) / ".pypirc"
    upload = plan_upload(repository_url, python_distributions(dist_dir, version), env, config)
    result = subprocess.run(
        [sys.executable, "-m", "twine", *upload.arguments],
        env=dict(upload.environment),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    sys.stdout.write(mask(result.stdout, upload.secrets))
    sys.stderr.write(mask(result.stderr, upload.secrets))
    return result.returncode
