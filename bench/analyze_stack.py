"""Time AnalyzeStack of N resources, and a preview's Analyze calls, through the real gRPC analyzer.

The stack is the real component's dev environment (recorded under mocks, as
the engine would send its outputs) copied until it holds N resources, each
copy with its own physical names so that the stack policies link buckets to
their configuration and queues to their triggers as in a real stack. The
pack runs in its own process, spawned as the engine spawns it; the request
is built once and only the AnalyzeStack call is timed. A warm-up call first
checks that the stack passes every policy, so the timing is of real work.

Each call is timed on two clocks: the wall clock of the caller (what a user
waits for) and the CPU clock of the pack's process, read through Linux's
per-process CPU clock (``clock_gettime`` on the clock id the kernel derives
from the pid). The CPU clock counts the pack's work, its gRPC threads'
included, and not the neighbours': on a machine shared with other work the
wall clock of a 30 ms call swings by more than the growth being judged.

``python -m bench.analyze_stack`` prints 1,000, 10,000 and 100,000 resources
and how they scale; ``make bench`` imports ``time_analyze_stack`` and
``time_analyze_calls``.
"""

import argparse
import functools
import gc
import itertools
import json
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from pulumi_policy.deserialize import serialize_properties

from envstack_testkit.analyzer_harness import (
    AnalyzerResource,
    Diagnostic,
    PolicyAnalyzer,
    analyze_request,
    analyze_stack_request,
)
from envstack_testkit.policy_fixtures import ENVIRONMENTS, fixture_of
from envstack_testkit.recording import record_environment_stack

from .harness import Timing

GOAL_SECONDS_AT_10K = 5.0
"""The goal: AnalyzeStack of 10,000 resources within 5 seconds."""

GOAL_SECONDS_AT_100K = 15.0
"""The goal: AnalyzeStack of 100,000 resources within 15 seconds."""

SIZES = (1_000, 10_000, 100_000)
"""The stack sizes ``python -m bench.analyze_stack`` and ``make bench`` time."""


@functools.cache
def base_stack() -> tuple[AnalyzerResource, ...]:
    """The real component's dev stack, as AnalyzeStack receives it: the unit the benchmark copies."""
    return fixture_of(record_environment_stack(ENVIRONMENTS["dev"], stack="dev")).stack


def _rename(text: str, copy: int) -> str:
    """Give one copy its own names: the component ``envstackN`` and its children ``envstackN-*``."""
    return re.sub(r"::envstack$", f"::envstack{copy}", text).replace("envstack-", f"envstack{copy}-")


def stack_of(n_resources: int) -> list[AnalyzerResource]:
    """``n_resources`` resources: copies of the dev stack, each copy with unique names and URNs."""
    base = base_stack()
    texts = [
        (resource, json.dumps(dict(serialize_properties(resource.properties)), sort_keys=True))
        for resource in base
    ]
    resources: list[AnalyzerResource] = []
    copy = 0
    while len(resources) < n_resources:
        rename = functools.partial(_rename, copy=copy)
        for resource, text in texts:
            if len(resources) == n_resources:
                break
            properties: dict[str, Any] = json.loads(rename(text))
            resources.append(
                replace(
                    resource,
                    name=re.sub(r"^envstack$", f"envstack{copy}", rename(resource.name)),
                    urn=rename(resource.urn),
                    parent=rename(resource.parent),
                    dependencies=tuple(rename(d) for d in resource.dependencies),
                    properties=properties,
                )
            )
        copy += 1
    return resources


def cpu_clock(pid: int) -> int:
    """The id of the CPU clock of process ``pid``, all its threads together (Linux's ``CPUCLOCK_SCHED``).

    The kernel's ``MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)``: what
    ``clock_getcpuclockid(3)`` returns, which Python's ``time`` module does
    not wrap. ``time.clock_gettime`` accepts it as any other clock id.
    """
    return ((~pid) << 3) | 2


def _timed(pid: int, call: Callable[[], object]) -> Timing:
    """The wall time of ``call`` here and the CPU time process ``pid`` spent meanwhile."""
    clock = cpu_clock(pid)
    wall, cpu = time.perf_counter(), time.clock_gettime(clock)
    call()
    return Timing(time.perf_counter() - wall, time.clock_gettime(clock) - cpu)


def _check_passes(diagnostics: Sequence[Diagnostic], n_resources: int) -> None:
    # Only the last copy, cut short at n_resources, may lack what a bucket or queue needs.
    last_copy = f"envstack{(n_resources - 1) // len(base_stack())}-"
    unexpected = [d for d in diagnostics if last_copy not in d.message and last_copy not in d.urn]
    if unexpected:
        raise AssertionError(f"the benchmark stack should pass every policy: {unexpected[0].message!r}")


def time_analyze_stack(n_resources: int, repeats: int) -> list[Timing]:
    """``repeats`` AnalyzeStack calls over ``n_resources`` resources, after a warm-up, on both clocks."""
    request = analyze_stack_request(stack_of(n_resources))
    with PolicyAnalyzer(stack="dev") as analyzer:
        _check_passes(analyzer.analyze_stack_request(request), n_resources)
        runs: list[Timing] = []
        for _ in range(repeats):
            gc.collect()
            runs.append(_timed(analyzer.pid, functools.partial(analyzer.analyze_stack_request, request)))
    return runs


def time_analyze_calls(n_resources: int, window: int) -> tuple[list[Timing], list[Timing]]:
    """The first and the last ``window`` Analyze calls of a preview of ``n_resources`` resources.

    One pack process is sent an Analyze for every resource of the stack, in
    stack order, as the engine sends them during a preview, after a warm-up
    of one copy of the dev stack under names of its own (so that the first
    calls do not pay for the pack's first use of each policy). If the pack
    kept anything from call to call, the last calls would cost more than the
    first. Every call's findings are checked as AnalyzeStack's are.
    """
    if not 0 < window <= n_resources:
        raise ValueError(f"the window ({window}) must be between 1 and the stack's size ({n_resources})")
    resources = stack_of(n_resources)
    requests = [analyze_request(resource) for resource in resources]
    warm_up = [
        analyze_request(replace(resource, urn=resource.urn.replace("::envstack", "::warm-up-envstack")))
        for resource in base_stack()
    ]
    timings: list[Timing] = []
    with PolicyAnalyzer(stack="dev") as analyzer:
        for request in warm_up:
            analyzer.stub.Analyze(request)
        gc.collect()
        findings: list[Diagnostic] = []
        for request in requests:
            timings.append(_timed(analyzer.pid, functools.partial(analyzer.stub.Analyze, request)))
        for resource in (*resources[:window], *resources[-window:]):
            findings.extend(analyzer.analyze(resource))
    _check_passes(findings, n_resources)
    return timings[:window], timings[-window:]


def main() -> int:
    """Print the medians for each size, on both clocks, and how the cost per resource grows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    options = parser.parse_args()
    medians: dict[int, tuple[float, float]] = {}
    for size in options.sizes:
        runs = time_analyze_stack(size, options.repeats)
        wall = statistics.median(run.wall for run in runs)
        cpu = statistics.median(float(run.cpu or 0.0) for run in runs)
        medians[size] = (wall, cpu)
        print(
            f"AnalyzeStack {size:>7,} resources: {wall:7.3f} s wall, {cpu:7.3f} s the pack's CPU,"
            f" {cpu / size * 1e6:5.1f} us CPU per resource (median of {options.repeats})"
        )
    sizes = sorted(medians)
    for small, large in itertools.pairwise(sizes):
        growth = (medians[large][1] / large) / (medians[small][1] / small)
        print(f"cost per resource (CPU), {small:,} -> {large:,}: {growth:.2f}x (linear: 1)")
    within = all(
        medians[size][0] < goal
        for size, goal in ((10_000, GOAL_SECONDS_AT_10K), (100_000, GOAL_SECONDS_AT_100K))
        if size in medians
    )
    return 0 if within else 1


if __name__ == "__main__":
    raise SystemExit(main())
