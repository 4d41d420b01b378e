"""The Python SDK builds a wheel that installs into a fresh virtualenv, imports, and type-checks callers.

``make sdk-python`` runs ``python -m build sdk/python``. The wheel is installed
with its dependencies (pinned by requirements/dev.txt) into a virtualenv of
its own, so nothing from the repository's .venv can hide a missing file or
dependency. mypy then checks small consumer programs against the installed
package, as a user's editor or CI would.
"""

import textwrap
import zipfile
from pathlib import Path

import pytest

from .toolchains import ROOT, SDK_BUILD, VERSION_FILE, ToolchainError, make, run

pytestmark = pytest.mark.timeout(900)

VENV = SDK_BUILD / "python-venv"
"""The fresh virtualenv ``make sdk-python-venv`` builds (git-ignored)."""
MYPY = ROOT / ".venv" / "bin" / "mypy"
MYPY_CACHE = SDK_BUILD / "mypy-cache"
"""Shared by the consumer checks so pulumi's own modules are analysed once."""


@pytest.fixture(scope="module")
def wheel() -> Path:
    make("sdk-python")
    version = VERSION_FILE.read_text(encoding="utf-8").strip()
    path = SDK_BUILD / "python" / f"pulumi_envstack-{version}-py3-none-any.whl"
    assert path.is_file(), sorted(p.name for p in path.parent.iterdir())
    return path


@pytest.fixture(scope="module")
def python(wheel: Path) -> Path:
    """The interpreter of a fresh virtualenv with only the wheel and its dependencies installed.

    ``make sdk-python-venv`` builds it (a prerequisite of ``make test``, so
    this is a no-op there) and rebuilds it whenever the wheel changes.
    """
    make("sdk-python-venv")
    interpreter = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    assert stamp.stat().st_mtime >= wheel.stat().st_mtime, "the SDK's virtualenv is older than its wheel"
    return interpreter


def test_the_wheel_ships_the_typed_package_and_its_plugin_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {
        "pulumi_envstack/__init__.py",
        "pulumi_envstack/environment_stack.py",
        "pulumi_envstack/py.typed",
        "pulumi_envstack/pulumi-plugin.json",
    } <= names


def test_the_installed_sdk_imports_in_a_fresh_venv_as_a_remote_component(python: Path) -> None:
    probe = textwrap.dedent(
        """
        import pathlib, pulumi, pulumi_envstack
        from pulumi_envstack import EnvironmentStack, EnvironmentStackArgs
        print(pathlib.Path(pulumi_envstack.__file__).parent.parent.name)
        print(issubclass(EnvironmentStack, pulumi.ComponentResource))
        print(EnvironmentStackArgs(environment="dev", lambda_memory_mb=512).lambda_memory_mb)
        """
    )
    lines = run([str(python), "-c", probe], cwd=python.parent).stdout.split()
    assert lines == ["site-packages", "True", "512"]


def mypy(python: Path, tmp_path: Path, program: str) -> str:
    """mypy --strict on one consumer file against the fresh venv's packages; its report."""
    consumer = tmp_path / "consumer.py"
    consumer.write_text(textwrap.dedent(program), encoding="utf-8")
    (tmp_path / "mypy.ini").write_text("[mypy]\n", encoding="utf-8")
    command = [
        str(MYPY), "--strict", "--config-file", str(tmp_path / "mypy.ini"),
        "--python-executable", str(python), "--cache-dir", str(MYPY_CACHE),
        "--no-error-summary", str(consumer),
    ]  # fmt: skip
    result = run(command, cwd=tmp_path, check=False)
    if result.returncode not in (0, 1):
        raise ToolchainError(command, result)
    return result.stdout


CORRECT = """
    import pulumi
    from pulumi_envstack import EnvironmentStack, EnvironmentStackArgs

    stack = EnvironmentStack(
        "envstack",
        environment="prod",
        environment_suffix="prod",
        lambda_memory_mb=1024,
        tags={"Team": "data"},
        notification_email=pulumi.Output.secret("ops@example.com"),
    )
    other = EnvironmentStack("other", EnvironmentStackArgs(environment="dev"))
    bucket: pulumi.Output[str] = stack.bucket_name
    pulumi.export("queue_url", stack.queue_url)
    """


def test_mypy_accepts_a_correct_consumer(python: Path, tmp_path: Path) -> None:
    assert mypy(python, tmp_path, CORRECT) == ""


def test_mypy_rejects_a_wrong_argument_type(python: Path, tmp_path: Path) -> None:
    report = mypy(
        python,
        tmp_path,
        """
        from pulumi_envstack import EnvironmentStackArgs

        args = EnvironmentStackArgs(environment="dev", lambda_memory_mb="large")
        """,
    )
    assert 'consumer.py:4: error: Argument "lambda_memory_mb" to "EnvironmentStackArgs"' in report
    assert "[arg-type]" in report


def test_mypy_rejects_a_missing_environment_and_a_misspelled_output(python: Path, tmp_path: Path) -> None:
    report = mypy(
        python,
        tmp_path,
        """
        from pulumi_envstack import EnvironmentStack, EnvironmentStackArgs

        args = EnvironmentStackArgs(environment_suffix="dev")
        stack = EnvironmentStack("envstack", environment="dev")
        name = stack.bucket
        """,
    )
    assert 'consumer.py:4: error: Missing named argument "environment"' in report
    assert 'consumer.py:6: error: "EnvironmentStack" has no attribute "bucket"' in report
