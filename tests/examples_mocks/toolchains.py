"""Run Pulumi YAML's engine over the YAML example under the Go SDK's mocks, with Go's toolchain.

The harness (``yaml_engine/``) is a Go test, compiled once with ``go test -c``
and run as one process for all three stacks; each run leaves one JSON
document per stack in the record folder.
"""

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from .stack_configs import EXAMPLES

HERE = Path(__file__).resolve().parent
YAML_ENGINE = HERE / "yaml_engine"

GO_ENV = {"GOWORK": "off", "GOFLAGS": "-mod=readonly"}
"""Build from the checked-in go.mod/go.sum only; no stray workspace."""

TIMEOUT_SECONDS = 600


class ToolchainRunError(AssertionError):
    """A toolchain command failed; carries its output so the test report shows why."""

    def __init__(self, command: list[str], result: "subprocess.CompletedProcess[str]") -> None:
        super().__init__(
            f"{' '.join(command)} exited {result.returncode}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
        self.result = result


def _run(command: list[str], cwd: Path, env: Mapping[str, str]) -> "subprocess.CompletedProcess[str]":
    result = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise ToolchainRunError(command, result)
    return result


def build_go_test(module: Path, binary: Path) -> Path:
    """Compile one module's tests into ``binary`` (linked once, then run per case)."""
    binary.parent.mkdir(parents=True, exist_ok=True)
    _run(["go", "test", "-c", "-o", str(binary), "."], module, GO_ENV)
    return binary


def run_yaml_example(
    binary: Path, record_dir: Path, example_dir: Path = EXAMPLES / "yaml"
) -> "subprocess.CompletedProcess[str]":
    """An examples/yaml program through Pulumi YAML's engine under the Go SDK's mocks, every stack.

    Each stack's registrations and exports land in ``record_dir/<stack>.json``.
    """
    record_dir.mkdir(parents=True, exist_ok=True)
    env = {"ENVSTACK_RECORD_DIR": str(record_dir), "ENVSTACK_YAML_EXAMPLE_DIR": str(example_dir)}
    return _run([str(binary), "-test.count=1", "-test.v"], YAML_ENGINE, env)
