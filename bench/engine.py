"""Real-engine benchmarks: what the component and the policy pack add to a `pulumi preview`.

Both compare two previews run by the pinned Pulumi CLI (``make engine``) in
the same run, alternately, as medians and their ratio:

- the component: examples/yaml's ``EnvironmentStack`` for dev against
  ``bench/engine_raw``, the same 18 pulumi-aws resources with the same names
  and settings declared directly in YAML (the engine then starts no envstack
  plugin and calls no Construct);
- the pack: the same component preview with ``--policy-pack`` against without.

Each timing is one whole ``pulumi preview`` process tree, from spawn to exit;
its CPU time is the tree's (the CLI, the language host and every plugin),
read from the children's resource usage.
"""

import resource
import time
from collections.abc import Callable
from pathlib import Path

from envstack_testkit import engine

from .harness import Comparison, Timing, compare

RAW_PROGRAM = Path(__file__).resolve().parent / "engine_raw"
STACK = "dev"


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


def component_against_raw(repeats: int) -> Comparison:
    """Preview of the component's stack against the same resources declared directly."""
    with engine.Workspace(engine.YAML_EXAMPLE) as component, engine.Workspace(RAW_PROGRAM) as raw:
        component.init_stack(STACK)
        raw.init_stack(STACK)
        return compare(timed_preview(component), timed_preview(raw), repeats=repeats)


def pack_against_none(repeats: int) -> Comparison:
    """Preview of the component's stack with the policy pack against without it."""
    with engine.Workspace(engine.YAML_EXAMPLE) as workspace:
        workspace.init_stack(STACK)
        with_pack = timed_preview(workspace, "--policy-pack", engine.policy_pack_argument())
        return compare(with_pack, timed_preview(workspace), repeats=repeats)
