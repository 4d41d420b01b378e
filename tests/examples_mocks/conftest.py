"""Session fixtures: each example runs once per stack and pytest run, and the provider is spawned once.

The runs are shared by the whole run, its xdist workers included, because
two kinds of test read them: the per-language checks of registrations and
exports, and the cross-language Construct comparison. Every toolchain step
that can be shared (``go test -c``, ``tsc``, the Java example's Maven build)
happens once.
"""

import fcntl
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
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
    read_records,
    record_java_example,
    record_typescript_example,
    run_go_example,
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


def _record(language: str, folder: Path, yaml_engine: Path) -> None:
    """Run one language's example for every stack, each writing ``<stack>.json`` into ``folder``."""
    if language == "typescript":
        typescript_program()
        record_typescript_example(folder)
    elif language == "go":
        run_go_example(go_test_binary(EXAMPLES / "go", "go_example", ROOT / "sdk" / "go"), folder)
    elif language == "java":
        build_java_example()
        record_java_example(folder)
    elif language == "yaml":
        run_yaml_example(yaml_engine, folder)
    else:
        raise AssertionError(f"no example in {language}")


@contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (created if missing) while the block runs."""
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="session")
def shared_records(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """Where this pytest run keeps the examples' records, one folder for all its xdist workers.

    xdist gives each worker its own session, and ``--dist loadfile`` sends
    the modules that read the runs (the per-language checks and the
    Construct comparison) to different workers, which would each run every
    example again. The run's shared temporary root is new for each pytest
    run, so what is kept here is never older than the checkout it ran.
    """
    base = tmp_path_factory.getbasetemp()
    folder = (base if worker_id == "master" else base.parent) / "example-records"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def example_runs(shared_records: Path, yaml_engine_binary: Path) -> RunExample:
    """``runs(language, stack)``: the example's run under its language's mocks, made once per pytest run.

    Python runs in-process, in a moment, in each worker that asks. The
    other languages each run every stack once, in whichever worker asks
    first, which writes the records to ``shared_records``; the others wait
    on that language's lock, then read the same files.
    """
    cache: dict[tuple[str, str], ExampleRun] = {}

    def recorded(language: str) -> dict[str, ExampleRun]:
        folder = shared_records / language
        done = folder / "complete"
        with _exclusive(shared_records / f"{language}.lock"):
            if not done.is_file():
                shutil.rmtree(folder, ignore_errors=True)
                _record(language, folder, yaml_engine_binary)
                done.touch()
        return read_records(language, folder)

    def runs(language: str, stack: str) -> ExampleRun:
        if (language, stack) not in cache:
            if language == "python":
                cache[(language, stack)] = run_python_example(stack_config("python", stack))
            else:
                cache.update({(language, each): run for each, run in recorded(language).items()})
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
