"""The AnalyzeStack benchmark measures real work: unique copies of a compliant stack, timed over gRPC."""

import os
import time

import pytest

from bench.analyze_stack import base_stack, cpu_clock, stack_of, time_analyze_calls, time_analyze_stack


def test_the_benchmark_stack_is_copies_of_the_dev_stack_with_unique_names() -> None:
    copy_size = len(base_stack())
    resources = stack_of(2 * copy_size + 5)
    assert len(resources) == 2 * copy_size + 5
    assert len({r.urn for r in resources}) == len(resources)
    # Registration order under mocks may vary, so only the two whole copies are pinned.
    buckets = {r.properties["bucket"] for r in resources[: 2 * copy_size] if r.type == "aws:s3/bucket:Bucket"}
    assert buckets == {"envstack0-data-dev", "envstack1-data-dev"}


def test_analyze_stack_is_timed_once_per_repeat_on_the_wall_and_the_packs_cpu_clock() -> None:
    runs = time_analyze_stack(2 * len(base_stack()) + 3, 2)
    assert len(runs) == 2
    assert all(0 < run.wall < 30 and run.cpu is not None and 0 < run.cpu < 30 for run in runs)


def test_a_previews_analyze_calls_are_timed_per_call_in_two_windows() -> None:
    first, last = time_analyze_calls(len(base_stack()) + 4, 3)
    assert len(first) == len(last) == 3
    assert all(run.cpu is not None and run.cpu > 0 for run in (*first, *last))
    with pytest.raises(ValueError, match="window"):
        time_analyze_calls(3, 4)


def test_the_cpu_clock_of_a_process_is_the_clock_it_reads_of_itself() -> None:
    # The clock id the kernel derives from a pid: for this process it must run with process_time.
    own, process = time.clock_gettime(cpu_clock(os.getpid())), time.process_time()
    assert abs(own - process) < 0.05
