"""Real-engine benchmarks: what the component and the policy pack add to a `pulumi preview`.

Both compare two previews run by the pinned Pulumi CLI (``make engine``) in
the same run, alternately, as medians and their ratio:

- the component: examples/yaml's ``EnvironmentStack`` for dev against
  ``bench/engine_raw``, the same 18 pulumi-aws resources with the same names
  and settings declared directly in YAML (the engine then starts no envstack
  plugin and calls no Construct);
- the pack: the same component preview with ``--policy-pack`` against without.

Both programs pin their plugin's version (examples/yaml envstack's,
``bench/engine_raw`` pulumi-aws's), as a user's program should: with a version
the engine caches each schema after the first preview and stops starting a
plugin only to read it, so neither side pays for a schema load the other is
spared.

Each timing is one whole ``pulumi preview`` process tree, from spawn to exit;
its CPU time is the tree's (the CLI, the language host and every plugin),
read from the children's resource usage.
"""

import importlib.metadata
import resource
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from envstack_testkit import engine

from .harness import Comparison, Timing, compare

RAW_PROGRAM = Path(__file__).resolve().parent / "engine_raw"
STACK = "dev"
PLUGIN_PYTHON = engine.ROOT / ".venv" / "bin" / "python"
"""The interpreter ``pulumi-resource-envstack`` runs on."""
PLUGIN_IMPORTS = "import envstack_provider.provider, envstack_provider.children"
"""What the plugin imports before its first child registers: Pulumi's SDK and the pulumi-aws modules."""


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


def floor_pins_the_installed_pulumi_aws(program: Path = RAW_PROGRAM) -> None:
    """Fail unless every resource of the floor pins the pulumi-aws the stand-in reports.

    A stale pin would still preview (the engine uses the plugin on PATH
    whatever the version), but then the floor is no longer the program a
    user of this pulumi-aws would write.
    """
    installed = importlib.metadata.version("pulumi-aws")
    resources = yaml.safe_load((program / "Pulumi.yaml").read_text())["resources"]
    stale = sorted(
        name for name, spec in resources.items() if (spec.get("options") or {}).get("version") != installed
    )
    if stale:
        raise ValueError(f"{program}/Pulumi.yaml: pin version {installed} on {', '.join(stale)}")


@contextmanager
def component_and_raw() -> Iterator[tuple[engine.Workspace, engine.Workspace]]:
    """examples/yaml and the floor, each a fresh copy with stack dev, after checking the floor's pins."""
    floor_pins_the_installed_pulumi_aws()
    with engine.Workspace(engine.YAML_EXAMPLE) as component, engine.Workspace(RAW_PROGRAM) as raw:
        component.init_stack(STACK)
        raw.init_stack(STACK)
        yield component, raw


def component_against_raw(repeats: int) -> Comparison:
    """Preview of the component's stack against the same resources declared directly."""
    with component_and_raw() as (component, raw):
        return compare(timed_preview(component), timed_preview(raw), repeats=repeats)


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
    its validation, its 18 registrations and the plugin's gRPC round trips.
    """
    with component_and_raw() as (component, raw):
        preview_raw = timed_preview(raw)

        def floor() -> Timing:
            yaml_run, python_run = preview_raw(), python_start_and_imports()
            return Timing(yaml_run.wall + python_run.wall, (yaml_run.cpu or 0) + (python_run.cpu or 0))

        return compare(timed_preview(component), floor, repeats=repeats)


def pack_against_none(repeats: int) -> Comparison:
    """Preview of the component's stack with the policy pack against without it."""
    with engine.Workspace(engine.YAML_EXAMPLE) as workspace:
        workspace.init_stack(STACK)
        with_pack = timed_preview(workspace, "--policy-pack", engine.policy_pack_argument())
        return compare(with_pack, timed_preview(workspace), repeats=repeats)
