"""``make version VERSION=x.y.z`` on a copy of the last commit: every copy moves, the plugin follows."""

import json
import os
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from envstack_testkit.provider_harness import plugin_version, served_schema, spawn_provider
from tools.release import changelog
from tools.release.distributions import build_plugin_tarball
from tools.release.go_proxy import publish_go
from tools.release.publishing import PublishError
from tools.release.versions import REPO_ROOT, check_agreement, copies, read_version

from .conftest import SLOW

pytestmark = SLOW

NEW_VERSION = "1.8.9"
"""A major version below 2: the Go SDK's module path has no ``/vN`` suffix (see ``go_proxy``)."""
OLD_STAMP = "200001010000"
"""``touch -t`` time for the venv's inputs, so make does not rebuild the shared venv from the copy."""


GENERATORS = ("sdkgen", "sdkgen-java", "goproxy", "schema-tools")
"""The SDK generators ``make sdks`` runs, the Go proxy writer ``make publish-go`` runs and the
schema comparison ``make version`` runs:
``build/bin/<name>``, built from ``tools/<name>/``."""


def _copy_generator(name: str, root: Path) -> None:
    """Give the copy the checkout's ``build/bin/<name>`` while it is newer than every file it is built from.

    ``make version`` runs ``make sdks``, which would otherwise ``go vet`` and
    link each generator again in the copy (the Go build cache spares the
    compiling, not the vetting and linking: seconds of CPU each). A binary
    older than any of its sources, or missing, is left out, so make builds it
    in the copy as it would for a user.
    """
    binary = REPO_ROOT / "build" / "bin" / name
    sources = [path for path in (REPO_ROOT / "tools" / name).rglob("*") if path.is_file()]
    if not binary.is_file() or any(path.stat().st_mtime > binary.stat().st_mtime for path in sources):
        return
    target = root / "build" / "bin" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(binary, target)
    target.chmod(0o755)


def _export_head(root: Path, *, generators: bool = True) -> dict[str, str]:
    """The committed tree, exported into ``root``, ready for make; returns the environment to run it in.

    ``generators=False`` leaves the SDK generators out, for a ``make version``
    that must stop before it regenerates anything (were it not to stop, make
    would build them in the copy, slowly but correctly).
    """
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=REPO_ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive.stdout, check=True)
    (root / ".venv").symlink_to(REPO_ROOT / ".venv", target_is_directory=True)
    subprocess.run(
        [
            "touch",
            "-t",
            OLD_STAMP,
            "requirements/dev.txt",
            "provider/pyproject.toml",
            "testkit/pyproject.toml",
            "policy/pyproject.toml",
        ],
        cwd=root,
        check=True,
    )
    for generator in GENERATORS if generators else ():
        _copy_generator(generator, root)
    # The shared venv imports envstack_provider and envstack_testkit from the main checkout;
    # PYTHONPATH points the schema generator and the version check at the copy instead.
    return {**os.environ, "PYTHONPATH": f"{root / 'provider'}:{root / 'testkit'}"}


def _export_head_env(root: Path) -> dict[str, str]:
    """The environment ``_export_head`` returned for ``root``, for later make runs in the same copy."""
    return {**os.environ, "PYTHONPATH": f"{root / 'provider'}:{root / 'testkit'}"}


def _make_version(root: Path, env: dict[str, str], version: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "version", f"VERSION={version}"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture(scope="module")
def bumped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The committed tree, exported, a change under [Unreleased], then ``make version VERSION=1.8.9``."""
    root = tmp_path_factory.mktemp("checkout")
    env = _export_head(root)
    _write_unreleased(root, "### Added\n\n- an input\n")
    return root, _make_version(root, env, NEW_VERSION)


def _write_unreleased(root: Path, sections: str) -> None:
    """Write ``sections`` under the copy's ``## [Unreleased]``, as a change's author does."""
    path = root / "CHANGELOG.md"
    path.write_text(path.read_text().replace("## [Unreleased]\n", f"## [Unreleased]\n\n{sections}", 1))


@pytest.mark.parametrize("bad", ["", "1.2", "v1.2.3", "1.2.3-rc.1", "01.2.3"])
def test_make_version_refuses_a_malformed_version_and_changes_nothing(bad: str, tmp_path: Path) -> None:
    env = _export_head(tmp_path, generators=False)
    before = {copy.where: copy.version for copy in copies(tmp_path)}

    result = _make_version(tmp_path, env, bad)

    assert result.returncode != 0
    assert ("is not MAJOR.MINOR.PATCH" if bad else "usage: make version VERSION=x.y.z") in result.stderr
    assert {copy.where: copy.version for copy in copies(tmp_path)} == before


def test_make_version_refuses_a_bump_smaller_than_the_changelog_requires(tmp_path: Path) -> None:
    """A removal written under [Unreleased] needs a major release: 0.9.0 is refused before anything moves."""
    env = _export_head(tmp_path)
    _write_unreleased(tmp_path, "### Removed\n\n- the kmsKeyArn input\n")
    before = {copy.where: copy.version for copy in copies(tmp_path)}
    changelog_before = (tmp_path / "CHANGELOG.md").read_text()

    result = _make_version(tmp_path, env, "0.9.0")

    assert result.returncode != 0
    assert "but CHANGELOG.md's [Unreleased] entry requires a major release" in result.stderr, result.stderr
    assert {copy.where: copy.version for copy in copies(tmp_path)} == before
    assert (tmp_path / "CHANGELOG.md").read_text() == changelog_before


def test_make_version_moves_every_copy_and_checks_them(
    bumped: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    root, result = bumped

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"every copy carries version {NEW_VERSION}" in result.stdout
    assert read_version(root) == check_agreement(root) == NEW_VERSION
    places = {copy.where for copy in copies(root)}
    assert {"schema.json version", "sdk/python/pyproject.toml", "sdk/nodejs/package.json version"} <= places
    assert json.loads((root / "schema.json").read_text())["version"] == NEW_VERSION
    for generated in (
        "sdk/go/envstack/internal/pulumiUtilities.go",
        "sdk/python/pulumi_envstack/_utilities.py",
    ):
        assert f'"{NEW_VERSION}"' in (root / generated).read_text(), generated
    assert (REPO_ROOT / "VERSION").read_text().strip() != NEW_VERSION, "the checkout itself is untouched"
    entry = changelog.entry_for((root / "CHANGELOG.md").read_text(), NEW_VERSION)
    assert entry is not None and entry.lines("Added") == ["- an input"], "[Unreleased] became the release"
    assert entry.lines(changelog.SCHEMA_COMPARISON), "make version wrote schema-tools' report"
    assert (
        f"<envstack.version>{NEW_VERSION}</envstack.version>" in (root / "examples/java/pom.xml").read_text()
    )


def test_after_make_version_the_plugin_tarball_and_the_provider_carry_the_new_version(
    bumped: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    root, result = bumped
    assert result.returncode == 0, result.stdout + result.stderr

    tarball = build_plugin_tarball(read_version(root), tmp_path, root)
    assert tarball.name == f"pulumi-resource-envstack-v{NEW_VERSION}.tar.gz"
    plugin_dir = tmp_path / "plugin"
    with tarfile.open(tarball) as archive:
        archive.extractall(plugin_dir, filter="data")
    with spawn_provider(plugin_dir=plugin_dir) as process:
        assert json.loads(served_schema(process))["version"] == plugin_version(process) == NEW_VERSION


def test_after_make_version_make_publish_go_serves_the_new_version(
    bumped: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    root, result = bumped
    assert result.returncode == 0, result.stdout + result.stderr
    proxy = tmp_path / "goproxy"

    published = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "publish-go", f"GOPROXY_DIR={proxy}"],
        cwd=root,
        env=_export_head_env(root),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )

    assert published.returncode == 0, published.stdout + published.stderr
    versions = proxy / "github.com" / "envstack" / "envstack" / "sdk" / "go" / "@v"
    assert (versions / "list").read_text().split() == [f"v{NEW_VERSION}"]
    with zipfile.ZipFile(versions / f"v{NEW_VERSION}.zip") as module:
        prefix = f"github.com/envstack/envstack/sdk/go@v{NEW_VERSION}/"
        utilities = module.read(prefix + "envstack/internal/pulumiUtilities.go").decode()
    assert f'semver.MustParse("{NEW_VERSION}")' in utilities


def test_a_go_release_at_major_version_2_or_later_is_refused_until_the_module_path_has_its_suffix(
    tmp_path: Path,
) -> None:
    with pytest.raises(
        PublishError, match=r"version 2\.0\.0: a Go module at v2 or later needs a /v2 module path"
    ):
        publish_go(str(tmp_path), REPO_ROOT, "2.0.0")
    assert not any(tmp_path.iterdir())


def test_make_publish_refuses_a_version_without_a_changelog_entry(tmp_path: Path) -> None:
    """``make publish-go`` on a copy whose CHANGELOG.md lost the version's entry: refused, nothing written."""
    env = _export_head(tmp_path, generators=False)
    version = read_version(tmp_path)
    path = tmp_path / "CHANGELOG.md"
    path.write_text(path.read_text().replace(f"## [{version}] - ", "## [0.0.1] - ", 1))
    proxy = tmp_path / "goproxy"

    result = subprocess.run(
        ["make", "--no-print-directory", "publish-go", f"GOPROXY_DIR={proxy}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )

    assert result.returncode != 0
    assert f"CHANGELOG.md has no dated entry for {version}" in result.stderr, result.stderr
    assert "not publishing" in result.stderr
    assert not proxy.exists()
