"""What the policy pack costs a preview, phase by phase, and whose each phase is.

The engine loads a policy pack before it runs the program (``loadPolicyPlugins``
in ``pkg/engine/update.go``): it starts the pack, waits for its port, asks
``GetAnalyzerInfo`` and sends ``ConfigureStack`` and ``Configure``; then it
sends ``Analyze`` for each resource as the program registers it and one
``AnalyzeStack`` at the end. All of that is on the preview's critical path.

Two measurements split it up:

- the start, in a fresh interpreter (``PROBE``) that does what the pack's
  executable does (``envstack_policy.serving.server.serve``: ``main`` imports, tunes
  the collector, starts the gRPC server), with a clock mark between the
  phases: the interpreter's own start, pulumi-policy's imports (the Pulumi
  SDK, grpc and protobuf: what every Python pack imports), envstack's own
  modules, the collector's tuning and the server's start. Wall and CPU time
  of each (``perf_counter`` is the system's monotonic clock, so the spawn
  time of the bench process and the marks of the probe compare);
- the requests, replayed from what the real engine sent in a preview of
  examples/yaml (``tests/policy_grpc/engine_requests/yaml-dev-preview.json``)
  to a pack spawned as the engine spawns it: ``GetAnalyzerInfo``,
  ``ConfigureStack`` with ``Configure``, every ``Analyze``, the
  ``AnalyzeStack``: the policies' own time, plus pulumi-policy's
  deserializing, as the engine waits for each answer.
"""

import itertools
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from envstack_testkit.analyzer_harness import PolicyAnalyzer

CAPTURE = (
    Path(__file__).resolve().parents[1]
    / "tests"
    / "policy_grpc"
    / "engine_requests"
    / "yaml-dev-preview.json"
)
PACK_PYTHON = Path(sys.executable)
"""The interpreter the pack's executable runs on (this venv's)."""

ANY_PACK = "any Python pack"
ENVSTACK = "envstack"

PROBE = """
import json, sys, time
marks = [("start", time.perf_counter(), time.process_time())]
def mark(name):
    marks.append((name, time.perf_counter(), time.process_time()))
import gc
from envstack_policy.serving import main
gc.disable()
mark("main")
import pulumi_policy
mark("pulumi_policy")
from envstack_policy.serving import server
mark("server")
server.pack.tune_garbage_collection()
mark("gc")
grpc_server, port = server.start()
mark("grpc")
grpc_server.stop(None)
json.dump(marks, sys.stdout)
"""
"""The pack's start as ``envstack_policy.serving.main.serve`` runs it, with a clock mark after each phase.

``main`` turns the collector off and imports the server, whose ``serve``
tunes the collector and starts the gRPC server; here ``pulumi_policy`` is
imported on its own before the pack's modules, so that its share (the Pulumi
SDK, grpc, protobuf: what every Python pack imports) is told from theirs.
"""

STARTUP_PHASES = (
    ("interpreter start", ANY_PACK),
    ("entry module (envstack_policy.serving.main)", ENVSTACK),
    ("import pulumi_policy: the Pulumi SDK, grpc, protobuf", ANY_PACK),
    ("import the pack's policy modules and server", ENVSTACK),
    ("collector tuning (gc.freeze)", ENVSTACK),
    ("gRPC server start", ANY_PACK),
)


@dataclass(frozen=True)
class Phase:
    """One phase of the pack's cost: its median wall and CPU time over the runs, and whose it is."""

    name: str
    whose: str
    wall: float
    cpu: float | None

    def as_dict(self) -> dict[str, Any]:
        """For the JSON file."""
        return {"phase": self.name, "whose": self.whose, "wall_s": self.wall, "cpu_s": self.cpu}


def _median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def startup_once(python: Path = PACK_PYTHON) -> list[tuple[float, float]]:
    """One cold start of the pack in the probe: (wall, CPU) of each of ``STARTUP_PHASES``."""
    spawned = time.perf_counter()
    completed = subprocess.run(
        [str(python), "-c", PROBE], stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
    )
    if completed.returncode:
        raise RuntimeError(f"the pack's start-up probe failed:\n{completed.stderr[-4000:]}")
    marks: list[tuple[str, float, float]] = [tuple(mark) for mark in json.loads(completed.stdout)]
    phases = [(marks[0][1] - spawned, marks[0][2])]
    phases.extend((after[1] - before[1], after[2] - before[2]) for before, after in itertools.pairwise(marks))
    return phases


def requests_once(capture: Path = CAPTURE) -> dict[str, float]:
    """The engine's requests of one preview, replayed to a fresh pack: wall seconds per kind of call."""
    document: dict[str, Any] = json.loads(capture.read_text())
    calls: list[Mapping[str, Any]] = document["requests"]
    spent: dict[str, float] = {}
    with PolicyAnalyzer(stack="unconfigured", project="unconfigured") as analyzer:
        started = time.perf_counter()
        analyzer.info()
        spent["GetAnalyzerInfo"] = time.perf_counter() - started
        for call in calls:
            method = str(call["method"])
            key = "ConfigureStack + Configure" if method.startswith("Configure") else method
            started = time.perf_counter()
            analyzer.replay(method, call["request"])
            spent[key] = spent.get(key, 0.0) + time.perf_counter() - started
    counts = {m: sum(1 for c in calls if c["method"] == m) for m in ("Analyze", "AnalyzeStack")}
    return {
        (f"{key} x{counts[key]}" if counts.get(key, 1) > 1 else key): value for key, value in spent.items()
    }


def measure(repeats: int) -> list[Phase]:
    """Every phase, as the median of ``repeats`` runs of each measurement."""
    starts = [startup_once() for _ in range(repeats)]
    phases = [
        Phase(name, whose, _median([run[i][0] for run in starts]), _median([run[i][1] for run in starts]))
        for i, (name, whose) in enumerate(STARTUP_PHASES)
    ]
    replays = [requests_once() for _ in range(repeats)]
    for key in replays[0]:
        phases.append(
            Phase(
                f"{key} (the policies and pulumi-policy; wall, client side)",
                ENVSTACK,
                _median([run[key] for run in replays]),
                None,
            )
        )
    return phases


def render(phases: Sequence[Phase]) -> str:
    """The breakdown as lines after the table."""
    width = max(len(phase.name) for phase in phases)
    lines = []
    for phase in phases:
        cpu = f"{phase.cpu * 1000:6.0f} ms" if phase.cpu is not None else "       -"
        lines.append(f"  {phase.name:<{width}}  {phase.wall * 1000:6.0f} ms  {cpu}   {phase.whose}")
    ours_cpu = sum(p.cpu or 0.0 for p in phases if p.whose == ENVSTACK)
    any_cpu = sum(p.cpu or 0.0 for p in phases if p.whose == ANY_PACK)
    lines.append(
        f"  start-up CPU: {any_cpu * 1000:.0f} ms that any Python pack pays,"
        f" {ours_cpu * 1000:.0f} ms envstack's own"
    )
    return "\n".join(lines)
