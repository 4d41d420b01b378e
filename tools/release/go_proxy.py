"""Publish the Go SDK's module into a folder served as a Go module proxy (``GOPROXY``).

``make publish-go GOPROXY_DIR=...`` runs this. A Go module proxy is a tree of
static files (``<module>/@v/list``, ``<version>.info``, ``.mod``, ``.zip``), so
any web server or bucket that serves the folder is a proxy the go command
reads, and ``file://`` works as well. ``tools/goproxy`` (Go, built by ``make
goproxy``) writes the version with ``golang.org/x/mod/zip``, the go command's
own module-zip code, refuses a version the folder already holds (a module
version is immutable: every consumer's go.sum has recorded its hash), and
prints the go.sum lines consumers will record.
"""

import subprocess
from pathlib import Path

from .publishing import PublishError

GO_MODULE = Path("sdk/go")
GOPROXY_TOOL = Path("build/bin/goproxy")


def module_version(version: str) -> str:
    """The Go spelling of a release: ``v`` and then ``MAJOR.MINOR.PATCH``."""
    return f"v{version}"


def publish_go(proxy_dir: str, root: Path, version: str) -> int:
    """Write ``sdk/go`` at ``version`` into ``proxy_dir``; return the tool's exit code."""
    if not proxy_dir:
        raise PublishError("set GOPROXY_DIR to the folder the internal Go module proxy serves")
    major = int(version.split(".", maxsplit=1)[0])
    if major >= 2:
        raise PublishError(f"version {version}: a Go module at v2 or later needs a /v{major} module path")
    tool = root / GOPROXY_TOOL
    if not tool.is_file():
        raise PublishError(f"{GOPROXY_TOOL} is missing; run `make goproxy` first")
    command = [
        str(tool),
        "-module",
        str(root / GO_MODULE),
        "-version",
        module_version(version),
        "-out",
        proxy_dir,
    ]
    return subprocess.run(command, stdin=subprocess.DEVNULL, check=False).returncode
