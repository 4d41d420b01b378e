"""Read the package name, version and plugin server each generated SDK declares, from the files read at use.

The schema's ``version``, ``pluginDownloadURL`` and ``language`` block are
meant to be the only source of these; the tests compare what is read here
with the schema.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .toolchains import read_json


@dataclass(frozen=True)
class Declared:
    """One SDK's name, the versions it stamps into its files, and the plugin server it names."""

    name: str
    versions: dict[str, str]
    servers: dict[str, str]


def _only(pattern: str, text: str, where: str) -> str:
    found = re.findall(pattern, text, flags=re.MULTILINE)
    if len(found) != 1:
        raise AssertionError(f"{where}: expected one match of {pattern!r}, found {found!r}")
    return str(found[0])


def _one_value(pattern: str, text: str, where: str) -> str:
    """The single value every match of ``pattern`` captures (a generator may repeat it)."""
    urls = set(re.findall(pattern, text))
    if len(urls) != 1:
        raise AssertionError(f"{where}: expected one value of {pattern!r}, found {urls}")
    return str(urls.pop())


def python(sdk: Path) -> Declared:
    """pyproject's project name and version, the module's get_version() and pulumi-plugin.json."""
    project = tomllib.loads((sdk / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    module = sdk / project["name"]
    utilities = (module / "_utilities.py").read_text(encoding="utf-8")
    plugin = read_json(module / "pulumi-plugin.json")
    return Declared(
        project["name"],
        {
            "pyproject.toml": project["version"],
            "_utilities.get_version": _only(
                r'^def get_version\(\):\n    return "([^"]+)"', utilities, "python"
            ),
            "pulumi-plugin.json": plugin["version"],
        },
        {
            "pulumi-plugin.json": plugin["server"],
            "_utilities.get_plugin_download_url": _only(
                r'^def get_plugin_download_url\(\):\n\s+return "([^"]+)"', utilities, "python"
            ),
        },
    )


def nodejs(sdk: Path) -> Declared:
    """package.json's name, version and the plugin version it asks the engine for."""
    package = read_json(sdk / "package.json")
    utilities = (sdk / "utilities.ts").read_text(encoding="utf-8")
    return Declared(
        package["name"],
        {"package.json": package["version"], "package.json pulumi": package["pulumi"]["version"]},
        {
            "package.json pulumi": package["pulumi"]["server"],
            "utilities.ts": _only(r'pluginDownloadURL: "([^"]+)"', utilities, "nodejs"),
        },
    )


def go(sdk: Path) -> Declared:
    """go.mod's module path and the version in the package's pulumi-plugin.json."""
    module = _only(r"^module (\S+)$", (sdk / "go.mod").read_text(encoding="utf-8"), "go.mod")
    plugins = sorted(sdk.glob("*/pulumi-plugin.json"))
    if len(plugins) != 1:
        raise AssertionError(f"expected one Go package with pulumi-plugin.json, found {plugins}")
    plugin = read_json(plugins[0])
    utilities = (plugins[0].parent / "internal" / "pulumiUtilities.go").read_text(encoding="utf-8")
    return Declared(
        module,
        {
            "pulumi-plugin.json": plugin["version"],
            "PkgResourceDefaultOpts": _one_value(r'semver\.MustParse\("([^"]+)"\)', utilities, "go"),
        },
        {
            "pulumi-plugin.json": plugin["server"],
            "PkgResourceDefaultOpts": _one_value(r'pulumi\.PluginDownloadURL\("([^"]+)"\)', utilities, "go"),
        },
    )


def dotnet(sdk: Path) -> Declared:
    """The project file's name (assembly) and its Version, version.txt and pulumi-plugin.json."""
    projects = sorted(sdk.glob("*.csproj"))
    if len(projects) != 1:
        raise AssertionError(f"expected one .csproj, found {projects}")
    project = projects[0].read_text(encoding="utf-8")
    plugin = read_json(sdk / "pulumi-plugin.json")
    return Declared(
        projects[0].stem,
        {
            "csproj": _only(r"<Version>([^<]+)</Version>", project, "csproj"),
            "version.txt": (sdk / "version.txt").read_text(encoding="utf-8").strip(),
            "pulumi-plugin.json": plugin["version"],
        },
        {
            "pulumi-plugin.json": plugin["server"],
            "Utilities.cs": _one_value(
                r'PluginDownloadURL \?\? "([^"]+)"',
                (sdk / "Utilities.cs").read_text(encoding="utf-8"),
                "dotnet",
            ),
        },
    )


def java(sdk: Path) -> Declared:
    """Maven coordinates (group:artifact), version and plugin server from the generated build.gradle.

    The Gradle build writes version.txt and plugin.json from these values;
    the Maven build in mk/sdk.mk reads the same file, and
    tests/sdk_build/test_java_sdk.py checks the jar it makes.
    """
    build = (sdk / "build.gradle").read_text(encoding="utf-8")
    group = _only(r'^group = "([^"]+)"', build, "build.gradle group")
    publication_group = _only(r'^\s+groupId = "([^"]+)"', build, "build.gradle groupId")
    if publication_group != group:
        raise AssertionError(f"build.gradle: group {group!r} but publishes as {publication_group!r}")
    artifact = _only(r'^\s+artifactId = "([^"]+)"', build, "build.gradle artifactId")
    return Declared(
        f"{group}:{artifact}",
        {"build.gradle": _only(r'^\s+\? "([^"]+)"', build, "build.gradle version")},
        {"build.gradle plugin.json": _only(r'^\s+server "([^"]+)"', build, "build.gradle server")},
    )


READERS = {"python": python, "nodejs": nodejs, "go": go, "dotnet": dotnet, "java": java}
