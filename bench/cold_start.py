"""Cold starts: from spawning a plugin until its first answer, against a floor spawned the same way.

Every ``pulumi preview`` starts the provider and the policy pack afresh, so
their start-up is paid on every run. Both are started exactly as the engine
starts them, by the harnesses the tests use (``spawn_provider``,
``PolicyAnalyzer``), and the clock stops when the first real request is
answered: GetSchema for the provider, GetAnalyzerInfo for the pack. Shutting
the process down afterwards is not counted. The floors under
``bench/floor/`` are the smallest plugins of each kind that Pulumi's own SDKs
can serve, so the ratio is what envstack adds.
"""

import resource
import sys
import time
from pathlib import Path

from envstack_testkit.analyzer_harness import POLICY_DIR, PolicyAnalyzer
from envstack_testkit.provider_harness import PROVIDER_DIR, served_schema, spawn_provider

from .harness import Timed, Timing

FLOOR_DIR = Path(__file__).resolve().parent / "floor"
FLOOR_PROVIDER_DIR = FLOOR_DIR / "provider"
"""A provider that hosts one empty component with ``component_provider_host``."""
FLOOR_POLICY_DIR = FLOOR_DIR / "policy"
"""A policy pack of one policy that accepts everything."""


def _children_cpu() -> float:
    """CPU seconds used by every child process reaped so far.

    The harnesses stop and reap the plugin when their block ends, so the
    difference around one block is the plugin's CPU time for its whole life:
    its start-up, one answer and its shutdown.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def provider_start(plugin_dir: Path = PROVIDER_DIR, python: str = sys.executable) -> Timed:
    """One cold start of a provider plugin: spawn until GetSchema answers with a schema."""

    def run() -> Timing:
        cpu = _children_cpu()
        start = time.perf_counter()
        with spawn_provider(plugin_dir, python) as process:
            schema = served_schema(process)
            elapsed = time.perf_counter() - start
        if not schema.startswith("{"):
            raise RuntimeError(f"{plugin_dir} answered GetSchema with {schema[:80]!r}, not a schema")
        return Timing(elapsed, _children_cpu() - cpu)

    return run


def policy_start(policy_dir: Path = POLICY_DIR) -> Timed:
    """One cold start of a policy pack: spawn until GetAnalyzerInfo answers with its policies."""

    def run() -> Timing:
        cpu = _children_cpu()
        start = time.perf_counter()
        with PolicyAnalyzer(policy_dir=policy_dir) as analyzer:
            info = analyzer.info()
            elapsed = time.perf_counter() - start
        if not info.policies:
            raise RuntimeError(f"{policy_dir} answered GetAnalyzerInfo without policies")
        return Timing(elapsed, _children_cpu() - cpu)

    return run
