"""One version everywhere: VERSION, the provider, schema.json, the SDKs and the policy pack."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from envstack_provider import schema_file
from envstack_provider.package import PLUGIN_DOWNLOAD_URL_VARIABLE
from tools.release.versions import (
    EXAMPLE_LOCK,
    EXAMPLE_SDK_ENTRY,
    GO_SDK_UTILITIES,
    JAVA_EXAMPLE_POM,
    JAVA_SDK_BUILD,
    NODEJS_LOCK,
    POLICY_PACK_FILE,
    POLICY_VERSION_FILE,
    PROVIDER_VERSION_FILE,
    REPO_ROOT,
    VERSION_MODULE_TEXT,
    VersionError,
    check_agreement,
    copies,
    read_version,
    stamp,
)

HAND_KEPT = (
    "VERSION",
    "schema.json",
    str(PROVIDER_VERSION_FILE),
    str(POLICY_VERSION_FILE),
    str(POLICY_PACK_FILE),
    str(EXAMPLE_LOCK),
    str(JAVA_EXAMPLE_POM),
)


def _copy_tree(target: Path) -> Path:
    """The version-carrying files of the checkout, copied so a test may break them."""
    for relative in HAND_KEPT:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_ROOT / relative, target / relative)
    shutil.copytree(REPO_ROOT / "sdk", target / "sdk", ignore=shutil.ignore_patterns("node_modules", "build"))
    return target


def test_every_copy_in_the_checkout_carries_the_version_file() -> None:
    version = read_version()
    places = {copy.where: copy.version for copy in copies()}
    assert check_agreement() == version
    for expected in (
        "schema.json version",
        str(PROVIDER_VERSION_FILE),
        str(POLICY_VERSION_FILE),
        str(POLICY_PACK_FILE),
        "sdk/python/pyproject.toml",
        "sdk/python/pulumi_envstack/pulumi-plugin.json",
        "sdk/nodejs/package.json version",
        "sdk/nodejs/package.json pulumi.version",
        f"{NODEJS_LOCK} version",
        "sdk/go/envstack/pulumi-plugin.json",
        "sdk/dotnet/version.txt",
        f"{EXAMPLE_LOCK} {EXAMPLE_SDK_ENTRY}",
        f"{JAVA_EXAMPLE_POM} <envstack.version> #1",
        f"{JAVA_SDK_BUILD} default version #1",
        f"{GO_SDK_UTILITIES} semver.MustParse #1",
        f"{GO_SDK_UTILITIES} semver.MustParse #2",
    ):
        assert places.get(expected) == version, expected


@pytest.mark.parametrize(
    ("relative", "pattern", "replacement", "named"),
    [
        (JAVA_EXAMPLE_POM, r"<envstack\.version>[^<]*<", "<envstack.version>9.9.9<", "<envstack.version> #1"),
        (JAVA_SDK_BUILD, r'\? "[^"]*"', '? "9.9.9"', "default version #1"),
        (GO_SDK_UTILITIES, r'MustParse\("[^"]*"\)', 'MustParse("9.9.9")', "semver.MustParse #1"),
    ],
)
def test_a_java_or_go_copy_that_disagrees_fails_the_check_and_is_named(
    tmp_path: Path, relative: Path, pattern: str, replacement: str, named: str
) -> None:
    root = _copy_tree(tmp_path)
    path = root / relative
    path.write_text(re.sub(pattern, replacement, path.read_text(), count=1))

    with pytest.raises(VersionError, match=re.escape(f"{relative} {named}: '9.9.9'")):
        check_agreement(root)


def test_a_java_or_go_file_without_its_version_fails_the_check_rather_than_dropping_it(
    tmp_path: Path,
) -> None:
    root = _copy_tree(tmp_path)
    (root / GO_SDK_UTILITIES).write_text("package internal\n")

    with pytest.raises(VersionError, match=r"has no semver\.MustParse version"):
        check_agreement(root)


def test_a_copy_that_disagrees_fails_the_check_and_is_named(tmp_path: Path) -> None:
    root = _copy_tree(tmp_path)
    package_json = root / "sdk/nodejs/package.json"
    document = json.loads(package_json.read_text())
    document["pulumi"]["version"] = "9.9.9"
    package_json.write_text(json.dumps(document))

    with pytest.raises(VersionError, match=r"sdk/nodejs/package.json pulumi.version: '9.9.9'"):
        check_agreement(root)


def test_stamp_rewrites_every_hand_kept_copy_and_leaves_generated_ones_to_make(tmp_path: Path) -> None:
    root = _copy_tree(tmp_path)

    written = stamp("2.3.4", root)

    assert {path.relative_to(root).as_posix() for path in written} == {
        "VERSION",
        str(PROVIDER_VERSION_FILE),
        str(POLICY_VERSION_FILE),
        str(POLICY_PACK_FILE),
        str(NODEJS_LOCK),
        str(EXAMPLE_LOCK),
        str(JAVA_EXAMPLE_POM),
    }
    by_place = {copy.where: copy.version for copy in copies(root)}
    assert by_place["VERSION"] == by_place[str(POLICY_PACK_FILE)] == "2.3.4"
    assert by_place[str(POLICY_VERSION_FILE)] == "2.3.4"
    assert by_place[str(PROVIDER_VERSION_FILE)] == by_place[f"{NODEJS_LOCK} packages[''].version"] == "2.3.4"
    assert by_place[f"{EXAMPLE_LOCK} {EXAMPLE_SDK_ENTRY}"] == "2.3.4"
    assert by_place[f"{JAVA_EXAMPLE_POM} <envstack.version> #1"] == "2.3.4"
    # schema.json and the SDKs still say the old version until `make schema` and `make sdks` run.
    with pytest.raises(VersionError, match=r"schema\.json version"):
        check_agreement(root)


def test_the_pack_reports_a_stamped_version_without_a_reinstall(tmp_path: Path) -> None:
    """An editable install froze the distribution's metadata; the pack reads its own module instead."""
    copy = tmp_path / "policy"
    shutil.copytree(REPO_ROOT / "policy", copy, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    stamp_module = copy / "envstack_policy" / "_version.py"
    stamp_module.write_text(VERSION_MODULE_TEXT.format(version="2.3.4"))

    reported = subprocess.run(
        [sys.executable, "-c", "from envstack_policy.serving import server; print(server.version())"],
        env={**os.environ, "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
        check=True,
    )

    assert reported.stdout.strip() == "2.3.4"


def test_plugin_download_url_comes_from_the_environment_when_the_schema_is_generated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PLUGIN_DOWNLOAD_URL_VARIABLE, "https://artifacts.internal.example/pulumi/${VERSION}/")

    schema_file.main([str(tmp_path / "schema.json")])

    generated = json.loads((tmp_path / "schema.json").read_text())
    assert generated["pluginDownloadURL"] == "https://artifacts.internal.example/pulumi/${VERSION}/"


def test_every_sdk_asks_the_engine_for_the_plugin_where_the_schema_says() -> None:
    schema = json.loads((REPO_ROOT / "schema.json").read_text())
    python_plugin = json.loads((REPO_ROOT / "sdk/python/pulumi_envstack/pulumi-plugin.json").read_text())
    nodejs = json.loads((REPO_ROOT / "sdk/nodejs/package.json").read_text())

    assert schema["pluginDownloadURL"]
    assert python_plugin["server"] == schema["pluginDownloadURL"]
    assert nodejs["pulumi"]["server"] == schema["pluginDownloadURL"]


def test_the_java_sdk_and_the_java_example_carry_the_version_file() -> None:
    # The Java SDK's build.gradle is generated from the schema (make sdks);
    # the Java example's pom.xml names the SDK release, stamped by make version.
    version = read_version()
    build = (REPO_ROOT / "sdk/java/build.gradle").read_text()
    assert re.findall(r'^\s+\? "([^"]+)"', build, flags=re.MULTILINE) == [version]
    pom = (REPO_ROOT / "examples/java/pom.xml").read_text()
    assert re.findall(r"<envstack\.version>([^<]*)</envstack\.version>", pom) == [version]


MAVEN_PLUGIN_POMS = (Path("examples/java/pom.xml"), Path("tools/sdk_java/pom.xml.in"))
"""The two Maven projects that run maven-dependency-plugin, each pinning it in ``<pluginManagement>``."""


def _dependency_plugin_versions(text: str) -> list[str]:
    return re.findall(r"<artifactId>maven-dependency-plugin</artifactId>\s*<version>([^<]+)</version>", text)


def test_maven_dependency_plugin_is_pinned_once_in_each_pom_and_nowhere_else() -> None:
    """Command lines name the plugin without a version, so Maven runs the one the POMs pin."""
    pins = {pom: _dependency_plugin_versions((REPO_ROOT / pom).read_text()) for pom in MAVEN_PLUGIN_POMS}
    assert all(len(found) == 1 for found in pins.values()), pins
    assert len({found[0] for found in pins.values()}) == 1, pins
    written_with_version = re.compile(r"maven-dependency-plugin:\d")
    for folder in ("mk", "tests", "tools", "testkit"):
        for path in (REPO_ROOT / folder).rglob("*"):
            if path.suffix in {".mk", ".py"} and "node_modules" not in path.parts:
                assert not written_with_version.search(path.read_text()), path
