"""``make publish`` to all four internal registries at once, each a real one on loopback, and each refusal.

One run publishes the release to pypiserver, verdaccio, a ``file://`` Maven
repository and a Go module proxy's folder (served over HTTP); then every
registry is asked, with its own client where it has one, which version it
serves, and each refuses a second publish of that version with its own
error, leaving what it holds unchanged.
"""

import hashlib
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.release.distributions import Release
from tools.release.versions import read_version

from .conftest import SLOW, Publisher, run_make
from .consumers import GO_MODULE, go_env
from .go_proxy_server import GoProxy, serve_proxy
from .npm_registry import NpmRegistry, serve_registry
from .package_index import PackageIndex, serve_index

pytestmark = SLOW

MAVEN_FOLDER = "com/envstack/envstack"
GO_FOLDER = "github.com/envstack/envstack/sdk/go/@v"


@dataclass(frozen=True)
class Registries:
    """The four registries of one release and the environment that may publish to them."""

    pypi: PackageIndex
    npm: NpmRegistry
    maven: Path
    go: GoProxy
    env: dict[str, str]

    def variables(self, dist_dir: Path) -> dict[str, str]:
        """``make publish``'s variables for these registries."""
        return {
            "DIST_DIR": str(dist_dir),
            "REPOSITORY_URL": self.pypi.url + "/",
            "NPM_REGISTRY_URL": self.npm.url + "/",
            "MAVEN_REPOSITORY_URL": self.maven.as_uri(),
            "GOPROXY_DIR": str(self.go.directory),
        }


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def registries(tmp_path_factory: pytest.TempPathFactory, publisher: Publisher) -> Iterator[Registries]:
    """Empty registries of every kind, on loopback, and credentials for them."""
    users = {publisher.username: publisher.password}
    base = tmp_path_factory.mktemp("registries")
    with (
        serve_index(base / "pypi-packages", users, base / "pypi") as pypi,
        serve_registry(base / "npm", users) as npm,
        serve_proxy(base / "goproxy") as go,
    ):
        (base / "goproxy").mkdir(exist_ok=True)
        env = publisher.environment(NPM_TOKEN=npm.token(publisher.username, publisher.password))
        yield Registries(pypi, npm, base / "maven", go, env)


@pytest.fixture(scope="module")
def published(release: Release, registries: Registries) -> "subprocess.CompletedProcess[str]":
    """The one ``make publish`` of this module."""
    return run_make("publish", registries.variables(release.plugin.parent), registries.env)


def test_make_publish_succeeds_and_prints_no_secret(
    published: "subprocess.CompletedProcess[str]", publisher: Publisher, registries: Registries
) -> None:
    assert published.returncode == 0, published.stdout + published.stderr
    output = published.stdout + published.stderr
    assert publisher.password not in output
    assert registries.env["NPM_TOKEN"] not in output


def test_the_index_serves_the_three_python_projects_at_the_version(
    published: "subprocess.CompletedProcess[str]", registries: Registries, release: Release
) -> None:
    assert published.returncode == 0, published.stderr
    assert set(registries.pypi.files()) == {path.name for path in release.python}
    version = read_version()
    assert all(f"-{version}" in name for name in registries.pypi.files())


def test_the_npm_registry_serves_the_version_to_npm_view(
    published: "subprocess.CompletedProcess[str]", registries: Registries
) -> None:
    assert published.returncode == 0, published.stderr
    env = {key: value for key, value in os.environ.items() if not key.lower().startswith("npm_config_")}
    env["NPM_CONFIG_USERCONFIG"] = os.devnull
    view = subprocess.run(
        [
            "npm",
            "view",
            "@envstack/pulumi-envstack",
            "version",
            "dist-tags.latest",
            "--json",
            "--registry",
            registries.npm.url + "/",
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=120,
    )
    assert view.returncode == 0, view.stderr
    assert json.loads(view.stdout) == {"version": read_version(), "dist-tags.latest": read_version()}


def test_the_maven_repository_holds_pom_jar_sources_and_javadoc_with_checksums(
    published: "subprocess.CompletedProcess[str]", registries: Registries
) -> None:
    assert published.returncode == 0, published.stderr
    version = read_version()
    folder = registries.maven / MAVEN_FOLDER / version
    for suffix in (".pom", ".jar", "-sources.jar", "-javadoc.jar"):
        artifact = folder / f"envstack-{version}{suffix}"
        assert artifact.is_file(), sorted(p.name for p in folder.iterdir())
        sha1 = (folder / f"{artifact.name}.sha1").read_text().strip()
        assert sha1 == hashlib.sha1(artifact.read_bytes()).hexdigest()
    with zipfile.ZipFile(folder / f"envstack-{version}-sources.jar") as sources:
        assert "com/envstack/envstack/EnvironmentStack.java" in sources.namelist()
    with zipfile.ZipFile(folder / f"envstack-{version}-javadoc.jar") as javadoc:
        assert "com/envstack/envstack/EnvironmentStack.html" in javadoc.namelist()
    metadata = ET.parse(registries.maven / MAVEN_FOLDER / "maven-metadata.xml").getroot()
    assert [v.text for v in metadata.iter("version")] == [version]
    assert metadata.findtext("versioning/release") == version


def test_the_go_proxy_serves_the_version_to_go_list(
    published: "subprocess.CompletedProcess[str]", registries: Registries, tmp_path: Path
) -> None:
    assert published.returncode == 0, published.stderr
    env = go_env(tmp_path / "gomodcache", registries.go.url)
    listed = subprocess.run(
        ["go", "list", "-m", "-json", f"{GO_MODULE}@latest"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["Version"] == f"v{read_version()}"
    assert (f"/{GO_FOLDER}/list", 200) in registries.go.requests


@pytest.mark.parametrize(
    ("target", "refusal"),
    [
        ("publish-python", r"400|already exists"),
        ("publish-npm", r"E403|cannot publish over the previously published versions"),
        ("publish-maven", r"is already deployed to .*a released version is never replaced"),
        ("publish-go", r"is already published in .*a module version never changes once published"),
    ],
)
def test_publishing_the_version_again_is_refused_by_each_registry_and_changes_nothing(
    published: "subprocess.CompletedProcess[str]",
    registries: Registries,
    release: Release,
    target: str,
    refusal: str,
) -> None:
    assert published.returncode == 0, published.stderr
    before = (registries.pypi.files(), _tree(registries.maven), _tree(registries.go.directory))
    npm_before = registries.npm.packument("@envstack/pulumi-envstack")["time"]
    again = run_make(target, registries.variables(release.plugin.parent), registries.env)
    assert again.returncode != 0, again.stdout
    assert re.search(refusal, again.stdout + again.stderr), again.stdout + again.stderr
    assert (registries.pypi.files(), _tree(registries.maven), _tree(registries.go.directory)) == before
    assert registries.npm.packument("@envstack/pulumi-envstack")["time"] == npm_before


@pytest.mark.parametrize(
    ("target", "variable"),
    [
        ("publish-npm", "NPM_REGISTRY_URL"),
        ("publish-maven", "MAVEN_REPOSITORY_URL"),
        ("publish-go", "GOPROXY_DIR"),
    ],
)
def test_a_publish_without_its_registry_names_the_variable(
    release: Release, registries: Registries, target: str, variable: str
) -> None:
    variables = registries.variables(release.plugin.parent)
    variables[variable] = ""
    result = run_make(target, variables, registries.env)
    assert result.returncode != 0
    assert f"set {variable}" in result.stderr


def test_an_npm_publish_without_a_token_names_the_variable(release: Release, registries: Registries) -> None:
    env = {key: value for key, value in registries.env.items() if key != "NPM_TOKEN"}
    result = run_make("publish-npm", registries.variables(release.plugin.parent), env)
    assert result.returncode != 0
    assert "set NPM_TOKEN" in result.stderr
