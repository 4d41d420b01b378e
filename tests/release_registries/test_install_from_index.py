"""A consumer installs the release from the internal index alone, and it deploys under the engine."""

import json
import subprocess
from pathlib import Path

from envstack_provider.component import TYPE_TOKEN
from envstack_testkit import automation
from envstack_testkit.provider_harness import plugin_version, served_schema, spawn_provider
from tools.release.versions import read_version

from .conftest import SLOW, ConsumerVenv
from .consumers import assert_deploys_the_stack, python_consumer, run_under_engine
from .isolated_install import offline_environment
from .package_index import PackageIndex

pytestmark = SLOW

RUN_INSTALLED_PROVIDER = (
    '"""Start the installed envstack-provider through its pulumi-resource-envstack entry point."""\n\n'
    "from importlib.metadata import entry_points\n\n"
    '(script,) = entry_points(group="console_scripts", name="pulumi-resource-envstack")\n'
    "script.load()()\n"
)
"""A plugin directory's ``__main__.py`` that runs exactly what the wheel's console script runs,
from site-packages, not from a checkout."""


def _in_venv(consumer: ConsumerVenv, code: str, cwd: Path) -> str:
    result = subprocess.run(
        [str(consumer.python), "-c", code],
        cwd=cwd,
        env=offline_environment(),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_pip_installs_sdk_provider_and_policy_pack_from_the_index_alone(
    consumer: ConsumerVenv, index: PackageIndex, tmp_path: Path
) -> None:
    version = read_version()
    installed = json.loads(
        _in_venv(
            consumer,
            "import json, re, importlib.metadata as m; print(json.dumps("
            "{re.sub(r'[-_.]+', '-', d.metadata['Name']).lower(): d.version for d in m.distributions()}))",
            tmp_path,
        )
    )

    assert f"Looking in indexes: {index.simple_url}" in consumer.pip_output
    assert (
        installed["pulumi-envstack"]
        == installed["envstack-provider"]
        == installed["envstack-policy"]
        == version
    )
    pip_check = subprocess.run(
        [str(consumer.python), "-m", "pip", "check"],
        env=offline_environment(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert pip_check.returncode == 0, pip_check.stdout
    assert "pulumi" in installed and "pulumi-aws" in installed
    served = set(index.files())
    assert all(any(name.replace("-", "_") in file for file in served) for name in ("pulumi", "pulumi_aws"))


def test_the_install_environment_cannot_reach_any_index_but_loopback(
    consumer: ConsumerVenv, tmp_path: Path
) -> None:
    # The control for the test above: the same environment, pointed at PyPI, gets nowhere.
    pip = [str(consumer.python), "-m", "pip", "download", "-vvv", "--no-deps", "--retries", "0"]
    result = subprocess.run(
        [*pip, "--index-url", "https://pypi.org/simple/", "--dest", str(tmp_path), "six"],
        env=offline_environment(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert result.returncode != 0
    # pip skips an index it cannot fetch and says so only at debug level; so the install
    # above, which succeeded in this environment, took every file from the loopback index.
    assert "Could not fetch URL https://pypi.org/simple/six/" in result.stdout + result.stderr
    assert "Cannot connect to proxy" in result.stdout + result.stderr
    assert not list(tmp_path.iterdir())


def test_the_installed_sdk_deploys_a_consumer_program_under_the_engine(
    consumer: ConsumerVenv, tmp_path: Path
) -> None:
    # The Python driver runs in the consumer's venv: the program imports pulumi and
    # pulumi_envstack from what pip installed from the index, not from the checkout.
    sdk_file = _in_venv(consumer, "import pulumi_envstack; print(pulumi_envstack.__file__)", tmp_path)
    assert sdk_file.startswith(str(consumer.python.parent.parent))
    program = automation.Program(source=python_consumer(tmp_path / "consumer"), python=consumer.python)

    assert_deploys_the_stack(run_under_engine("python", program), "python")


def test_the_installed_policy_pack_imports_its_policies_from_site_packages(
    consumer: ConsumerVenv, tmp_path: Path
) -> None:
    report = json.loads(
        _in_venv(
            consumer,
            "import json, envstack_policy.pack as pack; "
            "print(json.dumps({'file': pack.__file__, 'policies': [p.name for p in pack.POLICIES]}))",
            tmp_path,
        )
    )

    assert report["file"].startswith(str(consumer.python.parent.parent))
    assert len(report["policies"]) == len(set(report["policies"])) > 0


def test_the_installed_provider_spawned_as_a_plugin_serves_the_released_version(
    consumer: ConsumerVenv, tmp_path: Path
) -> None:
    plugin_dir = tmp_path / "plugin"
    plugin_dir.mkdir()
    (plugin_dir / "__main__.py").write_text(RUN_INSTALLED_PROVIDER)
    provider_file = _in_venv(
        consumer, "import envstack_provider; print(envstack_provider.__file__)", plugin_dir
    )
    assert provider_file.startswith(str(consumer.python.parent.parent)), provider_file
    assert (consumer.python.parent / "pulumi-resource-envstack").is_file()

    with spawn_provider(plugin_dir=plugin_dir, python=str(consumer.python)) as process:
        schema = json.loads(served_schema(process))
        info_version = plugin_version(process)

    assert schema["name"] == "envstack"
    assert schema["version"] == info_version == read_version()
    assert TYPE_TOKEN in schema["resources"]
