"""``envstack-policy report`` on the event log of a 50-environment preview, as a CI step runs it.

The event log is real engine output, multiplied: the pinned CLI previews the
rule breakers' program (``envstack_testkit.broken_plugin``: 12 resources, 23
findings, 16 of them mandatory) with the pack's executable and
``--event-log``, and that log's per-resource events (each violation and each
resource's policy summary) are repeated 50 times, each copy's URNs given
their own name suffix (``-env<k>``), as 50 environments of such resources
would log them; the run's own events (prelude, stack summary, summary) stay
once. That is about 1,150 findings and 23,000 checks.

Timed: the whole ``envstack-policy report --event-log ... --sarif ...
--junit ... --markdown ...`` process, from spawn to exit (Python's start and
the pack's import included, as a CI step pays them), on the wall clock, with
its CPU time beside it: about 0.45 s of CPU here (0.22 s of it importing the
pack and pulumi-policy, 0.08 s reading the log, 0.11 s writing the JUnit
XML's 23,000 cases), so a wall time near the goal means a busy machine.
Goal: under 2 s.
"""

import json
import re
import resource
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from envstack_testkit import engine

from .harness import Row, Samples, Timing, not_measured, seconds_under

ENVIRONMENTS = 50
GOAL = seconds_under(2.0, "envstack-policy report of a 50-environment preview's event log under 2 s")
NAME = (
    f"envstack-policy report: SARIF, JUnit and Markdown of a {ENVIRONMENTS}-environment preview's event log"
)
PER_RESOURCE = ("policyEvent", "policyAnalyzeSummaryEvent", "policyRemediateSummaryEvent", "resourcePreEvent")
"""Events a copy of the resources repeats; every other event belongs to the run and stays once."""

_URN_NAME = re.compile(r'(urn:pulumi:[^":]+::[^":]+::[^"]*?::)([^"\\:]+)')


def record_event_log(path: Path) -> None:
    """The rule breakers' preview with the pack, its event log written to ``path`` by the pinned CLI."""
    with engine.Workspace(engine.RULE_BREAKERS, extra_env=engine.EVENT_LOG_ENV) as workspace:
        workspace.init_stack("dev")
        run = workspace.preview_with_pack("--event-log", str(path))
    if "policyEvent" not in path.read_text(encoding="utf-8"):
        raise RuntimeError(f"the preview logged no policy event:\n{run.output[-2000:]}")


def replicate(lines: Iterable[str], copies: int) -> Iterator[str]:
    """The log's lines with its per-resource events repeated ``copies`` times under distinct URNs."""
    events = [json.loads(line) for line in lines if line.strip()]
    per_resource = [e for e in events if any(k in e for k in PER_RESOURCE)]
    first = events.index(per_resource[0]) if per_resource else len(events)
    run_before = [e for e in events[:first] if e not in per_resource]
    run_after = [e for e in events[first:] if e not in per_resource]
    sequence = 0
    for event in run_before:
        yield json.dumps({**event, "sequence": sequence})
        sequence += 1
    for copy in range(copies):
        for event in per_resource:
            text = _URN_NAME.sub(rf"\1\2-env{copy}", json.dumps({**event, "sequence": sequence}))
            yield text
            sequence += 1
    for event in run_after:
        yield json.dumps({**event, "sequence": sequence})
        sequence += 1


def time_report(event_log: Path, out: Path, repeats: int) -> list[Timing]:
    """Wall and CPU seconds of each of ``repeats`` report runs, after a warm-up that must succeed."""
    command = [
        str(engine.REPORT_COMMAND),
        "report",
        "--event-log",
        str(event_log),
        "--sarif",
        str(out / "report.sarif"),
        "--junit",
        str(out / "report.xml"),
        "--markdown",
        str(out / "report.md"),
    ]
    warm = subprocess.run(command, capture_output=True, text=True, check=False)
    if warm.returncode != 0:
        raise RuntimeError(f"envstack-policy report exited {warm.returncode}: {warm.stderr.strip()}")
    timings = []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        timings.append(Timing(wall, cpu))
    return timings


def rows(repeats: int) -> list[Row]:
    """The report row; a run that cannot be measured becomes a ``not measured`` row that says why."""
    with tempfile.TemporaryDirectory(prefix="envstack-bench-report-") as scratch:
        folder = Path(scratch)
        try:
            record_event_log(folder / "one.jsonl")
            big = folder / f"{ENVIRONMENTS}.jsonl"
            lines = (folder / "one.jsonl").read_text(encoding="utf-8").splitlines()
            big.write_text("\n".join(replicate(lines, ENVIRONMENTS)) + "\n", encoding="utf-8")
            timings = time_report(big, folder, repeats)
        except Exception as error:  # noqa: BLE001 - a failed benchmark must not hide the others
            text = str(error).strip()
            return [
                not_measured(NAME, GOAL, f"{type(error).__name__}: {text.splitlines()[0] if text else ''}")
            ]
    return [Row(NAME, GOAL, Samples(tuple(timings)))]


if __name__ == "__main__":
    for row in rows(5):
        print(row.benchmark, row.ours)
