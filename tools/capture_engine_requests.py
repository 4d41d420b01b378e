"""Capture what the real Pulumi engine sends the policy pack, as fixtures for fast replay tests.

The pack's unit and gRPC tests used to build their requests by hand, and a
hand-built request can only hold the shapes its author imagined: the real
engine sends a preview's computed outputs as unknowns, names only the inputs
built from other resources in ``propertyDependencies``, tells the stack
through ``ConfigureStack`` and never through ``PULUMI_STACK``. This tool runs
the pinned engine (``make engine``) with ``PULUMI_DEBUG_GRPC``, which logs
every gRPC call it makes, and keeps each analyzer request of a few real
commands:

- ``yaml-dev-preview``: ``pulumi preview --policy-pack`` of examples/yaml, stack dev;
- ``yaml-dev-up``: ``pulumi up --policy-pack`` of the same (outputs known);
- ``yaml-dev-alice-preview``: a stack named ``dev-alice`` with dev's stack file;
- ``rule-breakers-preview``: the rule-breaking test program's preview.

``tests/policy_grpc/test_replayed_engine_requests.py`` sends them to the
spawned pack again. Run by ``make capture-requests``; the files are checked
in, so the fast tests need no engine.
"""

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from envstack_testkit import engine

OUTPUT_DIR = Path(__file__).resolve().parents[1] / "tests" / "policy_grpc" / "engine_requests"
ANALYZER_METHODS = ("ConfigureStack", "Configure", "Analyze", "AnalyzeStack")
"""The analyzer calls a replay needs, in the order the engine makes them."""


def analyzer_requests(log: Path) -> list[dict[str, Any]]:
    """Every analyzer request in a ``PULUMI_DEBUG_GRPC`` log, in the order the engine sent them."""
    found = []
    for line in log.read_text().splitlines():
        entry = json.loads(line)
        service, _, method = entry["method"].rpartition("/")
        if service != "/pulumirpc.Analyzer" or method not in ANALYZER_METHODS:
            continue
        if entry.get("progress", "request_started") != "request_started":
            continue
        found.append({"method": method, "request": entry["request"]})
    return found


def _preview(stack: str, stack_file: str | None = None) -> Callable[[engine.Workspace], engine.Run]:
    def run(workspace: engine.Workspace) -> engine.Run:
        workspace.init_stack(stack, stack_file=stack_file)
        return workspace.preview_with_pack()

    return run


def _up(workspace: engine.Workspace) -> engine.Run:
    workspace.init_stack("dev")
    return workspace.run("up", "--yes", "--skip-preview", "--policy-pack", engine.policy_pack_argument())


SCENARIOS: dict[str, tuple[Path, Callable[[engine.Workspace], engine.Run], str]] = {
    "yaml-dev-preview": (engine.YAML_EXAMPLE, _preview("dev"), "pulumi preview --policy-pack (stack dev)"),
    "yaml-dev-up": (engine.YAML_EXAMPLE, _up, "pulumi up --policy-pack (stack dev)"),
    "yaml-dev-alice-preview": (
        engine.YAML_EXAMPLE,
        _preview("dev-alice", "dev"),
        "pulumi preview --policy-pack (stack dev-alice, dev's stack file)",
    ),
    "rule-breakers-preview": (
        engine.RULE_BREAKERS,
        _preview("dev"),
        "pulumi preview --policy-pack (stack dev)",
    ),
}


def capture(name: str) -> dict[str, Any]:
    """Run one scenario under the real engine and return its analyzer requests."""
    source, command, described = SCENARIOS[name]
    with engine.Workspace(source) as workspace:
        log = workspace.root / "grpc.jsonl"
        workspace.extra_env = {**workspace.extra_env, "PULUMI_DEBUG_GRPC": str(log)}
        run = command(workspace)
        requests = analyzer_requests(log)
    if not requests:
        raise RuntimeError(f"{name}: the engine sent the pack nothing\n{run.output[-4000:]}")
    return {
        "generatedBy": "tools/capture_engine_requests.py (make capture-requests)",
        "engine": "pulumi v3.274.1",
        "program": str(source.relative_to(engine.ROOT)),
        "command": described,
        "exitCode": run.returncode,
        "requests": requests,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Capture every scenario (or the named ones) into the fixture folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", help=f"of {', '.join(sorted(SCENARIOS))} (default: all)")
    parser.add_argument("--output", type=Path, default=OUTPUT_DIR)
    options = parser.parse_args(argv)
    unknown = set(options.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    options.output.mkdir(parents=True, exist_ok=True)
    for name in options.scenarios or sorted(SCENARIOS):
        document = capture(name)
        path = options.output / f"{name}.json"
        path.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
        print(f"{path}: {len(document['requests'])} requests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
