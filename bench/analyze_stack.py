"""Time AnalyzeStack of N resources through the real gRPC analyzer.

The stack is the real component's dev environment (recorded under mocks, as
the engine would send its outputs) copied until it holds N resources, each
copy with its own physical names so that the stack policies link buckets to
their configuration and queues to their triggers as in a real stack. The
pack runs in its own process, spawned as the engine spawns it; the request
is built once and only the AnalyzeStack call is timed. A warm-up call first
checks that the stack passes every policy, so the timing is of real work.

``python -m bench.analyze_stack`` prints 1,000 vs 10,000 resources and their
ratio; ``make bench`` imports ``measure_analyze_stack``.
"""

import argparse
import functools
import gc
import json
import re
import statistics
import time
from dataclasses import replace
from typing import Any

from pulumi_policy.deserialize import serialize_properties

from envstack_testkit.analyzer_harness import AnalyzerResource, PolicyAnalyzer, analyze_stack_request
from envstack_testkit.policy_fixtures import ENVIRONMENTS, fixture_of
from envstack_testkit.recording import record_environment_stack

GOAL_SECONDS_AT_10K = 5.0
"""The goal: AnalyzeStack of 10,000 resources within 5 seconds."""


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


def measure_analyze_stack(n_resources: int, repeats: int) -> list[float]:
    """Seconds of each of ``repeats`` AnalyzeStack calls over ``n_resources`` resources, after a warm-up."""
    request = analyze_stack_request(stack_of(n_resources))
    with PolicyAnalyzer(stack="dev") as analyzer:
        # Only the last copy, cut short at n_resources, may lack what a bucket or queue needs.
        last_copy = f"envstack{(n_resources - 1) // len(base_stack())}-"
        unexpected = [d for d in analyzer.analyze_stack_request(request) if last_copy not in d.message]
        if unexpected:
            raise AssertionError(f"the benchmark stack should pass every policy: {unexpected[0].message!r}")
        runs: list[float] = []
        for _ in range(repeats):
            gc.collect()
            start = time.perf_counter()
            analyzer.analyze_stack_request(request)
            runs.append(time.perf_counter() - start)
    return runs


def main() -> int:
    """Print the medians for 1,000 and 10,000 resources and how they scale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=10_000)
    options = parser.parse_args()
    small = statistics.median(measure_analyze_stack(options.small, options.repeats))
    large = statistics.median(measure_analyze_stack(options.large, options.repeats))
    factor = options.large / options.small
    print(f"AnalyzeStack {options.small:>6,} resources: {small:7.3f} s (median of {options.repeats})")
    print(f"AnalyzeStack {options.large:>6,} resources: {large:7.3f} s (median of {options.repeats})")
    print(
        f"ratio {large / small:.2f} for {factor:g}x the resources"
        f" (linear: {factor:g}; goal: under {GOAL_SECONDS_AT_10K:g} s at 10,000)"
    )
    within = large < GOAL_SECONDS_AT_10K or options.large != 10_000
    return 0 if within else 1


if __name__ == "__main__":
    raise SystemExit(main())
