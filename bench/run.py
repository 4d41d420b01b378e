"""``make bench``: every benchmark in one run, one table, one JSON file.

Each benchmark is measured against its floor in the same run (see
``harness``), so the ratios hold even on a busy machine. A benchmark that
cannot run (a piece not yet in the repository, a broken floor) becomes a
``not measured`` row that says why; it never becomes a made-up number and
never hides the other rows.
"""

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from envstack_testkit.children import CHILDREN_WITH_EMAIL
from envstack_testkit.provider_harness import PROVIDER_DIR

from . import (
    analyze_stack,
    cold_start,
    engine,
    engine_moto,
    exemptions,
    languages,
    overhead,
    pack_cost,
    suite,
)
from . import report as report_command
from .harness import (
    Basis,
    Report,
    Row,
    Samples,
    Status,
    Timing,
    compare,
    comparison_row,
    format_seconds,
    growth_row,
    no_goal,
    not_measured,
    ratio_at_most,
    render_table,
    seconds_under,
    write_json,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = Path(__file__).resolve().parent / "results"
GROUPS = (
    "cold-start",
    "overhead",
    "policy",
    "exemptions",
    "engine",
    "engine-growth",
    "pack-cost",
    "languages",
    "report",
    "suite",
    "datapath",
)

COLD_START_GOAL = ratio_at_most(1.5, "cold start within 1.5x of the floor")
OVERHEAD_GOAL = ratio_at_most(1.2, "component at most 1.2x the raw resources")
LINEAR_GOAL = ratio_at_most(1.2, "linear growth: within 1.2x of the smaller size scaled up")
POLICY_10K_GOAL = seconds_under(5.0, "AnalyzeStack of 10,000 resources under 5 s")
POLICY_100K_GOAL = seconds_under(15.0, "AnalyzeStack of 100,000 resources under 15 s")
ANALYZE_FLAT_GOAL = ratio_at_most(1.2, "Analyze's cost per call flat as a preview grows")
SUITE_GOAL = seconds_under(60.0, "make test without set-up under 60 s on 2 cores")
FAST_GOAL = seconds_under(60.0, "make test-fast (lint, types, mock/unit/gRPC suites) under 60 s on 2 cores")
PYTEST_GOAL = seconds_under(100.0, "the full pytest run of make test at most 100 s on 2 cores")

ENGINE_RAW_YAML = no_goal(
    "real engine: the component's preview over raw YAML; no Python plugin can meet a goal against a"
    " program that runs no Python (issue 18 retired 1.2x), so it is printed for the reader"
)
ENGINE_COMPONENT_OWN_GOAL = ratio_at_most(
    1.2, "real engine: the component's preview within 1.2x of raw YAML plus Python's start"
)
ENGINE_BARE_GOAL = ratio_at_most(
    1.05, "real engine: the component's preview within 1.05x of a bare Python component provider's"
)
ENGINE_PACK_GOAL = ratio_at_most(1.15, "real engine: preview with the pack within 1.15x of without")
ENGINE_GROWTH_SIZE = no_goal("real engine: one size of the growth series")
ENGINE_GROWTH_GOAL = ratio_at_most(
    1.1, "real engine: the component's preview grows at most 1.1x as fast as raw YAML's, 1 -> 50"
)
PACK_OVER_FLOOR_PACK = no_goal(
    "real engine: the preview with envstack's pack over the same with a one-policy pack: what is envstack's"
)
LANGUAGE_ROW = no_goal("real engine: a language's Automation API preview against the YAML example's")

ANALYZE_PREVIEW_SIZE = 10_000
ANALYZE_WINDOW = 1_000
ANALYZE_RUNS_PER_WINDOW = 20


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")


def cold_start_rows(repeats: int, provider_dir: Path) -> list[Row]:
    """Provider and policy pack, each against its floor plugin."""
    rows = []
    try:
        provider = compare(
            cold_start.provider_start(provider_dir),
            cold_start.provider_start(cold_start.FLOOR_PROVIDER_DIR),
            repeats=repeats,
        )
        rows.append(
            comparison_row(
                "provider cold start (spawn -> GetSchema)",
                COLD_START_GOAL,
                provider,
                "component_provider_host serving one empty component (bench/floor/provider)",
            )
        )
    except Exception as error:  # noqa: BLE001 - one failed benchmark must not hide the others
        rows.append(
            not_measured("provider cold start (spawn -> GetSchema)", COLD_START_GOAL, _first_line(error))
        )
    try:
        policy = compare(
            cold_start.policy_start(),
            cold_start.policy_start(cold_start.FLOOR_POLICY_DIR),
            repeats=repeats,
        )
        rows.append(
            comparison_row(
                "policy pack cold start (spawn -> GetAnalyzerInfo)",
                COLD_START_GOAL,
                policy,
                "a pack of one policy that accepts everything (bench/floor/policy)",
            )
        )
    except Exception as error:  # noqa: BLE001
        rows.append(
            not_measured(
                "policy pack cold start (spawn -> GetAnalyzerInfo)", COLD_START_GOAL, _first_line(error)
            )
        )
    return rows


def overhead_rows(repeats: int, large_repeats: int, report: Report) -> list[Row]:
    """1, 10 and 100 environments through the component and raw, then how each grows."""
    names = [f"component overhead, {n} env{'s' if n > 1 else ''} (CPU)" for n in overhead.SIZES]
    try:
        per_environment = overhead.check_same_resources()
    except Exception as error:  # noqa: BLE001
        reason = _first_line(error)
        return [not_measured(name, OVERHEAD_GOAL, reason) for name in names]
    report.details["component_overhead"] = {"cloud_resources_per_environment": per_environment}
    rows = []
    results = {}
    for name, count in zip(names, overhead.SIZES, strict=True):
        largest = count == max(overhead.SIZES)
        # One environment takes tens of milliseconds, where a neighbour's burst
        # weighs most; its runs are cheap, so it gets three times as many.
        runs = large_repeats if largest else repeats * 3 if count == 1 else repeats
        result = overhead.measure(count, runs, warmup=0 if largest else 1)
        results[count] = result.comparison
        rows.append(
            comparison_row(
                name,
                OVERHEAD_GOAL,
                result.comparison,
                f"the same {per_environment * count} pulumi-aws resources without the component"
                " (bench/raw_stack.py), same mocks",
            )
        )
    small, large = sorted(results)[-2:]
    factor = large / small
    at_large, at_small = results[large], results[small]
    rows.append(
        Row(
            f"component growth, {small} -> {large} envs (CPU)",
            LINEAR_GOAL,
            at_large.ours,
            at_small.ours.scaled(factor),
            f"{factor:g} x the component's {small}-environment time (linear growth)",
        )
    )
    rows.append(
        Row(
            f"(reference) raw pulumi-aws growth, {small} -> {large} envs (CPU)",
            LINEAR_GOAL,
            at_large.floor,
            at_small.floor.scaled(factor),
            f"{factor:g} x the raw program's {small}-environment time (linear growth)",
        )
    )
    # Where the growth is not linear, is it the programs or Python's cyclic
    # collector walking an ever larger heap? Measure once more with it paused.
    paused_small = overhead.measure(small, repeats, warmup=0, pause_gc=True).comparison
    paused_large = overhead.measure(large, large_repeats, warmup=0, pause_gc=True).comparison
    report.details["component_overhead"]["growth_with_gc_paused"] = {
        "sizes": [small, large],
        "component": paused_large.ours.median / (factor * paused_small.ours.median),
        "raw": paused_large.floor.median / (factor * paused_small.floor.median),
        "component_overhead_at_largest": paused_large.ratio,
        "runs": {
            str(small): {"ours": paused_small.ours.as_dict(), "raw": paused_small.floor.as_dict()},
            str(large): {"ours": paused_large.ours.as_dict(), "raw": paused_large.floor.as_dict()},
        },
    }
    return rows


def policy_rows(repeats: int, large_repeats: int) -> list[Row]:
    """AnalyzeStack of 1,000, 10,000 and 100,000 resources, then a preview's Analyze calls.

    The sizes' own rows are judged on the wall clock, what a user waits for;
    the growth rows on the pack process's CPU clock, which the neighbours'
    load does not stretch (both clocks go to the JSON file).
    """
    small_size, large_size, largest_size = analyze_stack.SIZES
    names = {
        "large": f"policy AnalyzeStack, {large_size:,} resources",
        "largest": f"policy AnalyzeStack, {largest_size:,} resources",
        "growth": f"policy AnalyzeStack growth, {small_size:,} -> {large_size:,} (pack CPU)",
        "growth_largest": f"policy AnalyzeStack growth, {large_size:,} -> {largest_size:,} (pack CPU)",
    }
    goals = {
        "large": POLICY_10K_GOAL,
        "largest": POLICY_100K_GOAL,
        "growth": LINEAR_GOAL,
        "growth_largest": LINEAR_GOAL,
    }
    try:
        small = Samples(tuple(analyze_stack.time_analyze_stack(small_size, repeats)))
        large = Samples(tuple(analyze_stack.time_analyze_stack(large_size, repeats)))
        largest = Samples(tuple(analyze_stack.time_analyze_stack(largest_size, large_repeats)))
    except Exception as error:  # noqa: BLE001
        reason = _first_line(error)
        rows = [not_measured(names[key], goals[key], reason) for key in names]
    else:
        rows = [
            Row(names["large"], POLICY_10K_GOAL, large),
            Row(names["largest"], POLICY_100K_GOAL, largest),
        ]
        for key, (lower, higher, lower_size, higher_size) in {
            "growth": (small, large, small_size, large_size),
            "growth_largest": (large, largest, large_size, largest_size),
        }.items():
            factor = higher_size / lower_size
            rows.append(
                Row(
                    names[key],
                    LINEAR_GOAL,
                    higher.on(Basis.CPU),
                    lower.scaled(factor).on(Basis.CPU),
                    f"{factor:g} x the pack's CPU at {lower_size:,} resources (linear growth)",
                )
            )
    return [*rows, analyze_calls_row()]


def analyze_calls_row() -> Row:
    """Analyze's cost per call at the end of a 10,000-resource preview against its start."""
    size, window = ANALYZE_PREVIEW_SIZE, ANALYZE_WINDOW
    name = (
        f"policy Analyze per call, the last {window:,} of a {size:,}-resource preview"
        f" vs the first {window:,} (pack CPU)"
    )
    try:
        first, last = analyze_stack.time_analyze_calls(size, window)
    except Exception as error:  # noqa: BLE001
        return not_measured(name, ANALYZE_FLAT_GOAL, _first_line(error))
    return Row(
        name,
        ANALYZE_FLAT_GOAL,
        Samples(_means_of_runs(last, ANALYZE_RUNS_PER_WINDOW), Basis.CPU),
        Samples(_means_of_runs(first, ANALYZE_RUNS_PER_WINDOW), Basis.CPU),
        f"the pack's CPU per call over the preview's first {window:,} calls",
    )


def _means_of_runs(calls: Sequence[Timing], runs: int) -> tuple[Timing, ...]:
    """``calls`` cut into ``runs`` runs of consecutive calls, each the mean of its calls on both clocks.

    A window's thousand calls become twenty samples of fifty: the row's
    median is of those means, and the JSON file holds twenty numbers a side,
    not a thousand.
    """
    size = len(calls) // runs
    chunks = [calls[start : start + size] for start in range(0, size * runs, size)]
    return tuple(
        Timing(
            statistics.fmean(call.wall for call in chunk),
            statistics.fmean(float(call.cpu or 0.0) for call in chunk),
        )
        for chunk in chunks
    )


def engine_rows(repeats: int) -> list[Row]:
    """``pulumi preview`` under the real engine: the component against its floors, the pack against none."""
    rows = []
    benchmarks = (
        (
            "real engine: pulumi preview of EnvironmentStack (dev), over raw YAML",
            ENGINE_RAW_YAML,
            engine.component_against_raw,
            f"the same {CHILDREN_WITH_EMAIL} pulumi-aws resources declared in YAML (bench.engine_programs),"
            " checked alike",
        ),
        (
            "real engine: the same preview, over raw YAML plus the plugin's Python start",
            ENGINE_COMPONENT_OWN_GOAL,
            engine.component_against_raw_and_python,
            "the raw YAML preview + one cold `import envstack_provider.provider, .children`",
        ),
        (
            "real engine: envstack preview vs bare Python component provider preview (dev)",
            ENGINE_BARE_GOAL,
            engine.component_against_bare_provider,
            "examples/yaml on bench/floor/component: component_provider_host, the same"
            f" {CHILDREN_WITH_EMAIL} children,"
            " no validation, an executable plugin on PATH; checked alike",
        ),
        (
            "real engine: pulumi preview --policy-pack (dev)",
            ENGINE_PACK_GOAL,
            engine.pack_against_none,
            "the same preview without the pack",
        ),
    )
    for name, goal, measure, floor_label in benchmarks:
        try:
            rows.append(comparison_row(name, goal, measure(repeats), floor_label))
        except Exception as error:  # noqa: BLE001 - one failed benchmark must not hide the others
            rows.append(not_measured(name, goal, _first_line(error)))
    return rows


def _environments(count: int) -> str:
    return f"{count} EnvironmentStack{'s' if count > 1 else ''}"


def engine_growth_rows(repeats: int, large_repeats: int) -> list[Row]:
    """1, 10 and 50 components in one YAML program against as many raw sets, and how each side grows."""
    sizes = engine.GROWTH_SIZES
    names = [
        f"real engine growth: {_environments(n)} vs {n} x {CHILDREN_WITH_EMAIL} raw resources" for n in sizes
    ]
    growth_name = f"real engine growth {sizes[0]} -> {sizes[-1]}: time added, the component's over raw YAML's"
    try:
        results = engine.growth(repeats, large_repeats, sizes)
    except Exception as error:  # noqa: BLE001
        reason = _first_line(error)
        return [
            *(not_measured(name, ENGINE_GROWTH_SIZE, reason) for name in names),
            not_measured(growth_name, ENGINE_GROWTH_GOAL, reason),
        ]
    rows = [
        comparison_row(
            name,
            ENGINE_GROWTH_SIZE,
            results[count],
            f"{count} x the {CHILDREN_WITH_EMAIL} resources declared in YAML (bench.engine_programs),"
            " checked alike",
        )
        for name, count in zip(names, sizes, strict=True)
    ]
    rows.append(
        growth_row(
            growth_name,
            ENGINE_GROWTH_GOAL,
            results[sizes[0]],
            results[sizes[-1]],
            f"what {sizes[-1] - sizes[0]} more environments add to raw YAML's preview:"
            " the ratio is the component's cost per added environment over raw YAML's",
        )
    )
    bare_name = (
        f"real engine growth: {_environments(engine.BARE_GROWTH_SIZE)} vs as many bare Python components"
    )
    try:
        rows.append(
            comparison_row(
                bare_name,
                ENGINE_GROWTH_SIZE,
                engine.growth_against_bare(repeats),
                "the same program on bench/floor/component, checked alike: what any Python component shares",
            )
        )
    except Exception as error:  # noqa: BLE001
        rows.append(not_measured(bare_name, ENGINE_GROWTH_SIZE, _first_line(error)))
    return rows


def language_rows(repeats: int) -> list[Row]:
    """Each language's example through its Automation API, against the YAML example's preview."""
    rows = []
    for language in languages.LANGUAGES:
        name = f"real engine: {language} example preview (Automation API) vs the YAML example's"
        try:
            comparison = languages.language_against_yaml(language, repeats)
        except Exception as error:  # noqa: BLE001
            rows.append(not_measured(name, LANGUAGE_ROW, _first_line(error)))
            continue
        rows.append(
            comparison_row(name, LANGUAGE_ROW, comparison, "pulumi preview of a copy of examples/yaml")
        )
    return rows


def pack_cost_details(repeats: int, report: Report) -> str:
    """What the pack's start and its answers cost, phase by phase, for the lines after the table."""
    try:
        phases = pack_cost.measure(repeats)
    except Exception as error:  # noqa: BLE001
        report.details["pack_cost"] = {"not_measured_because": _first_line(error)}
        return f"The pack's cost: not measured: {_first_line(error)}"
    report.details["pack_cost"] = {"phases": [phase.as_dict() for phase in phases]}
    name = "real engine: preview --policy-pack envstack vs a one-policy pack (dev)"
    try:
        comparison = engine.pack_against_floor_pack(repeats)
        report.rows.append(
            comparison_row(
                name, PACK_OVER_FLOOR_PACK, comparison, "bench/floor/policy as an executable --policy-pack"
            )
        )
    except Exception as error:  # noqa: BLE001
        report.rows.append(not_measured(name, PACK_OVER_FLOOR_PACK, _first_line(error)))
    return (
        "The policy pack's cost on a preview, phase by phase (median wall, CPU; whose):\n"
        + pack_cost.render(phases)
    )


def suite_rows(repeats: int, report: Report) -> list[Row]:
    """``make test`` without set-up, ``repeats`` times; details hold its parts and slowest tests."""
    name = "test suite (make lint, typecheck, test-python)"
    runs = [suite.run_suite() for _ in range(repeats)]
    last = runs[-1]
    failures = sorted({failure for run in runs for failure in run.failures})
    report.details["test_suite"] = {
        "parts_median_s": {
            target: Samples.of_wall(p.seconds for run in runs for p in run.parts if p.target == target).median
            for target in suite.PARTS
        },
        "pytest_summary": suite.summary_line(last.pytest_output()),
        "slowest_tests": [
            {"seconds": slow.seconds, "phase": slow.phase, "test": slow.test}
            for slow in suite.slowest_tests(last.pytest_output())[:10]
        ],
        "seconds_by_folder": suite.time_by_folder(suite.slowest_tests(last.pytest_output())),
        "failures": failures,
    }
    if failures:
        report.details["test_suite"]["failing_output_tail"] = {
            part.target: part.output.splitlines()[-30:] for part in last.parts if part.returncode
        }
    pytest_runs = [part for run in runs for part in run.parts if part.target == "test-python"]
    fast_runs = [suite.run_part(suite.FAST) for _ in range(repeats)]
    fast_failures = sorted(
        {f"make {run.target} exited {run.returncode}" for run in fast_runs if run.returncode}
    )
    report.details["test_fast"] = {
        "pytest_summary": suite.summary_line(fast_runs[-1].output),
        "slowest_tests": [
            {"seconds": slow.seconds, "phase": slow.phase, "test": slow.test}
            for slow in suite.slowest_tests(fast_runs[-1].output)[:10]
        ],
        "failures": fast_failures,
    }
    return [
        Row(name, SUITE_GOAL, Samples.of_wall(run.seconds for run in runs), error="; ".join(failures)),
        Row(
            "full pytest (make test-python)",
            PYTEST_GOAL,
            Samples.of_wall(part.seconds for part in pytest_runs),
            error="; ".join(f for f in failures if "test-python" in f),
        ),
        Row(
            "inner loop (make test-fast)",
            FAST_GOAL,
            Samples.of_wall(run.seconds for run in fast_runs),
            error="; ".join(fast_failures),
        ),
    ]


def datapath_details(report: Report) -> str:
    """Run ``bench/datapath.py`` (the data path owner's) as its own process and keep what it prints.

    It prints its throughput in messages per second and its table of fault
    outcomes; both go after the table and, verbatim, into the JSON file. It
    runs as a child process so that its moto server and threads cannot
    disturb the other benchmarks.
    """
    script = Path(__file__).resolve().parent / "datapath.py"
    if not script.exists():
        reason = "bench/datapath.py (data path owner) has not landed"
        report.details["datapath"] = {"not_measured_because": reason}
        return f"Data path: not measured: {reason}."
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "bench.datapath"],
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        check=False,
    )
    output = completed.stdout.decode(errors="replace").rstrip()
    report.details["datapath"] = {
        "exit_code": completed.returncode,
        "wall_s": time.perf_counter() - start,
        "output": output.splitlines(),
    }
    if completed.returncode:
        tail = "\n".join(output.splitlines()[-20:])
        return f"Data path (python -m bench.datapath) failed with exit code {completed.returncode}:\n{tail}"
    return f"Data path (python -m bench.datapath):\n{output}"


def cpu_ratios(rows: Sequence[Row]) -> list[str]:
    """For rows judged on wall time, the same comparison on CPU time, which load hardly moves."""
    lines = []
    for row in rows:
        if row.ours is None or row.floor is None or row.ours.basis is Basis.CPU:
            continue
        if any(run.cpu is None for run in (*row.ours.runs, *row.floor.runs)):
            continue
        ours, floor = row.ours.on(Basis.CPU).median, row.floor.on(Basis.CPU).median
        lines.append(
            f"  {row.benchmark}: {format_seconds(ours)} vs {format_seconds(floor)} = {ours / floor:.2f}x"
        )
    return lines


def print_details(report: Report) -> None:
    """What follows the table: CPU-time ratios, growth without the GC, the suite's parts and slowest tests."""
    cpu_lines = cpu_ratios(report.rows)
    if cpu_lines:
        print("\nThe same comparisons on CPU time (median; the plugin process's whole life):")
        print("\n".join(cpu_lines))
    paused = report.details.get("component_overhead", {}).get("growth_with_gc_paused")
    if paused:
        small, large = paused["sizes"]
        print(
            f"\nGrowth {small} -> {large} envs with Python's cyclic GC paused (1.00x = linear):"
            f" component {paused['component']:.2f}x, raw pulumi-aws {paused['raw']:.2f}x;"
            f" component overhead at {large} envs {paused['component_overhead_at_largest']:.2f}x."
        )
    details = report.details.get("test_suite")
    if details:
        parts = ", ".join(
            f"{target} {seconds:.1f} s" for target, seconds in details["parts_median_s"].items()
        )
        print(f"\nTest suite, median per part: {parts}. pytest: {details['pytest_summary'] or 'no summary'}.")
        print("Slowest ten tests (last run):")
        for slow in details["slowest_tests"]:
            print(f"  {slow['seconds']:7.2f} s  {slow['phase']:<8} {slow['test']}")
        print("Time per test folder (setup + call + teardown, last run):")
        for folder, seconds in details["seconds_by_folder"].items():
            print(f"  {seconds:7.2f} s  {folder}")
    fast = report.details.get("test_fast")
    if fast:
        print(f"\nmake test-fast: pytest: {fast['pytest_summary'] or 'no summary'}.")
        print("Slowest ten tests of make test-fast (last run):")
        for slow in fast["slowest_tests"]:
            print(f"  {slow['seconds']:7.2f} s  {slow['phase']:<8} {slow['test']}")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The command line: how many runs, which benchmarks, which provider."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per side (default 5)")
    parser.add_argument(
        "--cold-repeats",
        type=int,
        default=11,
        help="timed cold starts per side; cheap and noisy, so more of them (default 11)",
    )
    parser.add_argument(
        "--large-repeats",
        type=int,
        default=3,
        help="timed runs per side of the largest size: 100 envs under mocks, 50 under the engine,"
        " AnalyzeStack of 100,000 resources (default 3)",
    )
    parser.add_argument("--suite-repeats", type=int, default=3, help="runs of the test suite (default 3)")
    parser.add_argument(
        "--only", default=",".join(GROUPS), help=f"comma-separated benchmarks to run, of {', '.join(GROUPS)}"
    )
    parser.add_argument(
        "--provider-dir",
        type=Path,
        default=PROVIDER_DIR,
        help="plugin directory of the provider to measure (default: this repository's provider/)",
    )
    parser.add_argument("--results", type=Path, default=RESULTS_DIR, help="where to write the JSON file")
    parser.add_argument("--strict", action="store_true", help="exit 1 unless every row passes")
    args = parser.parse_args(argv)
    unknown = set(args.only.split(",")) - set(GROUPS)
    if unknown:
        parser.error(f"unknown benchmarks: {', '.join(sorted(unknown))}")
    return args


def collect_rows(chosen: set[str], args: argparse.Namespace, report: Report) -> None:
    """Measure the chosen groups that add rows to the table (pack-cost, datapath and suite are main's)."""
    if "cold-start" in chosen:
        report.rows.extend(cold_start_rows(args.cold_repeats, args.provider_dir))
    if "overhead" in chosen:
        report.rows.extend(overhead_rows(args.repeats, args.large_repeats, report))
    if "policy" in chosen:
        report.rows.extend(policy_rows(args.repeats, args.large_repeats))
    if "exemptions" in chosen:
        report.rows.extend(exemptions.rows(args.repeats))
    if "engine" in chosen:
        report.rows.extend(engine_rows(args.repeats))
        report.rows.extend(engine_moto.rows(args.repeats))
    if "engine-growth" in chosen:
        report.rows.extend(engine_growth_rows(args.repeats, args.large_repeats))
    if "languages" in chosen:
        report.rows.extend(language_rows(args.repeats))
    if "report" in chosen:
        report.rows.extend(report_command.rows(args.repeats))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen benchmarks, print the table, write the JSON file."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    chosen = set(args.only.split(","))
    report = Report()
    report.details["settings"] = {
        "repeats": args.repeats,
        "cold_repeats": args.cold_repeats,
        "large_repeats": args.large_repeats,
        "suite_repeats": args.suite_repeats,
        "provider_dir": str(args.provider_dir),
        "groups": [group for group in GROUPS if group in chosen],
    }
    collect_rows(chosen, args, report)
    pack_text = pack_cost_details(args.repeats, report) if "pack-cost" in chosen else ""
    datapath_text = datapath_details(report) if "datapath" in chosen else ""
    if "suite" in chosen:
        report.rows.extend(suite_rows(args.suite_repeats, report))
    if report.rows:
        print(render_table(report.rows))
    print_details(report)
    if pack_text:
        print(f"\n{pack_text}")
    if datapath_text:
        print(f"\n{datapath_text}")
    path = write_json(report, args.results)
    print(f"\nWritten to {path}")
    if args.strict and any(row.status not in (Status.PASS, Status.REPORTED) for row in report.rows):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
