"""Publish the TypeScript SDK's tarball to an npm registry with ``npm publish``.

``make publish-npm NPM_REGISTRY_URL=...`` runs this. npm reads the registry
of a scoped package from a ``@scope:registry`` line, so the publish runs
with a ``.npmrc`` of its own, written into a scratch folder, that names the
internal registry for ``@envstack`` only and takes the token from the
environment by reference (``${NPM_TOKEN}``, which npm expands when it reads
the file): the token is never written to disk, never on a command line, and
nothing but ``@envstack`` is sent to the internal registry. A registry
refuses a version it already holds (npm's ``E403``/``EPUBLISHCONFLICT``,
"cannot publish over the previously published versions"); that refusal is
passed through unchanged.
"""

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from .publishing import PublishError, mask

SCOPE = "@envstack"
PACKAGE = f"{SCOPE}/pulumi-envstack"
TOKEN_VARIABLE = "NPM_TOKEN"


def tarball_name(version: str) -> str:
    """The file ``npm pack`` writes for the SDK: ``envstack-pulumi-envstack-<version>.tgz``."""
    return f"envstack-pulumi-envstack-{version}.tgz"


def registry_key(registry_url: str) -> str:
    """The ``//host[:port]/path/`` prefix npm matches a credential line against."""
    parts = urlsplit(registry_url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"//{parts.netloc}{path}"


def check_registry_url(registry_url: str) -> str:
    """The URL with a trailing slash, if it is http(s) without credentials; else ``PublishError``."""
    if not registry_url:
        raise PublishError("set NPM_REGISTRY_URL to the npm registry, e.g. https://npm.internal.example/")
    parts = urlsplit(registry_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublishError(f"NPM_REGISTRY_URL must be an http:// or https:// URL, not {registry_url!r}")
    if parts.username is not None or parts.password is not None:
        raise PublishError(f"NPM_REGISTRY_URL must not carry credentials; set {TOKEN_VARIABLE} instead")
    return registry_url if registry_url.endswith("/") else registry_url + "/"


def scoped_npmrc(registry_url: str) -> str:
    """The publish's ``.npmrc``: ``@envstack`` on the registry, its token read from the environment."""
    url = check_registry_url(registry_url)
    return f"{SCOPE}:registry={url}\n{registry_key(url)}:_authToken=${{{TOKEN_VARIABLE}}}\n"


def publish_npm(
    registry_url: str, dist_dir: Path, version: str, environ: Mapping[str, str] | None = None
) -> int:
    """``npm publish`` the SDK tarball of ``version`` from ``dist_dir``; return npm's exit code."""
    env = dict(os.environ if environ is None else environ)
    npmrc = scoped_npmrc(registry_url)
    token = env.get(TOKEN_VARIABLE, "")
    if not token:
        raise PublishError(f"set {TOKEN_VARIABLE} to a token the registry accepts for publishing {PACKAGE}")
    tarball = dist_dir / tarball_name(version)
    if not tarball.is_file():
        raise PublishError(f"{dist_dir} holds no {tarball.name}; run `make dist` first")
    with tempfile.TemporaryDirectory(prefix="envstack-npm-publish-") as scratch:
        userconfig = Path(scratch) / ".npmrc"
        userconfig.write_text(npmrc, encoding="utf-8")
        env.update(NPM_CONFIG_USERCONFIG=str(userconfig), NPM_CONFIG_UPDATE_NOTIFIER="false")
        # Any registry set by the caller's environment would win over the scope line.
        env.pop("NPM_CONFIG_REGISTRY", None)
        env.pop("npm_config_registry", None)
        result = subprocess.run(
            ["npm", "publish", str(tarball.resolve()), "--ignore-scripts"],
            cwd=scratch,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
    sys.stdout.write(mask(result.stdout, [token]))
    sys.stderr.write(mask(result.stderr, [token]))
    return result.returncode
