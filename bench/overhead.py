"""Component overhead: N ``EnvironmentStack`` s against the same resources written raw.

Both programs run under the same Pulumi mocks (``envstack_testkit.recording``),
so what differs is only what the component adds on top of pulumi-aws: input
validation, the component's own registration, parenting and its registered
outputs. Before any timing, ``check_same_resources`` runs both programs once
and compares every cloud resource they register; a floor that registers less
than the component would make the ratio flattering and meaningless.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi

from envstack_provider import EnvironmentStack
from envstack_testkit.recording import Recording, run_program

from .harness import Basis, Comparison, compare, timed
from .raw_stack import create_raw_environment

SIZES = (1, 10, 100)
"""How many environments one program registers."""


def _suffix(index: int) -> str:
    return f"bench-{index}"


def component_program(count: int) -> Callable[[], Any]:
    """A program that creates ``count`` dev environments through the component."""

    def program() -> None:
        for index in range(count):
            EnvironmentStack(f"env{index}", {"environment": "dev", "environment_suffix": _suffix(index)})

    return program


def raw_program(count: int) -> Callable[[], Any]:
    """A program that creates the same resources directly, without the component."""

    def program() -> None:
        for index in range(count):
            create_raw_environment(f"env{index}", _suffix(index))

    return program


def _comparable(value: Any) -> Any:
    """Inputs with assets and archives turned into what they contain (they compare by identity)."""
    if isinstance(value, pulumi.AssetArchive):
        return {"archive": {key: _comparable(item) for key, item in value.assets.items()}}
    if isinstance(value, pulumi.FileAsset):
        return {"file": value.path}
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    return value


def resources_of(recording: Recording) -> dict[tuple[str, str], Any]:
    """Every cloud resource a recorded program registered, by (type, name), with comparable inputs."""
    return {(r.type, r.name): _comparable(dict(r.inputs)) for r in recording.custom()}


class FloorMismatchError(AssertionError):
    """The raw program does not register what the component registers."""


def check_same_resources(count: int = 2) -> int:
    """Run both programs once; raise unless they register the same cloud resources and inputs.

    Returns how many cloud resources one environment has, for the report.
    """
    ours = resources_of(run_program(component_program(count)))
    floor = resources_of(run_program(raw_program(count)))
    if ours.keys() != floor.keys():
        missing = sorted(set(ours) - set(floor))
        extra = sorted(set(floor) - set(ours))
        raise FloorMismatchError(f"raw floor differs: missing {missing}, extra {extra}")
    for key, inputs in ours.items():
        if floor[key] != inputs:
            raise FloorMismatchError(f"raw floor gives {key} other inputs: {floor[key]} != {inputs}")
    return len(ours) // count


@dataclass(frozen=True)
class OverheadResult:
    """One size: the interleaved timings of both programs."""

    environments: int
    comparison: Comparison


def measure(count: int, repeats: int, warmup: int = 1, *, pause_gc: bool = False) -> OverheadResult:
    """Time ``run_program`` of both programs, alternating, ``repeats`` times each.

    The result is judged on CPU time: both programs run entirely in this
    process, so CPU time is their cost without the neighbours' load (the
    wall times are kept too, for the JSON file). ``pause_gc`` runs both with
    Python's cyclic garbage collector paused, to tell its share of the growth
    from the programs' own.
    """
    comparison = compare(
        timed(lambda: run_program(component_program(count)), pause_gc=pause_gc),
        timed(lambda: run_program(raw_program(count)), pause_gc=pause_gc),
        repeats=repeats,
        warmup=warmup,
    )
    return OverheadResult(count, comparison.on(Basis.CPU))
