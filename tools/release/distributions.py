"""Build every artifact of a release into one directory: what ``make dist`` does.

A release is the provider package, the Python SDK and the policy pack as
wheels and sdists, the TypeScript SDK as an npm tarball, and the provider as
a Pulumi plugin tarball. Everything is built from the checkout as it is,
without build isolation (the build backend is the pinned one in
``requirements/dev.txt``, not whatever the index serves that day), and each
Python project is built from a staged copy that carries the repository's
``LICENSE``: one license text for every distribution, no copies to drift.

The plugin tarball is what ``pulumi plugin install`` and the engine's
automatic download unpack into ``~/.pulumi/plugins/resource-envstack-v<version>/``:
``PulumiPlugin.yaml``, the ``__main__.py`` the Python language host runs, the
``requirements.txt`` it installs into the plugin's virtualenv, and the
provider's source. The engine asks the ``pluginDownloadURL`` for
``pulumi-resource-envstack-v<version>-<os>-<arch>.tar.gz``; the plugin is
pure Python, so ``plugins/`` holds the same bytes under each platform name
the artifact server must answer to.
"""

import gzip
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .versions import REPO_ROOT, check_agreement

PYTHON_PROJECTS = ("provider", "sdk/python", "policy")
"""The Python projects released, each a directory with a ``pyproject.toml``."""

NODEJS_SDK = Path("sdk/nodejs")
NODEJS_COMPILED = Path("build/sdk/nodejs/package/bin")
"""Where ``make sdk-nodejs`` leaves the compiled TypeScript SDK."""

PLUGIN_NAME = "envstack"
PLUGIN_FILES = ("PulumiPlugin.yaml", "__main__.py", "requirements.txt", "README.md")
"""The plugin directory's own files, next to the ``envstack_provider`` source."""

PLUGIN_PLATFORMS = (
    ("linux", "amd64"),
    ("linux", "arm64"),
    ("darwin", "amd64"),
    ("darwin", "arm64"),
    ("windows", "amd64"),
    ("windows", "arm64"),
)
"""The ``<os>-<arch>`` names the engine asks for; the same pure-Python plugin serves each."""

STAGING_IGNORE = shutil.ignore_patterns(
    "__pycache__", "*.pyc", "*.egg-info", "build", "dist", "node_modules", "venv", ".venv", ".pytest_cache"
)


class BuildError(RuntimeError):
    """A build step failed or a project that a release needs is missing."""


@dataclass(frozen=True)
class Release:
    """What one build produced, by kind."""

    version: str
    python: tuple[Path, ...]
    npm: tuple[Path, ...]
    plugin: Path
    plugin_aliases: tuple[Path, ...]

    def all(self) -> list[Path]:
        """Every artifact, for listing and checksums."""
        return [*self.python, *self.npm, self.plugin, *self.plugin_aliases]

    @classmethod
    def read(cls, dist_dir: Path, version: str) -> "Release":
        """The release ``make dist`` left in ``dist_dir``, sorted by kind."""
        plugin = dist_dir / plugin_tarball_name(version)
        if not plugin.is_file():
            raise BuildError(f"{dist_dir} holds no {plugin.name}")
        files = sorted(path for path in dist_dir.iterdir() if path.is_file())
        return cls(
            version=version,
            python=tuple(
                path for path in files if path != plugin and path.name.endswith((".whl", ".tar.gz"))
            ),
            npm=tuple(path for path in files if path.suffix == ".tgz"),
            plugin=plugin,
            plugin_aliases=tuple(sorted((dist_dir / "plugins").glob("*.tar.gz"))),
        )


def plugin_tarball_name(version: str) -> str:
    """The release's plugin tarball: ``pulumi-resource-envstack-v<version>.tar.gz``."""
    return f"pulumi-resource-{PLUGIN_NAME}-v{version}.tar.gz"


def plugin_download_name(version: str, os_name: str, arch: str) -> str:
    """The file name the engine requests from a ``pluginDownloadURL``."""
    return f"pulumi-resource-{PLUGIN_NAME}-v{version}-{os_name}-{arch}.tar.gz"


def source_date_epoch(root: Path = REPO_ROOT) -> int:
    """The timestamp written into archives: ``SOURCE_DATE_EPOCH``, else the last shipping commit's.

    The last shipping commit is the newest one that changed the provider,
    the SDKs, the policy pack, the license or the version. A fixed timestamp
    makes two builds of one commit byte-identical, so a checksum published
    with the release can be checked by rebuilding.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    result = subprocess.run(
        ["git", "log", "-1", "--format=%ct", "--", "provider", "sdk", "policy", "LICENSE", "VERSION"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    stamp = result.stdout.strip()
    return int(stamp) if result.returncode == 0 and stamp.isdigit() else 0


def _plugin_members(provider_dir: Path, license_file: Path) -> list[tuple[str, Path]]:
    members = [(name, provider_dir / name) for name in PLUGIN_FILES]
    members.append(("LICENSE", license_file))
    package = provider_dir / "envstack_provider"
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            members.append((str(path.relative_to(provider_dir)), path))
    missing = [str(path) for _, path in members if not path.is_file()]
    if missing:
        raise BuildError(f"the plugin needs files that are missing: {', '.join(missing)}")
    return sorted(members)


def build_plugin_tarball(version: str, out_dir: Path, root: Path = REPO_ROOT) -> Path:
    """Write the plugin tarball: files at the top level, sorted, owned by root, one timestamp."""
    mtime = source_date_epoch(root)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, path in _plugin_members(root / "provider", root / "LICENSE"):
            data = path.read_bytes()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = mtime
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            archive.addfile(info, io.BytesIO(data))
    target = out_dir / plugin_tarball_name(version)
    with target.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=mtime) as zipped:
        zipped.write(buffer.getvalue())
    return target


def write_plugin_aliases(tarball: Path, version: str, out_dir: Path) -> list[Path]:
    """Copy the tarball under every ``<os>-<arch>`` name into ``out_dir/plugins``."""
    plugins = out_dir / "plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    aliases = []
    for os_name, arch in PLUGIN_PLATFORMS:
        alias = plugins / plugin_download_name(version, os_name, arch)
        shutil.copyfile(tarball, alias)
        aliases.append(alias)
    return aliases


def _run(command: Sequence[str], cwd: Path, what: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(list(command), cwd=cwd, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        raise BuildError(f"{what} failed ({' '.join(command)}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _place_readme(staged: Path) -> None:
    """Put the README the pyproject names beside it, if the generator wrote it into the package.

    Pulumi's Python generator writes ``README.md`` inside the package while
    its ``pyproject.toml`` names ``README.md`` beside itself, so Pulumi's own
    provider builds copy it up before building; without it the index shows
    no description.
    """
    readme = tomllib.loads((staged / "pyproject.toml").read_text(encoding="utf-8"))["project"].get("readme")
    if not isinstance(readme, str) or (staged / readme).is_file():
        return
    generated = sorted(staged.glob(f"*/{readme}"))
    if len(generated) != 1:
        raise BuildError(f"{staged.name}: pyproject names {readme}, which is missing")
    shutil.copyfile(generated[0], staged / readme)


def build_python_project(project: Path, out_dir: Path, scratch: Path, root: Path = REPO_ROOT) -> list[Path]:
    """Build a wheel and an sdist of ``project`` from a staged copy that carries ``LICENSE``."""
    if not (project / "pyproject.toml").is_file():
        raise BuildError(f"{project.relative_to(root)} has no pyproject.toml")
    staged = scratch / project.relative_to(root).as_posix().replace("/", "-")
    shutil.copytree(project, staged, ignore=STAGING_IGNORE)
    shutil.copyfile(root / "LICENSE", staged / "LICENSE")
    _place_readme(staged)
    before = set(out_dir.iterdir())
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(source_date_epoch(root))}
    _run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out_dir), str(staged)],
        cwd=scratch,
        what=f"building {project.name}",
        env=env,
    )
    return sorted(set(out_dir.iterdir()) - before)


def pack_nodejs_sdk(out_dir: Path, scratch: Path, root: Path = REPO_ROOT) -> list[Path]:
    """``npm pack`` the TypeScript SDK that ``make sdk-nodejs`` compiled, with the license added.

    ``make sdk-nodejs`` compiles ``sdk/nodejs`` with its locked toolchain into
    ``build/sdk/nodejs/package/bin`` (JavaScript, declarations, package.json
    and README, as Pulumi's SDKs ship); the release packs a copy of that with
    ``LICENSE`` beside it. A compiled package.json that differs from
    ``sdk/nodejs/package.json`` is stale and refused.
    """
    compiled = root / NODEJS_COMPILED
    if not (compiled / "package.json").is_file() or not (compiled / "index.js").is_file():
        raise BuildError(f"{NODEJS_COMPILED} is missing; run `make sdk-nodejs` first")
    if (compiled / "package.json").read_bytes() != (root / NODEJS_SDK / "package.json").read_bytes():
        raise BuildError(f"{NODEJS_COMPILED} was built from another package.json; run `make sdk-nodejs`")
    staged = scratch / "nodejs"
    shutil.copytree(compiled, staged)
    shutil.copyfile(root / "LICENSE", staged / "LICENSE")
    before = set(out_dir.iterdir())
    _run(["npm", "pack", "--ignore-scripts", "--pack-destination", str(out_dir)], cwd=staged, what="npm pack")
    return sorted(set(out_dir.iterdir()) - before)


def twine_check(files: Iterable[Path]) -> None:
    """``twine check --strict``: the metadata an index shows renders, and nothing is missing."""
    paths = [str(path) for path in files]
    _run([sys.executable, "-m", "twine", "check", "--strict", *paths], cwd=REPO_ROOT, what="twine check")


def build_release(out_dir: Path, scratch: Path, root: Path = REPO_ROOT) -> Release:
    """Build every artifact of the current version into ``out_dir``, refusing if versions disagree."""
    version = check_agreement(root)
    out_dir.mkdir(parents=True, exist_ok=True)
    python: list[Path] = []
    for project in PYTHON_PROJECTS:
        python.extend(build_python_project(root / project, out_dir, scratch, root))
    twine_check(python)
    npm = pack_nodejs_sdk(out_dir, scratch, root)
    plugin = build_plugin_tarball(version, out_dir, root)
    aliases = write_plugin_aliases(plugin, version, out_dir)
    return Release(version, tuple(python), tuple(npm), plugin, tuple(aliases))
