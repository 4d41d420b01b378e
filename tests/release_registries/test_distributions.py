"""What ``make dist`` builds: complete, checkable metadata, and a plugin tarball Pulumi can unpack."""

import email.message
import email.parser
import hashlib
import importlib.metadata
import io
import json
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from tools.release.distributions import (
    PLUGIN_PLATFORMS,
    Release,
    build_plugin_tarball,
    plugin_download_name,
    plugin_tarball_name,
)
from tools.release.versions import REPO_ROOT, read_version

from .conftest import SLOW

pytestmark = SLOW

PROJECTS = {
    "envstack_provider": "envstack_provider",
    "pulumi_envstack": "pulumi_envstack",
    "envstack_policy": "envstack_policy",
}
"""Distribution file prefix -> the import package its wheel must carry."""

LICENSE_TEXT = (REPO_ROOT / "LICENSE").read_text()


def _pinned(name: str) -> Version:
    """The version requirements/dev.txt pins: the one every test runs with."""
    for line in (REPO_ROOT / "requirements/dev.txt").read_text().splitlines():
        pinned_name, _, pinned_version = line.partition("==")
        if pinned_version and canonicalize_name(pinned_name) == canonicalize_name(name):
            return Version(pinned_version)
    raise AssertionError(f"{name} is not pinned in requirements/dev.txt")


def _lower_bound(specifier: SpecifierSet) -> Version:
    bounds = [Version(spec.version) for spec in specifier if spec.operator in (">=", "~=", "==")]
    assert bounds, f"{specifier} has no minimum version"
    return max(bounds)


def _wheel(release: Release, prefix: str) -> Path:
    (wheel,) = [
        path for path in release.python if path.name.startswith(prefix + "-") and path.suffix == ".whl"
    ]
    return wheel


def _wheel_metadata(wheel: Path) -> tuple[email.message.Message, list[str], zipfile.ZipFile]:
    archive = zipfile.ZipFile(wheel)
    name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    return email.parser.Parser().parsestr(archive.read(name).decode()), archive.namelist(), archive


def test_dist_holds_every_artifact_of_the_version(release: Release) -> None:
    version = read_version()
    names = {path.name for path in release.python}
    expected = {f"{prefix}-{version}-py3-none-any.whl" for prefix in PROJECTS}
    expected |= {f"{prefix}-{version}.tar.gz" for prefix in PROJECTS}
    assert names == expected
    assert [path.name for path in release.npm] == [f"envstack-pulumi-envstack-{version}.tgz"]
    assert (
        release.plugin.name == plugin_tarball_name(version) == f"pulumi-resource-envstack-v{version}.tar.gz"
    )
    assert {path.name for path in release.plugin_aliases} == {
        plugin_download_name(version, os_name, arch) for os_name, arch in PLUGIN_PLATFORMS
    }
    assert all(alias.read_bytes() == release.plugin.read_bytes() for alias in release.plugin_aliases)


def test_sha256sums_lists_every_artifact_with_its_hash(release: Release) -> None:
    dist_dir = release.plugin.parent
    listed: dict[str, str] = {}
    for line in (dist_dir / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest

    assert set(listed) == {str(path.relative_to(dist_dir)) for path in release.all()}
    assert all(
        hashlib.sha256((dist_dir / name).read_bytes()).hexdigest() == digest
        for name, digest in listed.items()
    )


def test_twine_check_passes_on_every_python_distribution(release: Release) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, release.python)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == len(release.python) == 6


@pytest.mark.parametrize("prefix", sorted(PROJECTS))
def test_each_wheel_is_typed_licensed_described_and_pins_its_minimums(release: Release, prefix: str) -> None:
    metadata, names, archive = _wheel_metadata(_wheel(release, prefix))
    package = PROJECTS[prefix]

    assert f"{package}/py.typed" in names
    license_files = [name for name in names if "/licenses/" in name and name.endswith("LICENSE")]
    assert license_files and archive.read(license_files[0]).decode() == LICENSE_TEXT
    assert "Apache-2.0" in (metadata.get("License-Expression") or metadata.get("License") or "")
    assert metadata.get("Description-Content-Type", "").startswith("text/markdown")
    assert len(str(metadata.get_payload()).strip()) > 40, "the README is the long description"

    requires_python = SpecifierSet(metadata["Requires-Python"])
    assert requires_python.contains(f"{sys.version_info.major}.{sys.version_info.minor}")
    pulumi_floor = SpecifierSet(importlib.metadata.metadata("pulumi")["Requires-Python"])
    assert _lower_bound(requires_python) >= _lower_bound(pulumi_floor), (
        f"{prefix} claims {requires_python} but pulumi itself needs {pulumi_floor}"
    )

    requirements = {
        Requirement(line).name.lower(): Requirement(line) for line in metadata.get_all("Requires-Dist") or []
    }
    assert "pulumi" in requirements
    for name, requirement in requirements.items():
        if name in ("pulumi", "pulumi-aws", "pulumi-policy"):
            floor = _lower_bound(requirement.specifier)
            assert floor == _pinned(name), (
                f"{prefix}: {requirement} should start at the tested {_pinned(name)}"
            )


def test_the_pack_wheel_carries_every_module_of_its_source_tree(release: Release) -> None:
    """The pack is laid out in subpackages (policies, readers, data, serving, reports): a wheel
    whose package discovery missed one would install a pack that fails on its first import."""
    _, names, _ = _wheel_metadata(_wheel(release, "envstack_policy"))
    source = REPO_ROOT / "policy"
    expected = {
        path.relative_to(source).as_posix()
        for path in (source / "envstack_policy").rglob("*")
        if path.suffix in (".py", ".typed") and "__pycache__" not in path.parts
    }
    assert {"envstack_policy/policies/__init__.py", "envstack_policy/data/taggable.py"} <= expected
    missing = expected - set(names)
    assert not missing, f"the envstack_policy wheel lacks {sorted(missing)}"


def test_every_python_distribution_pins_the_pulumi_aws_minimum(release: Release) -> None:
    for prefix in ("envstack_provider", "pulumi_envstack", "envstack_policy"):
        metadata, _, _ = _wheel_metadata(_wheel(release, prefix))
        names = {Requirement(line).name.lower() for line in metadata.get_all("Requires-Dist") or []}
        assert "pulumi-aws" in names, prefix


@pytest.mark.parametrize("prefix", sorted(PROJECTS))
def test_each_sdist_carries_the_license_and_readme(release: Release, prefix: str) -> None:
    (sdist,) = [
        path for path in release.python if path.name.startswith(prefix + "-") and path.name.endswith(".gz")
    ]
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
        license_member = archive.extractfile(f"{prefix}-{read_version()}/LICENSE")
        assert license_member is not None and license_member.read().decode() == LICENSE_TEXT
    assert {"LICENSE", "README.md", "pyproject.toml", "PKG-INFO"} <= names


def test_plugin_tarball_has_the_layout_of_a_source_plugin(release: Release) -> None:
    with tarfile.open(release.plugin) as archive:
        members = {member.name: member for member in archive.getmembers()}
        plugin_yaml = archive.extractfile("PulumiPlugin.yaml")
        requirements = archive.extractfile("requirements.txt")
        assert plugin_yaml is not None and requirements is not None
        plugin_text = plugin_yaml.read().decode()
        pins = [
            Requirement(line) for line in requirements.read().decode().splitlines() if line and line[0] != "#"
        ]

    assert {"PulumiPlugin.yaml", "__main__.py", "requirements.txt", "LICENSE", "README.md"} <= set(members)
    assert "envstack_provider/provider.py" in members and "envstack_provider/py.typed" in members
    assert not [
        name for name in members if "__pycache__" in name or name.endswith(".pyc") or name.startswith("/")
    ]
    assert all(member.isfile() and member.uid == 0 for member in members.values())
    assert "name: python" in plugin_text and "virtualenv: venv" in plugin_text
    assert {pin.name: _lower_bound(pin.specifier) for pin in pins} == {
        "pulumi": _pinned("pulumi"),
        "pulumi-aws": _pinned("pulumi-aws"),
    }
    versions_file = (REPO_ROOT / "provider/envstack_provider/_version.py").read_text()
    with tarfile.open(release.plugin) as archive:
        shipped = archive.extractfile("envstack_provider/_version.py")
        assert shipped is not None and shipped.read().decode() == versions_file


def test_plugin_tarball_is_byte_for_byte_reproducible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()

    first = build_plugin_tarball(read_version(), tmp_path / "first")
    second = build_plugin_tarball(read_version(), tmp_path / "second")

    assert first.read_bytes() == second.read_bytes()
    with tarfile.open(first) as archive:
        assert {member.mtime for member in archive.getmembers()} == {1700000000}


def test_npm_tarball_ships_compiled_javascript_with_the_plugin_block(release: Release) -> None:
    (tarball,) = release.npm
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
        package_json = archive.extractfile("package/package.json")
        license_member = archive.extractfile("package/LICENSE")
        assert package_json is not None and license_member is not None
        package = json.load(io.TextIOWrapper(package_json))
        license_text = license_member.read().decode()

    assert {
        "package/index.js",
        "package/index.d.ts",
        "package/environmentStack.js",
        "package/README.md",
    } <= names
    assert not [name for name in names if name.endswith(".ts") and not name.endswith(".d.ts")]
    assert package["name"] == "@envstack/pulumi-envstack"
    assert package["version"] == package["pulumi"]["version"] == read_version()
    assert package["pulumi"]["name"] == "envstack" and package["pulumi"]["resource"] is True
    assert license_text == LICENSE_TEXT
