"""The table and JSON file ``make bench`` produces, from rows measured elsewhere.

No timing is asserted here (speed claims live only in ``make bench``); these
pin what a reader of the table relies on: a missed goal reads ``fail``, a
benchmark that could not run reads ``not measured: <why>`` with no number,
and the JSON file carries the same rows as the table.
"""

import json
from pathlib import Path

import pytest

from bench.harness import (
    Basis,
    Comparison,
    Report,
    Row,
    Samples,
    Status,
    Timing,
    compare,
    growth_row,
    no_goal,
    not_measured,
    ratio_at_most,
    render_table,
    seconds_under,
    table_cells,
    write_json,
)


def wall(*seconds: float) -> Samples:
    return Samples.of_wall(seconds)


def table_line(table: str, benchmark: str) -> str:
    return next(line for line in table.splitlines() if line.startswith(benchmark))


def test_ratio_is_of_the_medians_and_judged_against_the_goal() -> None:
    within = Row("within", ratio_at_most(1.5), wall(1.0, 1.4, 9.0), wall(1.0, 1.0, 1.0))
    beyond = Row("beyond", ratio_at_most(1.5), wall(1.6, 1.6, 0.1), wall(1.0, 1.0, 1.0))

    assert within.ratio == pytest.approx(1.4)
    assert within.status is Status.PASS
    assert beyond.ratio == pytest.approx(1.6)
    assert beyond.status is Status.FAIL


def test_an_absolute_goal_is_judged_on_the_median() -> None:
    assert Row("fast", seconds_under(5), wall(4.0, 4.9, 30.0)).status is Status.PASS
    assert Row("slow", seconds_under(5), wall(5.0, 5.1, 1.0)).status is Status.FAIL


def test_a_row_judged_on_cpu_time_ignores_the_wall_clock() -> None:
    ours = Samples((Timing(9.0, 1.1), Timing(9.0, 1.1)), Basis.CPU)
    floor = Samples((Timing(1.0, 1.0), Timing(1.0, 1.0)), Basis.CPU)

    row = Row("cpu", ratio_at_most(1.2), ours, floor)

    assert row.ratio == pytest.approx(1.1)
    assert row.status is Status.PASS


def test_a_row_without_a_goal_is_reported_with_its_ratio_whatever_the_ratio() -> None:
    slower = Row("over raw YAML", no_goal("retired"), wall(3.0), wall(1.0))
    unmeasured_floor = Row("over raw YAML", no_goal("retired"), wall(3.0))

    assert slower.status is Status.REPORTED
    assert table_cells(slower)[3:] == ("3.00x", "-", "reported")
    assert unmeasured_floor.status is Status.NOT_MEASURED
    assert Row("broken", no_goal(), wall(1.0), wall(1.0), error="preview failed").status is Status.FAIL


def test_a_growth_row_compares_what_the_larger_size_adds_on_each_side() -> None:
    small = Comparison(
        Samples((Timing(8.0, 2.0), Timing(9.0, 2.5)), Basis.WALL), Samples((Timing(3.0, 1.0),), Basis.WALL)
    )
    large = Comparison(
        Samples((Timing(57.5, 42.5),), Basis.WALL),
        Samples((Timing(43.0, 31.0), Timing(41.0, 29.0)), Basis.WALL),
    )

    row = growth_row("growth 1 -> 50", ratio_at_most(1.1), small, large, "added")

    # The component starts slower (8.5 s against 3 s) but what counts is what 49 more environments add.
    assert row.ours is not None and row.floor is not None
    assert row.ours.runs == (Timing(49.0, 40.25),)
    assert row.floor.runs == (Timing(39.0, 29.0),)
    assert row.ratio == pytest.approx(49 / 39)
    assert row.status is Status.FAIL


def test_the_table_shows_each_column_and_the_reason_a_row_was_not_measured() -> None:
    rows = [
        Row("provider cold start", ratio_at_most(1.5), wall(0.9), wall(0.6)),
        not_measured("policy throughput", seconds_under(5), "bench/analyze_stack.py has not landed"),
        Row("test suite", seconds_under(60), wall(75.0), error="make test-python exited 1"),
    ]

    table = render_table(rows)

    assert table.splitlines()[0].split() == ["benchmark", "ours", "floor", "ratio", "goal", "result"]
    assert table_line(table, "provider cold start").split() == [
        "provider", "cold", "start", "900", "ms", "600", "ms", "1.50x", "<=", "1.5x", "pass",
    ]  # fmt: skip
    assert table_line(table, "policy throughput").endswith(
        "not measured: bench/analyze_stack.py has not landed"
    )
    assert table_cells(rows[1])[1:4] == ("-", "-", "-")
    assert table_line(table, "test suite").endswith("fail: make test-python exited 1")


def test_the_json_file_holds_the_rows_of_the_table(tmp_path: Path) -> None:
    report = Report(
        rows=[
            Row("cold start", ratio_at_most(1.5), wall(2.0, 3.0, 2.5), wall(1.0, 1.0, 1.0), "empty provider"),
            not_measured("throughput", seconds_under(5), "not landed"),
        ],
        details={"test_suite": {"slowest_tests": []}},
    )

    path = write_json(report, tmp_path / "results")
    written = json.loads(path.read_text())

    assert path.parent == tmp_path / "results"
    assert path.name.startswith("bench-") and path.suffix == ".json"
    first, second = written["rows"]
    assert first["ratio"] == pytest.approx(2.5)
    assert first["status"] == "fail"
    assert first["ours"]["wall_runs_s"] == [2.0, 3.0, 2.5]
    assert first["floor_is"] == "empty provider"
    assert first["goal"] == {"kind": "ratio_at_most", "limit": 1.5, "text": "<= 1.5x"}
    assert second["status"] == "not measured"
    assert second["ours"] is None
    assert second["not_measured_because"] == "not landed"
    assert written["details"] == {"test_suite": {"slowest_tests": []}}
    assert written["machine"]["cpus"] >= 1


def test_compare_alternates_which_side_runs_first() -> None:
    order: list[str] = []

    def side(name: str) -> Timing:
        order.append(name)
        return Timing(1.0)

    comparison = compare(lambda: side("ours"), lambda: side("floor"), repeats=4, warmup=1)

    assert order == ["ours", "floor"] + ["ours", "floor", "floor", "ours"] * 2
    assert len(comparison.ours.runs) == len(comparison.floor.runs) == 4
