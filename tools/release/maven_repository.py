"""Deploy the Java SDK to a Maven repository with ``mvn deploy``: jar, POM, sources and javadoc.

``make publish-maven MAVEN_REPOSITORY_URL=...`` runs this on the Maven
project ``make sdk-java`` staged under ``build/sdk/java/package``. The
deploy runs on a scratch copy of that project (so two deploys never share a
``target/``) with the POM's ``release`` profile, which adds the sources and
javadoc jars a Maven repository is expected to hold beside the jar, and
``-DaltDeploymentRepository=envstack-internal::<url>``: a repository manager's
credentials go in ``~/.m2/settings.xml`` under the server id
``envstack-internal``, never on the command line.

A repository manager refuses to redeploy a release it holds (Nexus and
Artifactory answer 400 or 409 to the PUT) and Maven prints that refusal. A
plain ``file://`` repository has no server to refuse, and Maven would
overwrite it silently, so for ``file://`` the deploy is refused here when the
version's POM is already there: a released version is never replaced.
"""

import os
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .publishing import PublishError

SERVER_ID = "envstack-internal"
"""The ``<server>`` id in settings.xml whose credentials the deploy uses."""
POM_NAMESPACE = "{http://maven.apache.org/POM/4.0.0}"
STAGED_PROJECT = Path("build/sdk/java/package")
MVN = ("mvn", "-B", "--no-transfer-progress")


@dataclass(frozen=True)
class Coordinates:
    """A Maven artifact's group, artifact and version, and where a repository keeps them."""

    group: str
    artifact: str
    version: str

    def folder(self) -> str:
        """``com/envstack/envstack/1.2.0``: the version's folder in a repository's layout."""
        return f"{self.group.replace('.', '/')}/{self.artifact}/{self.version}"

    def file(self, suffix: str) -> str:
        """A file of the version in a repository: ``<folder>/<artifact>-<version><suffix>``."""
        return f"{self.folder()}/{self.artifact}-{self.version}{suffix}"


def read_coordinates(pom: Path) -> Coordinates:
    """The coordinates a POM declares for itself."""
    root = ET.parse(pom).getroot()

    def field(name: str) -> str:
        element = root.find(POM_NAMESPACE + name)
        if element is None or not (element.text or "").strip():
            raise PublishError(f"{pom} declares no <{name}>")
        return (element.text or "").strip()

    return Coordinates(field("groupId"), field("artifactId"), field("version"))


def check_repository_url(repository_url: str) -> str:
    """The URL if it is ``file://`` or ``http(s)://`` without credentials; else ``PublishError``."""
    if not repository_url:
        raise PublishError(
            "set MAVEN_REPOSITORY_URL to the Maven repository, e.g. https://maven.internal.example/releases"
        )
    parts = urlsplit(repository_url)
    if parts.scheme == "file" and parts.path:
        return repository_url
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublishError(
            f"MAVEN_REPOSITORY_URL must be a file://, http:// or https:// URL, not {repository_url!r}"
        )
    if parts.username is not None or parts.password is not None:
        raise PublishError(
            "MAVEN_REPOSITORY_URL must not carry credentials; "
            f"put them in settings.xml under <server> {SERVER_ID}"
        )
    return repository_url


def refuse_existing_file_release(repository_url: str, coordinates: Coordinates) -> None:
    """For a ``file://`` repository, refuse a version whose POM is already deployed there."""
    parts = urlsplit(repository_url)
    if parts.scheme != "file":
        return
    existing = Path(unquote(parts.path)) / coordinates.file(".pom")
    if existing.exists():
        raise PublishError(
            f"{coordinates.group}:{coordinates.artifact}:{coordinates.version} is already deployed to "
            f"{repository_url} ({existing}); a released version is never replaced: publish a new version"
        )


def deploy_maven(
    repository_url: str, project: Path, version: str, environ: Mapping[str, str] | None = None
) -> int:
    """``mvn deploy`` a copy of the staged project of ``version``; return Maven's exit code."""
    url = check_repository_url(repository_url)
    pom = project / "pom.xml"
    if not pom.is_file():
        raise PublishError(f"{project} holds no pom.xml; run `make sdk-java` first")
    coordinates = read_coordinates(pom)
    if coordinates.version != version:
        raise PublishError(
            f"{pom} is version {coordinates.version}, not {version}; run `make sdk-java` after `make version`"
        )
    refuse_existing_file_release(url, coordinates)
    env = dict(os.environ if environ is None else environ)
    with tempfile.TemporaryDirectory(prefix="envstack-maven-deploy-") as scratch:
        staged = Path(scratch) / "package"
        shutil.copytree(project, staged, ignore=shutil.ignore_patterns("target"))
        command = [
            *MVN,
            "-f",
            str(staged / "pom.xml"),
            "-Prelease",
            "deploy",
            f"-DaltDeploymentRepository={SERVER_ID}::{url}",
            # The deploy phase runs install first; the local repository is not a registry.
            "-Dmaven.install.skip=true",
        ]
        result = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, check=False)
    return result.returncode
