"""Stage the generated Java SDK as a Maven project under build/, from the files the generator wrote.

Pulumi's Java generator writes ``sdk/java`` with Gradle build files
(``build.gradle``, ``settings.gradle``), and Gradle cannot run on the build
machines. This script reads what those files declare (the Maven group,
artifact and version, the dependencies, the plugin's name and server) and
stages a Maven project that builds the same jar:

- ``pom.xml``, from ``tools/sdk_java/pom.xml.in`` with those values filled in;
- a copy of ``sdk/java/src``;
- ``version.txt`` and ``plugin.json`` among the resources, which the Gradle
  build's ``genPulumiResources`` task writes: the SDK reads its version from
  the first at run time, and the Java language host finds the plugin a
  program needs from the second.

So the generated files stay the one source, ``sdk/`` is never written to, and
a value the generator changes reaches the Maven build without an edit here.
Files are rewritten only when their content changes, so Maven's incremental
build and make's timestamps stay valid.

Usage: ``python tools/sdk_java/maven_project.py SDK_DIR TEMPLATE OUT_DIR``
"""

import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class GradleProject:
    """What the generated Gradle files declare about the SDK."""

    group: str
    artifact: str
    version: str
    description: str
    dependencies: tuple[tuple[str, str, str], ...]
    """(group, artifact, version) of each ``implementation(...)`` line."""
    plugin_name: str
    plugin_server: str
    resource_dir: str
    """Where the Gradle build puts version.txt and plugin.json: the project name, dots as slashes."""


def _one(pattern: str, text: str, where: str) -> str:
    found = re.findall(pattern, text, flags=re.MULTILINE)
    if len(found) != 1:
        raise SystemExit(f"{where}: expected one match of {pattern!r}, found {found!r}")
    return str(found[0])


def read_gradle(sdk: Path) -> GradleProject:
    """Parse the values this build needs out of the generated build.gradle and settings.gradle."""
    build = (sdk / "build.gradle").read_text(encoding="utf-8")
    settings = (sdk / "settings.gradle").read_text(encoding="utf-8")
    implementation = r'^\s*implementation\("([^:"]+):([^:"]+):([^:"]+)"\)'
    found: list[tuple[str, str, str]] = re.findall(implementation, build, re.M)
    dependencies = tuple(found)
    if not dependencies:
        raise SystemExit(f"{sdk}/build.gradle declares no dependencies")
    return GradleProject(
        group=_one(r'^\s*groupId = "([^"]+)"', build, "build.gradle groupId"),
        artifact=_one(r'^\s*artifactId = "([^"]+)"', build, "build.gradle artifactId"),
        version=_one(r'^\s*\? "([^"]+)"', build, "build.gradle version"),
        description=_one(r'^\s*description = "([^"]*)"', build, "build.gradle description"),
        dependencies=dependencies,
        plugin_name=_one(r'^\s*name "([^"]+)"', build, "build.gradle plugin name"),
        plugin_server=_one(r'^\s*server "([^"]+)"', build, "build.gradle plugin server"),
        resource_dir=_one(r'^rootProject\.name = "([^"]+)"', settings, "settings.gradle").replace(".", "/"),
    )


def render_pom(template: str, project: GradleProject) -> str:
    """The template with the project's values put in (XML-escaped)."""
    dependencies = "\n".join(
        "    <dependency>\n"
        f"      <groupId>{escape(group)}</groupId>\n"
        f"      <artifactId>{escape(artifact)}</artifactId>\n"
        f"      <version>{escape(version)}</version>\n"
        "    </dependency>"
        for group, artifact, version in project.dependencies
    )
    values = {
        "@GROUP_ID@": project.group,
        "@ARTIFACT_ID@": project.artifact,
        "@VERSION@": project.version,
        "@DESCRIPTION@": project.description,
    }
    text = template
    for placeholder, value in values.items():
        text = text.replace(placeholder, escape(value))
    text = text.replace("@DEPENDENCIES@", dependencies)
    leftover = re.findall(r"@[A-Z_]+@", text)
    if leftover:
        raise SystemExit(f"pom template has unfilled placeholders: {leftover}")
    return text


def plugin_json(project: GradleProject) -> str:
    """The plugin.json genPulumiResources writes (resource, name, server, version)."""
    document = {
        "resource": True,
        "name": project.plugin_name,
        "server": project.plugin_server,
        "version": project.version,
    }
    return json.dumps(document, indent=4) + "\n"


def write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless the file already holds it."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.tmp")
    partial.write_bytes(data)
    partial.replace(path)


def stage(sdk: Path, template: Path, out: Path) -> GradleProject:
    """Write the Maven project for ``sdk`` into ``out``; remove staged sources the SDK no longer has."""
    project = read_gradle(sdk)
    wanted: dict[Path, bytes] = {
        Path("pom.xml"): render_pom(template.read_text(encoding="utf-8"), project).encode(),
    }
    for source in sorted((sdk / "src").rglob("*")):
        if source.is_file():
            wanted[source.relative_to(sdk)] = source.read_bytes()
    resources = Path("src/main/resources") / project.resource_dir
    wanted[resources / "version.txt"] = project.version.encode()
    wanted[resources / "plugin.json"] = plugin_json(project).encode()
    for relative, data in wanted.items():
        write_if_changed(out / relative, data)
    staged_src = out / "src"
    for path in sorted(staged_src.rglob("*"), reverse=True):
        if path.is_file() and path.relative_to(out) not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            shutil.rmtree(path)
    return project


def main(argv: list[str]) -> int:
    """Stage the project; print its Maven coordinates."""
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    sdk, template, out = (Path(arg) for arg in argv)
    project = stage(sdk, template, out)
    print(f"{project.group}:{project.artifact}:{project.version} staged in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
