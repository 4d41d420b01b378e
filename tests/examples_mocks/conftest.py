"""Session fixtures: each example runs once per stack, and the provider is spawned once.

The runs are cached for the whole session because two kinds of test read
them: the per-language checks of registrations and exports, and the
cross-language Construct comparison. Every toolchain step that can be shared
(``go test -c``, ``tsc``, the Java example's Maven build) happens once.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from envstack_testkit.provider_harness import ProviderProcess, spawn_provider

from .python_mocks import run_python_example
from .records import ExampleRun, RunExample
from .stack_configs import EXAMPLES, ROOT, STACKS, stack_config
from .toolchains import (
    TYPESCRIPT,
    TYPESCRIPT_BUILD,
    YAML_ENGINE,
    build_go_test,
    build_java_example,
    compile_typescript,
    run_go_example,
    run_java_example,
    run_typescript_example,
    run_yaml_example,
)

BUILD = ROOT / "build" / "examples_mocks"
"""Compiled Go test binaries, kept between sessions (git-ignored)."""


def _newest(paths: list[Path]) -> float:
    return max(path.stat().st_mtime for path in paths)


def go_test_binary(module: Path, name: str, *extra_sources: Path) -> Path:
    """The module's compiled test, rebuilt when a Go source (or the SDK it uses) is newer."""
    binary = BUILD / f"{name}.test"
    sources = [*module.glob("*.go"), module / "go.mod", module / "go.sum"]
    for folder in extra_sources:
        sources.extend(folder.rglob("*.go"))
    if not binary.exists() or binary.stat().st_mtime < _newest(sources):
        build_go_test(module, binary)
    return binary


def typescript_program() -> Path:
    """The compiled TypeScript example, recompiled when it or the installed SDK changed."""
    program = TYPESCRIPT_BUILD / "index.js"
    sources = [
        TYPESCRIPT / "index.ts",
        TYPESCRIPT / "tsconfig.json",
        TYPESCRIPT / "node_modules" / "@envstack" / "pulumi-envstack" / "index.d.ts",
        TYPESCRIPT / "node_modules" / "@envstack" / "pulumi-envstack" / "environmentStack.d.ts",
    ]
    if not program.exists() or program.stat().st_mtime < _newest(sources):
        compile_typescript()
    return program


@pytest.fixture(scope="session")
def yaml_engine_binary() -> Path:
    """The YAML engine harness, compiled."""
    return go_test_binary(YAML_ENGINE, "yaml_engine")


@pytest.fixture(scope="session")
def example_runs(tmp_path_factory: pytest.TempPathFactory, yaml_engine_binary: Path) -> RunExample:
    """``runs(language, stack)``: the example's run under its language's mocks, made once."""
    cache: dict[tuple[str, str], ExampleRun] = {}
    compiled: list[str] = []

    def runs(language: str, stack: str) -> ExampleRun:
        if (language, stack) in cache:
            return cache[(language, stack)]
        if language == "python":
            cache[(language, stack)] = run_python_example(stack_config("python", stack))
        elif language == "typescript":
            if not compiled:
                typescript_program()
                compiled.append("typescript")
            cache[(language, stack)] = run_typescript_example(stack_config("typescript", stack))
        elif language == "go":
            binary = go_test_binary(EXAMPLES / "go", "go_example", ROOT / "sdk" / "go")
            for each, run in run_go_example(binary, tmp_path_factory.mktemp("go-runs")).items():
                cache[(language, each)] = run
        elif language == "java":
            if "java" not in compiled:
                build_java_example()
                compiled.append("java")
            cache[(language, stack)] = run_java_example(stack_config("java", stack))
        elif language == "yaml":
            for each, run in run_yaml_example(
                yaml_engine_binary, tmp_path_factory.mktemp("yaml-runs")
            ).items():
                cache[(language, each)] = run
        else:
            raise AssertionError(f"no example in {language}")
        return cache[(language, stack)]

    return runs


@pytest.fixture(scope="session")
def provider() -> Iterator[ProviderProcess]:
    """The real provider plugin, spawned as the engine spawns it, shared by every Construct."""
    with spawn_provider() as process:
        yield process


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    """Each of the examples' stacks."""
    return str(request.param)
