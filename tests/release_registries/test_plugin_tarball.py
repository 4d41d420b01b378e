"""The plugin tarball, fetched over HTTP as the engine fetches it, unpacks into a plugin that starts."""

import json
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from envstack_provider.component import TYPE_TOKEN
from envstack_testkit.provider_harness import plugin_version, served_schema, spawn_provider
from tools.release.distributions import Release, plugin_download_name
from tools.release.versions import read_version

from .artifact_server import serve_directory
from .conftest import SLOW
from .isolated_install import create_venv, offline_environment, pip_install
from .package_index import PackageIndex

pytestmark = SLOW


def _engine_url(plugin_download_url: str, version: str, os_name: str, arch: str) -> str:
    """The URL the engine's HTTP plugin source requests for a ``pluginDownloadURL``."""
    base = plugin_download_url.replace("${VERSION}", version).rstrip("/")
    return f"{base}/{plugin_download_name(version, os_name, arch)}"


def test_the_artifact_server_answers_the_engine_and_the_plugin_starts_from_what_it_served(
    release: Release, index: PackageIndex, tmp_path: Path
) -> None:
    version = read_version()
    with serve_directory(release.plugin.parent / "plugins") as artifact_server:
        url = _engine_url(artifact_server, version, "linux", "amd64")
        with urllib.request.urlopen(url, timeout=30) as response:
            payload = response.read()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(_engine_url(artifact_server, "0.0.1", "linux", "amd64"), timeout=30)
    assert missing.value.code == 404
    assert payload == release.plugin.read_bytes()

    # Unpack as `pulumi plugin install` does, into ~/.pulumi/plugins/resource-envstack-v<version>/.
    plugin_dir = tmp_path / "plugins" / f"resource-envstack-v{version}"
    plugin_dir.mkdir(parents=True)
    tarball = tmp_path / "download.tar.gz"
    tarball.write_bytes(payload)
    with tarfile.open(tarball) as archive:
        archive.extractall(plugin_dir, filter="data")

    # Then install the plugin's dependencies as its PulumiPlugin.yaml tells the language host:
    # a virtualenv in the plugin directory, requirements.txt from the (internal) index.
    options = yaml.safe_load((plugin_dir / "PulumiPlugin.yaml").read_text())["runtime"]["options"]
    assert options["toolchain"] == "pip"
    python = create_venv(plugin_dir / options["virtualenv"])
    pip_install(python, index.simple_url, ["-r", str(plugin_dir / "requirements.txt")], offline_environment())
    # The venv holds only the dependencies: the provider that answers below is the tarball's source.
    (site_packages,) = (plugin_dir / options["virtualenv"]).glob("lib/python*/site-packages")
    assert (site_packages / "pulumi_aws").is_dir()
    assert not list(site_packages.glob("envstack_provider*"))

    with spawn_provider(plugin_dir=plugin_dir, python=str(python)) as process:
        schema = json.loads(served_schema(process))
        info_version = plugin_version(process)

    assert schema["version"] == info_version == version
    assert TYPE_TOKEN in schema["resources"]
