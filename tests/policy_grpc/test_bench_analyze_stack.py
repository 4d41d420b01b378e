"""The AnalyzeStack benchmark measures real work: unique copies of a compliant stack, timed over gRPC."""

from bench.analyze_stack import base_stack, measure_analyze_stack, stack_of


def test_the_benchmark_stack_is_copies_of_the_dev_stack_with_unique_names() -> None:
    copy_size = len(base_stack())
    resources = stack_of(2 * copy_size + 5)
    assert len(resources) == 2 * copy_size + 5
    assert len({r.urn for r in resources}) == len(resources)
    # Registration order under mocks may vary, so only the two whole copies are pinned.
    buckets = {r.properties["bucket"] for r in resources[: 2 * copy_size] if r.type == "aws:s3/bucket:Bucket"}
    assert buckets == {"envstack0-data-dev", "envstack1-data-dev"}


def test_measure_returns_one_timing_per_repeat() -> None:
    runs = measure_analyze_stack(2 * len(base_stack()) + 3, 2)
    assert len(runs) == 2
    assert all(0 < seconds < 30 for seconds in runs)
