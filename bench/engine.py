"""Real-engine benchmarks: what the component and the policy pack add to a `pulumi preview`.

Each compares two previews run by the pinned Pulumi CLI (``make engine``) in
the same run, alternately, as medians and their ratio:

- the component against raw YAML: examples/yaml's ``EnvironmentStack`` for dev
  against the same 21 pulumi-aws resources declared directly
  (``bench.engine_programs.raw_program``), where the engine starts no
  envstack plugin and calls no Construct. No Python plugin can meet a goal
  here (the raw side runs no Python at all), so the ratio is printed without
  one; the next two rows say where the difference goes;
- the component against raw YAML plus one cold start of the plugin's Python
  and imports;
- the component against a bare Python component provider
  (``bench/floor/component``): the program a user would write from Pulumi's
  Python component template, served the same way, so both sides pay the
  same start-up and what is left is envstack's own work;
- growth: 1, 10 and 50 ``EnvironmentStack`` s in one program against as many
  raw sets;
- the pack: the same component preview with ``--policy-pack`` against
  without, and against the same preview with a pack of one policy that
  accepts everything (``bench/floor/policy``), which pays the interpreter and
  the Pulumi SDK as envstack's pack does.

Before a component is timed against a floor, ``check_same_resources``
previews both with ``--json`` and compares every cloud resource they plan
(type, name and inputs); a floor that plans less would make the ratio
flattering and meaningless. Those two previews are also each side's warm-up.

Every program pins its plugins' versions (examples/yaml envstack's, the raw
programs pulumi-aws's, the bare program the bare provider's), as a user's
program should: with a version the engine caches each schema after the first
preview and stops starting a plugin only to read it, so neither side pays for
a schema load the other is spared.

Each timing is one whole ``pulumi preview`` process tree, from spawn to exit;
its CPU time is the tree's (the CLI, the language host and every plugin),
read from the children's resource usage.
"""

import os
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import yaml

from envstack_testkit import engine

from . import engine_programs
from .engine_programs import STACK
from .harness import Comparison, Timing, compare

PLUGIN_PYTHON = engine.ROOT / ".venv" / "bin" / "python"
"""The interpreter ``pulumi-resource-envstack`` runs on."""
PLUGIN_IMPORTS = "import envstack_provider.provider, envstack_provider.children"
"""What the plugin imports before its first child registers: Pulumi's SDK and the pulumi-aws modules."""
GROWTH_SIZES = (1, 10, 50)
"""How many environments one program of the growth rows declares."""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_preview(workspace: engine.Workspace, *args: str) -> Callable[[], Timing]:
    """One ``pulumi preview`` of a prepared workspace, failing loudly if the preview fails."""

    def run() -> Timing:
        wall, cpu = time.perf_counter(), _children_cpu()
        workspace.run("preview", *args).check()
        return Timing(time.perf_counter() - wall, _children_cpu() - cpu)

    return run


def floor_pins_the_installed_pulumi_aws(project: Mapping[str, Any]) -> None:
    """Fail unless every resource of a raw floor pins the pulumi-aws the stand-in reports.

    A stale pin would still preview (the engine uses the plugin on PATH
    whatever the version), but then the floor is no longer the program a
    user of this pulumi-aws would write.
    """
    installed = engine_programs.pulumi_aws_version()
    stale = sorted(
        name
        for name, spec in project["resources"].items()
        if (spec.get("options") or {}).get("version") != installed
    )
    if stale:
        raise ValueError(f"raw floor: pin version {installed} on {', '.join(stale)}")


class FloorMismatchError(AssertionError):
    """A floor's preview does not plan what the component's plans."""


def _comparable(value: Any) -> Any:
    """Inputs without what differs by run and not by program: an asset's recorded path stays, its hash too."""
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items() if key != "__defaults"}
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    return value


def planned_resources(run: engine.Run) -> dict[tuple[str, str], Any]:
    """Every cloud resource a ``preview --json`` plans, by (type, name), with its inputs.

    The stack, the providers and components (any type outside ``aws:``) are
    left out: they are what differs between the sides by design.
    """
    found: dict[tuple[str, str], Any] = {}
    for step in engine.preview_steps(run.check()):
        state = step.get("newState") or {}
        type_token = str(state.get("type", ""))
        if not type_token.startswith("aws:"):
            continue
        found[(type_token, str(step["urn"]).rsplit("::", 1)[-1])] = _comparable(state.get("inputs") or {})
    return found


def compare_planned(ours: Mapping[tuple[str, str], Any], floor: Mapping[tuple[str, str], Any]) -> int:
    """Raise unless both previews plan the same resources with the same inputs; return how many."""
    if ours.keys() != floor.keys():
        missing = sorted(set(ours) - set(floor))
        extra = sorted(set(floor) - set(ours))
        raise FloorMismatchError(f"floor differs: missing {missing}, extra {extra}")
    for key, inputs in ours.items():
        if floor[key] != inputs:
            differing = sorted(
                name for name in set(inputs) | set(floor[key]) if inputs.get(name) != floor[key].get(name)
            )
            raise FloorMismatchError(
                f"floor gives {key} other inputs ({', '.join(differing)}): "
                f"{ {k: floor[key].get(k) for k in differing} } != { {k: inputs.get(k) for k in differing} }"
            )
    return len(ours)


def check_same_resources(ours: engine.Workspace, floor: engine.Workspace) -> int:
    """Preview both sides once with ``--json``; raise unless they plan the same cloud resources."""
    return compare_planned(planned_resources(ours.preview()), planned_resources(floor.preview()))


@contextmanager
def generated_workspace(
    project: Mapping[str, Any],
    *,
    stack_config: Mapping[str, Any] | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[engine.Workspace]:
    """A workspace of a generated program, with stack dev initialized."""
    with tempfile.TemporaryDirectory(prefix="envstack-bench-program-") as source:
        engine_programs.write_program(project, Path(source), stack_config)
        workspace = engine.Workspace(Path(source), extra_env=dict(extra_env or {}))
    with workspace:
        workspace.init_stack(STACK)
        yield workspace


@contextmanager
def example_workspace(extra_env: Mapping[str, str] | None = None) -> Iterator[engine.Workspace]:
    """A copy of examples/yaml with stack dev initialized."""
    with engine.Workspace(engine.YAML_EXAMPLE, extra_env=dict(extra_env or {})) as workspace:
        workspace.init_stack(STACK)
        yield workspace


def example_stack_config() -> dict[str, Any]:
    """examples/yaml's dev settings, which the raw floor of the example spells out."""
    config: dict[str, Any] = yaml.safe_load((engine.YAML_EXAMPLE / f"Pulumi.{STACK}.yaml").read_text())[
        "config"
    ]
    return config


def example_raw_program() -> dict[str, Any]:
    """The raw floor of examples/yaml's dev stack: its one environment, named and suffixed as there."""
    config = example_stack_config()
    project = engine_programs.raw_program(1, [("envstack", str(config["pulumi-infra:environmentSuffix"]))])
    floor_pins_the_installed_pulumi_aws(project)
    return project


@contextmanager
def component_and_raw() -> Iterator[tuple[engine.Workspace, engine.Workspace]]:
    """examples/yaml and its raw floor, fresh copies with stack dev, after checking they plan the same."""
    with example_workspace() as component, generated_workspace(example_raw_program()) as raw:
        check_same_resources(component, raw)
        yield component, raw


def component_against_raw(repeats: int) -> Comparison:
    """Preview of the component's stack against the same resources declared directly."""
    with component_and_raw() as (component, raw):
        return compare(timed_preview(component), timed_preview(raw), repeats=repeats, warmup=0)


def python_start_and_imports() -> Timing:
    """One fresh interpreter importing what the plugin needs before Construct registers a child."""
    wall, cpu = time.perf_counter(), _children_cpu()
    subprocess.run([str(PLUGIN_PYTHON), "-c", PLUGIN_IMPORTS], check=True)
    return Timing(time.perf_counter() - wall, _children_cpu() - cpu)


def component_against_raw_and_python(repeats: int) -> Comparison:
    """The component's preview against raw YAML's plus the Python start no Python plugin can skip.

    The raw floor runs no Python at all, so the first row's ratio also counts
    the interpreter, Pulumi's Python SDK and pulumi-aws's modules. This floor
    adds one cold start of exactly those (``PLUGIN_IMPORTS``), timed in the
    same round, so what is left over the floor is the component's own work:
    its validation, its 21 registrations and the plugin's gRPC round trips.
    """
    with component_and_raw() as (component, raw):
        preview_raw = timed_preview(raw)

        def floor() -> Timing:
            yaml_run, python_run = preview_raw(), python_start_and_imports()
            return Timing(yaml_run.wall + python_run.wall, (yaml_run.cpu or 0) + (python_run.cpu or 0))

        return compare(timed_preview(component), floor, repeats=repeats, warmup=0)


BARE_PLUGIN = "pulumi-resource-bare"
FLOOR_PACK_DIR = Path(__file__).resolve().parent / "floor" / "policy"
"""A pack of one policy that accepts everything (the policy cold start's floor)."""


def _python_executable(path: Path, script: Path, comment: str) -> Path:
    """An executable running ``script`` as ``__main__`` on the plugins' interpreter, like a console script."""
    run = f"runpy.run_path({str(script)!r}, run_name='__main__')"
    path.write_text(f"#!{PLUGIN_PYTHON}\n# {comment}\nimport runpy\n{run}\n")
    path.chmod(0o755)
    return path


def write_bare_plugin(directory: Path) -> Path:
    """Put the bare provider on a PATH folder as an executable plugin, as pip puts envstack's.

    ``pulumi-resource-envstack`` is a console script: the plugin's interpreter
    in its shebang, importing the provider and serving. This is the same for
    ``bench/floor/component``: the same interpreter, running its
    ``__main__.py`` as the template's plugin runs.
    """
    return _python_executable(
        directory / BARE_PLUGIN,
        engine_programs.BARE_PROVIDER / "__main__.py",
        "The bare component provider of make bench (bench/floor/component), never on a user's PATH.",
    )


@contextmanager
def component_and_bare() -> Iterator[tuple[engine.Workspace, engine.Workspace]]:
    """examples/yaml and the same program on the bare provider, both with it on PATH, checked alike."""
    with ExitStack() as stack:
        plugins = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="envstack-bench-bare-")))
        write_bare_plugin(plugins)
        env = {"PATH": os.pathsep.join([str(plugins), engine.engine_path()])}
        source = plugins / "program"
        shutil.copytree(engine.YAML_EXAMPLE, source, ignore=shutil.ignore_patterns("node_modules", "sdks"))
        engine_programs.write_program(engine_programs.bare_program(), source, example_stack_config())
        component = stack.enter_context(example_workspace(env))
        bare = stack.enter_context(engine.Workspace(source, extra_env=env))
        bare.init_stack(STACK)
        check_same_resources(component, bare)
        yield component, bare


def component_against_bare_provider(repeats: int) -> Comparison:
    """The component's preview against the bare Python component provider's, both served by the engine."""
    with component_and_bare() as (component, bare):
        return compare(timed_preview(component), timed_preview(bare), repeats=repeats, warmup=0)


def growth(repeats: int, large_repeats: int, sizes: tuple[int, ...] = GROWTH_SIZES) -> dict[int, Comparison]:
    """N ``EnvironmentStack`` s against N raw sets, for each N, each pair checked before timing.

    The largest size takes minutes per preview on a loaded machine, so it gets ``large_repeats`` runs.
    """
    results = {}
    for count in sizes:
        runs = large_repeats if count == max(sizes) else repeats
        raw = engine_programs.raw_program(count)
        floor_pins_the_installed_pulumi_aws(raw)
        with (
            generated_workspace(engine_programs.component_program(count)) as ours,
            generated_workspace(raw) as floor,
        ):
            check_same_resources(ours, floor)
            results[count] = compare(timed_preview(ours), timed_preview(floor), repeats=runs, warmup=0)
    return results


BARE_GROWTH_SIZE = 10
"""The size at which the growth rows also compare the component with the bare provider."""


def growth_against_bare(repeats: int, count: int = BARE_GROWTH_SIZE) -> Comparison:
    """N ``EnvironmentStack`` s against N bare components in one program, both served by the engine.

    Raw YAML's growth has no Python in it; this says how much of the
    component's own growth any Python component provider shares.
    """
    with ExitStack() as stack:
        plugins = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="envstack-bench-bare-")))
        write_bare_plugin(plugins)
        env = {"PATH": os.pathsep.join([str(plugins), engine.engine_path()])}
        ours = stack.enter_context(
            generated_workspace(engine_programs.component_program(count), extra_env=env)
        )
        bare_project = engine_programs.on_bare_provider(engine_programs.component_program(count))
        bare = stack.enter_context(generated_workspace(bare_project, extra_env=env))
        check_same_resources(ours, bare)
        return compare(timed_preview(ours), timed_preview(bare), repeats=repeats, warmup=0)


def pack_against_none(repeats: int) -> Comparison:
    """Preview of the component's stack with the policy pack against without it."""
    with example_workspace() as workspace:
        with_pack = timed_preview(workspace, "--policy-pack", engine.policy_pack_argument())
        return compare(with_pack, timed_preview(workspace), repeats=repeats)


def pack_against_floor_pack(repeats: int) -> Comparison:
    """Preview with envstack's pack against the same preview with a pack of one policy that accepts all.

    Both packs are executables started by the engine, on the same interpreter,
    so both pay the interpreter, pulumi-policy and the Pulumi SDK: the ratio
    is what envstack's own modules and 27 policies add to a preview.
    """
    with (
        tempfile.TemporaryDirectory(prefix="envstack-bench-pack-") as folder,
        example_workspace() as workspace,
    ):
        floor_pack = _python_executable(
            Path(folder) / "floor-policy-pack",
            FLOOR_PACK_DIR / "__main__.py",
            "The one-policy pack of make bench (bench/floor/policy), as an executable analyzer.",
        )
        ours = timed_preview(workspace, "--policy-pack", str(engine.POLICY_EXECUTABLE))
        return compare(ours, timed_preview(workspace, "--policy-pack", str(floor_pack)), repeats=repeats)
