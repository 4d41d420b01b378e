"""Real-engine benchmarks on moto: what the component adds to `pulumi up` and `pulumi destroy`.

Both sides are one whole CLI run by the pinned engine, onto one moto server
through the stand-in AWS plugin's moto-backed mode, so each creates and
deletes the same 21 resources with the same AWS calls:

- ours: examples/yaml's ``EnvironmentStack`` for dev (the engine starts the
  envstack plugin, which registers the 21 children);
- the floor: the same 21 resources with the same names and settings
  declared directly in YAML (``bench.engine.example_raw_program``).

The two programs name the same physical resources, so they never exist at
once: each round runs ``up`` then ``destroy`` of one side, then of the other,
the order flipping every round, and both commands are timed. Each timing is
the whole process tree, from spawn to exit (CPU: the CLI, the language host
and every plugin); moto's own work is in neither CPU figure, only in the
wall times, equally on both sides.
"""

import resource
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

from envstack_testkit import engine
from envstack_testkit.children import CHILDREN_WITH_EMAIL
from envstack_testkit.engine_moto import credentials, point_at_moto
from envstack_testkit.moto_server import moto_server

from .engine import example_raw_program, example_workspace, generated_workspace
from .engine_programs import STACK
from .harness import Comparison, Row, Samples, Timing, comparison_row, no_goal, not_measured

UP_GOAL = no_goal("real engine on moto: the component's up against raw YAML's; issue 19 asks for the ratio")
DESTROY_GOAL = no_goal("real engine on moto: the component's destroy against raw YAML's")
FLOOR = (
    f"the same {CHILDREN_WITH_EMAIL} pulumi-aws resources declared in YAML (bench/engine_programs.py),"
    " onto the same moto"
)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(run: Callable[[], engine.Run]) -> Timing:
    wall, cpu = time.perf_counter(), _children_cpu()
    run().check()
    return Timing(time.perf_counter() - wall, _children_cpu() - cpu)


@contextmanager
def _stacks_on_moto() -> Iterator[tuple[engine.Workspace, engine.Workspace]]:
    """examples/yaml and the floor, stack dev on each, both pointed at one fresh moto server."""
    with ExitStack() as stack:
        moto = stack.enter_context(moto_server())
        component = stack.enter_context(example_workspace(extra_env=credentials()))
        raw = stack.enter_context(generated_workspace(example_raw_program(), extra_env=credentials()))
        for workspace in (component, raw):
            point_at_moto(workspace, STACK, moto)
        yield component, raw


def up_and_destroy(repeats: int, warmup: int = 1) -> tuple[Comparison, Comparison]:
    """``up`` and ``destroy`` of the component against the floor, alternately; (up, destroy) comparisons."""
    ups: dict[str, list[Timing]] = {"ours": [], "floor": []}
    destroys: dict[str, list[Timing]] = {"ours": [], "floor": []}
    with _stacks_on_moto() as (component, raw):
        sides = {"ours": component, "floor": raw}
        for round_number in range(warmup + repeats):
            order = ("ours", "floor") if round_number % 2 == 0 else ("floor", "ours")
            for side in order:
                workspace = sides[side]
                up, destroy = _timed(workspace.up), _timed(workspace.destroy)
                if round_number >= warmup:
                    ups[side].append(up)
                    destroys[side].append(destroy)
    return (
        Comparison(Samples(tuple(ups["ours"])), Samples(tuple(ups["floor"]))),
        Comparison(Samples(tuple(destroys["ours"])), Samples(tuple(destroys["floor"]))),
    )


def rows(repeats: int) -> list[Row]:
    """The two rows; a run that fails becomes two ``not measured`` rows that say why."""
    up_name = "real engine on moto: pulumi up of EnvironmentStack (dev)"
    destroy_name = "real engine on moto: pulumi destroy of EnvironmentStack (dev)"
    try:
        up, destroy = up_and_destroy(repeats)
    except Exception as error:  # noqa: BLE001 - a failed benchmark must not hide the others
        reason = f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
        return [not_measured(up_name, UP_GOAL, reason), not_measured(destroy_name, DESTROY_GOAL, reason)]
    return [
        comparison_row(up_name, UP_GOAL, up, FLOOR),
        comparison_row(destroy_name, DESTROY_GOAL, destroy, FLOOR),
    ]
