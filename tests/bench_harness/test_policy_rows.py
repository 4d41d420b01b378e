"""The policy rows: sizes on the wall clock, growth and Analyze's flatness on the pack's CPU clock."""

import pytest

from bench import analyze_stack, run
from bench.harness import Basis, Status, Timing


def test_a_window_of_calls_becomes_twenty_means_on_both_clocks() -> None:
    calls = [Timing(wall=float(i), cpu=float(i) / 2) for i in range(1_000)]
    runs = run._means_of_runs(calls, 20)
    assert len(runs) == 20
    assert runs[0] == Timing(24.5, 12.25)  # calls 0..49
    assert runs[-1] == Timing(974.5, 487.25)


def test_sizes_are_judged_on_the_wall_and_growth_on_the_packs_cpu(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Linear CPU (10 us a resource) and a wall clock that a busy machine stretched at the small size.
    def timed(n_resources: int, repeats: int) -> list[Timing]:
        wall = 1.0 if n_resources == 1_000 else n_resources * 20e-6
        return [Timing(wall, n_resources * 10e-6)] * repeats

    def calls(n_resources: int, window: int) -> tuple[list[Timing], list[Timing]]:
        return [Timing(1e-3, 5e-4)] * window, [Timing(1e-3, 7e-4)] * window

    monkeypatch.setattr(analyze_stack, "time_analyze_stack", timed)
    monkeypatch.setattr(analyze_stack, "time_analyze_calls", calls)
    rows = {row.benchmark: row for row in run.policy_rows(repeats=3, large_repeats=2)}
    assert rows["policy AnalyzeStack, 10,000 resources"].status is Status.PASS  # 0.2 s wall
    assert rows["policy AnalyzeStack, 100,000 resources"].status is Status.PASS  # 2 s wall
    for growth in ("1,000 -> 10,000", "10,000 -> 100,000"):
        row = rows[f"policy AnalyzeStack growth, {growth} (pack CPU)"]
        assert row.ours is not None and row.ours.basis is Basis.CPU
        assert row.ratio == pytest.approx(1.0)
    flat = rows[
        "policy Analyze per call, the last 1,000 of a 10,000-resource preview vs the first 1,000 (pack CPU)"
    ]
    assert flat.ratio == pytest.approx(1.4) and flat.status is Status.FAIL


def test_a_failed_measurement_is_a_row_that_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> list[Timing]:
        raise RuntimeError("the pack did not start")

    monkeypatch.setattr(analyze_stack, "time_analyze_stack", broken)
    monkeypatch.setattr(analyze_stack, "time_analyze_calls", broken)
    rows = run.policy_rows(repeats=1, large_repeats=1)
    assert len(rows) == 5
    assert all(row.status is Status.NOT_MEASURED and "did not start" in row.missing for row in rows)
