"""Run the Node, Go, Java and YAML examples under their own language's mocks, with that language's toolchain.

Each run leaves one JSON document per stack (see ``records``). The Go
example and the YAML engine are Go tests, compiled once with ``go test -c``
and run as one process for all three stacks; the TypeScript example is compiled
by ``tsc`` and run by a small Node script that installs
``pulumi.runtime.setMocks`` before loading the program, once per stack, as
the Node language host runs one program per process. The Java example is
compiled by Maven (``make examples-deps``) and run, once per stack, by a small
Java runner under Pulumi Java's own mock engine and monitor.
"""

import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from .records import ExampleRun, from_file
from .stack_configs import EXAMPLES, ROOT, STACKS, StackConfig, project, stack_config

HERE = Path(__file__).resolve().parent
YAML_ENGINE = HERE / "yaml_engine"
NODE_RUNNER = HERE / "node" / "run_with_mocks.js"
TYPESCRIPT = EXAMPLES / "typescript"
TYPESCRIPT_BUILD = TYPESCRIPT / "bin"
"""Where ``tsc -p examples/typescript`` writes the compiled program (git-ignored)."""
JAVA_CLASSPATH = ROOT / "build" / "examples_mocks" / "java.classpath"
"""The mocks runner, the example's classes and their dependencies, written by ``make examples-deps``."""

JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1",)
"""The JVM compiles with its quick C1 compiler only: a run lasts about a second, too short for C2's
optimised code to pay back its compiling, which was a third of each run's CPU. It changes how
fast the bytecode runs, never what it does."""

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


def run_go_test(
    binary: Path, module: Path, record_dir: Path, extra_env: Mapping[str, str] | None = None
) -> "subprocess.CompletedProcess[str]":
    """Run a compiled Go test in its module's folder; it writes ``<stack>.json`` into ``record_dir``."""
    record_dir.mkdir(parents=True, exist_ok=True)
    env = {"ENVSTACK_RECORD_DIR": str(record_dir), **(extra_env or {})}
    return _run([str(binary), "-test.count=1", "-test.v"], module, env)


def read_records(language: str, record_dir: Path) -> dict[str, ExampleRun]:
    """The per-stack documents a Go or YAML run wrote."""
    runs = {stack: from_file(record_dir / f"{stack}.json") for stack in STACKS}
    for stack, run in runs.items():
        if (run.language, run.stack) != (language, stack):
            raise AssertionError(f"{record_dir}/{stack}.json holds {run.language}/{run.stack}")
    return runs


def run_go_example(binary: Path, record_dir: Path) -> dict[str, ExampleRun]:
    """examples/go under ``pulumi.RunErr`` with ``pulumi.WithMocks``, every stack."""
    run_go_test(binary, EXAMPLES / "go", record_dir)
    return read_records("go", record_dir)


def run_yaml_example(
    binary: Path, record_dir: Path, example_dir: Path = EXAMPLES / "yaml"
) -> dict[str, ExampleRun]:
    """An examples/yaml program through the real Pulumi YAML engine under the Go SDK's mocks, every stack."""
    run_go_test(binary, YAML_ENGINE, record_dir, {"ENVSTACK_YAML_EXAMPLE_DIR": str(example_dir)})
    return read_records("yaml", record_dir)


def compile_typescript() -> None:
    """Type-check and compile the example against the SDK's declarations."""
    _run(["npx", "--no-install", "tsc", "-p", "."], TYPESCRIPT, {})


def _last_line(result: "subprocess.CompletedProcess[str]") -> str:
    """The JSON document a runner prints last, after whatever the program logged."""
    return result.stdout.strip().splitlines()[-1]


def _typescript_document(config: StackConfig) -> str:
    env = {
        "PULUMI_CONFIG": json.dumps(config.pulumi_config()),
        "ENVSTACK_PROJECT": str(project("typescript")["name"]),
        "ENVSTACK_STACK": config.stack,
        "ENVSTACK_PROGRAM": str(TYPESCRIPT_BUILD / "index.js"),
    }
    return _last_line(_run(["node", str(NODE_RUNNER)], ROOT, env))


def record_typescript_example(record_dir: Path) -> dict[str, ExampleRun]:
    """The compiled TypeScript example for every stack, one Node process each, written as ``<stack>.json``."""
    record_dir.mkdir(parents=True, exist_ok=True)
    for stack in STACKS:
        (record_dir / f"{stack}.json").write_text(_typescript_document(stack_config("typescript", stack)))
    return read_records("typescript", record_dir)


def build_java_example() -> None:
    """Bring the example's Maven build and the compiled runner up to date (make skips it when they are)."""
    _run(["make", "--no-print-directory", "build/examples_mocks/java.stamp"], ROOT, {})


def _java_document(config: StackConfig) -> str:
    env = {
        "PULUMI_CONFIG": json.dumps(config.pulumi_config()),
        "ENVSTACK_PROJECT": str(project("java")["name"]),
        "ENVSTACK_STACK": config.stack,
    }
    classpath = JAVA_CLASSPATH.read_text(encoding="utf-8").strip()
    return _last_line(_run(["java", *JAVA_OPTIONS, "-cp", classpath, "RunWithMocks"], ROOT, env))


def record_java_example(record_dir: Path) -> dict[str, ExampleRun]:
    """The Java example for every stack, one JVM each, written as ``<stack>.json``."""
    record_dir.mkdir(parents=True, exist_ok=True)
    for stack in STACKS:
        (record_dir / f"{stack}.json").write_text(_java_document(stack_config("java", stack)))
    return read_records("java", record_dir)
