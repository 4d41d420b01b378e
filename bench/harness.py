"""Repeated runs, medians, ratios, the results table and its JSON copy.

This machine is shared and noisy, so one timing says little. Every benchmark
here is run several times, each side (ours and its floor) alternately so
that a burst of load from a neighbour hits both, and reported as the median
of the runs plus the ratio of the two medians. A ratio taken within one run
survives a slow machine; an absolute time does not, which is why absolute
goals (seconds) are few and ratios are the rule.
"""

import gc
import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple


class Basis(Enum):
    """Which clock a measurement is judged on.

    Wall time is what a user waits for, and the right measure for anything
    that spawns processes or waits on sockets. CPU time is what a computation
    costs regardless of what else runs: for work done entirely inside this
    process (the component under mocks) it equals the wall time of an idle
    machine, and it does not swing with the neighbours' load.
    """

    WALL = "wall"
    CPU = "cpu"


class Timing(NamedTuple):
    """One run: its wall time and, where known, the CPU time it used, in seconds."""

    wall: float
    cpu: float | None = None


@dataclass(frozen=True)
class Samples:
    """Repeated runs of one thing, judged on one clock."""

    runs: tuple[Timing, ...]
    basis: Basis = Basis.WALL

    def __post_init__(self) -> None:
        if not self.runs:
            raise ValueError("a measurement needs at least one run")
        if self.basis is Basis.CPU and any(run.cpu is None for run in self.runs):
            raise ValueError("CPU time was not measured for every run")

    @classmethod
    def of_wall(cls, seconds: Iterable[float]) -> "Samples":
        """Wall times measured elsewhere (another owner's benchmark function)."""
        return cls(tuple(Timing(value) for value in seconds))

    @property
    def seconds(self) -> tuple[float, ...]:
        """Each run's time on this measurement's clock."""
        if self.basis is Basis.CPU:
            return tuple(float(run.cpu or 0.0) for run in self.runs)
        return tuple(run.wall for run in self.runs)

    @property
    def median(self) -> float:
        """The median run: robust to the odd run a neighbour slowed down."""
        return float(statistics.median(self.seconds))

    def on(self, basis: Basis) -> "Samples":
        """The same runs judged on another clock."""
        return replace(self, basis=basis)

    def scaled(self, factor: float) -> "Samples":
        """Every run multiplied by ``factor``: a smaller size extrapolated linearly."""
        return replace(
            self,
            runs=tuple(
                Timing(run.wall * factor, None if run.cpu is None else run.cpu * factor) for run in self.runs
            ),
        )

    def as_dict(self) -> dict[str, Any]:
        """The median and every run on both clocks, for the JSON file."""
        return {
            "basis": self.basis.value,
            "median_s": self.median,
            "wall_runs_s": [run.wall for run in self.runs],
            "cpu_runs_s": [run.cpu for run in self.runs],
        }


Timed = Callable[[], Timing]
"""One run of a benchmark that returns the time of the part that counts.

A cold start, for instance, counts from spawn until the first answer and not
the shutdown after it, so it measures itself; most benchmarks count the
whole call and are wrapped with ``timed``.
"""


def timed(action: Callable[[], object], *, pause_gc: bool = False) -> Timed:
    """Wrap ``action`` so that one run returns its wall time and this process's CPU time.

    A full garbage collection runs first, off the clock, so that garbage left
    by the previous run (thousands of Pulumi objects) is not billed to this one.
    ``pause_gc`` keeps Python's cyclic collector off during the run: not how
    users run, but it shows how much of a run's growth is the collector's.
    """

    def run() -> Timing:
        gc.collect()
        if pause_gc:
            gc.disable()
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            action()
            return Timing(time.perf_counter() - wall, time.process_time() - cpu)
        finally:
            if pause_gc:
                gc.enable()
                gc.collect()

    return run


def repeat(run: Timed, repeats: int, warmup: int = 1) -> Samples:
    """Run ``warmup`` times and discard those, then keep ``repeats`` timed runs."""
    for _ in range(warmup):
        run()
    return Samples(tuple(run() for _ in range(repeats)))


@dataclass(frozen=True)
class Comparison:
    """Ours and its floor, measured in the same run."""

    ours: Samples
    floor: Samples

    @property
    def ratio(self) -> float:
        """Median of ours over median of the floor."""
        return self.ours.median / self.floor.median

    def on(self, basis: Basis) -> "Comparison":
        """Both sides judged on another clock."""
        return Comparison(self.ours.on(basis), self.floor.on(basis))


def compare(ours: Timed, floor: Timed, repeats: int, warmup: int = 1) -> Comparison:
    """Time both sides alternately; the order flips each round so neither always runs second."""
    for _ in range(warmup):
        ours()
        floor()
    ours_runs: list[Timing] = []
    floor_runs: list[Timing] = []
    for round_number in range(repeats):
        if round_number % 2 == 0:
            ours_runs.append(ours())
            floor_runs.append(floor())
        else:
            floor_runs.append(floor())
            ours_runs.append(ours())
    return Comparison(Samples(tuple(ours_runs)), Samples(tuple(floor_runs)))


class GoalKind(Enum):
    """What a goal bounds: the ratio to the floor, or the absolute median time."""

    RATIO_AT_MOST = "ratio_at_most"
    SECONDS_UNDER = "seconds_under"
    NONE = "none"
    """No bound: the row is printed for the reader, its ratio judged by no one."""


@dataclass(frozen=True)
class Goal:
    """A bound from the issue, with the text the table shows for it."""

    kind: GoalKind
    limit: float
    why: str = ""

    @property
    def text(self) -> str:
        """How the table shows the goal: ``<= 1.5x`` or ``< 60 s``."""
        if self.kind is GoalKind.RATIO_AT_MOST:
            return f"<= {self.limit:g}x"
        if self.kind is GoalKind.NONE:
            return "-"
        return f"< {self.limit:g} s"

    def met(self, ours: Samples, ratio: float | None) -> bool:
        """Whether a measurement meets this goal; a ratio goal needs a ratio, and no goal is always met."""
        if self.kind is GoalKind.NONE:
            return True
        if self.kind is GoalKind.RATIO_AT_MOST:
            if ratio is None:
                raise ValueError(f"goal {self.text} needs a floor to compare with")
            return ratio <= self.limit
        return ours.median < self.limit


def ratio_at_most(limit: float, why: str = "") -> Goal:
    """A goal on ours / floor."""
    return Goal(GoalKind.RATIO_AT_MOST, limit, why)


def seconds_under(limit: float, why: str = "") -> Goal:
    """A goal on the median wall time."""
    return Goal(GoalKind.SECONDS_UNDER, limit, why)


def no_goal(why: str = "") -> Goal:
    """No goal: a ratio kept in the table for the reader (a goal the issues retired, a size of a series)."""
    return Goal(GoalKind.NONE, 0.0, why)


class Status(Enum):
    """The last column of the table."""

    PASS = "pass"
    FAIL = "fail"
    NOT_MEASURED = "not measured"
    REPORTED = "reported"
    """Measured, with no goal to meet or miss."""


@dataclass(frozen=True)
class Row:
    """One line of the table: a benchmark, its measurements and whether it meets its goal."""

    benchmark: str
    goal: Goal
    ours: Samples | None = None
    floor: Samples | None = None
    floor_label: str = ""
    """What the floor is, for the JSON and the notes under the table."""
    missing: str = ""
    """Why the benchmark could not be measured; empty when it was."""
    error: str = ""
    """What went wrong in what was measured (a failing test, say): the row fails whatever the time."""

    @property
    def ratio(self) -> float | None:
        """Ours over the floor, when both were measured."""
        if self.ours is None or self.floor is None:
            return None
        return self.ours.median / self.floor.median

    @property
    def status(self) -> Status:
        """Pass or fail against the goal; not measured when a side is missing."""
        if self.missing or self.ours is None:
            return Status.NOT_MEASURED
        if self.goal.kind in (GoalKind.RATIO_AT_MOST, GoalKind.NONE) and self.floor is None:
            return Status.NOT_MEASURED
        if self.error:
            return Status.FAIL
        if self.goal.kind is GoalKind.NONE:
            return Status.REPORTED
        return Status.PASS if self.goal.met(self.ours, self.ratio) else Status.FAIL

    def as_dict(self) -> dict[str, Any]:
        """The row as the JSON file holds it."""
        return {
            "benchmark": self.benchmark,
            "ours": self.ours.as_dict() if self.ours else None,
            "floor": self.floor.as_dict() if self.floor else None,
            "floor_is": self.floor_label or None,
            "ratio": self.ratio,
            "goal": {"kind": self.goal.kind.value, "limit": self.goal.limit, "text": self.goal.text},
            "status": self.status.value,
            "not_measured_because": self.missing or None,
            "error": self.error or None,
        }


def comparison_row(benchmark: str, goal: Goal, comparison: Comparison, floor_label: str) -> Row:
    """A row from an ours-versus-floor comparison."""
    return Row(benchmark, goal, comparison.ours, comparison.floor, floor_label)


def added_time(larger: Samples, smaller: Samples) -> Samples:
    """What the larger size adds over the smaller one: the difference of the medians, on both clocks."""
    cpu = None
    if all(run.cpu is not None for run in (*larger.runs, *smaller.runs)):
        cpu = larger.on(Basis.CPU).median - smaller.on(Basis.CPU).median
    return Samples((Timing(larger.on(Basis.WALL).median - smaller.on(Basis.WALL).median, cpu),))


def growth_row(benchmark: str, goal: Goal, small: Comparison, large: Comparison, floor_label: str) -> Row:
    """How fast ours grows against its floor, from one size (``small``) to a larger one (``large``).

    Each column is what the larger size adds over the smaller one on that
    side, so the ratio is ours' cost per added unit over the floor's: the
    start-up both pay once drops out, and a side whose fixed cost is large
    cannot look as if it grew slowly.
    """
    return Row(
        benchmark, goal, added_time(large.ours, small.ours), added_time(large.floor, small.floor), floor_label
    )


def not_measured(benchmark: str, goal: Goal, reason: str) -> Row:
    """A row for a benchmark that could not run; the table says why instead of a number."""
    return Row(benchmark, goal, missing=reason)


def format_seconds(seconds: float) -> str:
    """Seconds with three significant digits, in ms below one second."""
    if seconds < 1:
        return f"{seconds * 1000:.3g} ms"
    return f"{seconds:.3g} s"


HEADERS = ("benchmark", "ours", "floor", "ratio", "goal", "result")


def table_cells(row: Row) -> tuple[str, ...]:
    """The text of each column for one row."""
    result = row.status.value
    if row.status is Status.NOT_MEASURED:
        result = f"not measured: {row.missing or 'no floor'}"
    elif row.error:
        result = f"fail: {row.error}"
    return (
        row.benchmark,
        format_seconds(row.ours.median) if row.ours else "-",
        format_seconds(row.floor.median) if row.floor else "-",
        f"{row.ratio:.2f}x" if row.ratio is not None else "-",
        row.goal.text,
        result,
    )


def render_table(rows: Sequence[Row]) -> str:
    """A plain-text table, columns padded to their widest cell."""
    lines = [HEADERS, *(table_cells(row) for row in rows)]
    widths = [max(len(line[column]) for line in lines) for column in range(len(HEADERS))]

    def render(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([render(HEADERS), rule, *(render(line) for line in lines[1:])])


@dataclass
class Report:
    """Everything one ``make bench`` run measured, for the table and the JSON file."""

    rows: list[Row] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    """What is printed after the table (slowest tests, data path), keyed by benchmark."""
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    load_at_start: tuple[float, float, float] = field(default_factory=os.getloadavg)
    """The machine's load averages when the run began (the JSON also has them at the end)."""

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data, with the machine it ran on."""
        return {
            "started_utc": self.started.isoformat(timespec="seconds"),
            "machine": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
                "load_average_1_5_15_at_start": list(self.load_at_start),
                "load_average_1_5_15_at_end": list(os.getloadavg()),
            },
            "rows": [row.as_dict() for row in self.rows],
            "details": self.details,
        }


def write_json(report: Report, directory: Path) -> Path:
    """Write the report as ``bench-<UTC time>.json`` under ``directory``; return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"bench-{report.started.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(report.as_dict(), indent=2) + "\n", encoding="utf-8")
    return path
