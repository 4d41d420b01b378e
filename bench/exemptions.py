"""What exemptions cost: the pack with 1,000 of them against the same pack with none.

Two rows, each against a floor measured in the same run, alternately:

- real engine: ``pulumi preview --policy-pack`` of examples/yaml's dev stack
  with a pack config holding 1,000 exemptions, against the same preview with
  the pack and no exemptions (goal <= 1.05x). The entries are a shared
  central list's: other stacks' URNs and type/name patterns, all valid, none
  matching this stack, so the preview prints the same on both sides and the
  difference is what reading, checking and indexing them costs (the CLI
  validates the config against the policy's schema too). Before timing, one
  preview must pass with no INVALID or STALE line, and one with a single
  entry broken must print its INVALID line: the pack read the list.
- AnalyzeStack of 10,000 resources through the spawned pack with 1,000
  exemptions naming this stack's resources by URN, against the same call
  with none (goal: under 5 s, as without). None of the stack policies fires
  on that stack, so every entry is stale: the worst case, in which the pack
  also reports 1,000 diagnostics. Each timed call follows a Configure (off
  the clock), so the session is built inside the timed call, as in a run.

``python -m bench.exemptions`` prints both; ``make bench --only exemptions``
puts them in the table.
"""

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pulumi_policy import StackValidationPolicy

from envstack_policy import exemptions, pack
from envstack_testkit import engine
from envstack_testkit.analyzer_harness import PolicyAnalyzer, analyze_stack_request

from .analyze_stack import stack_of
from .engine import example_workspace, timed_preview
from .harness import (
    Comparison,
    Goal,
    Row,
    Timing,
    compare,
    comparison_row,
    not_measured,
    ratio_at_most,
    seconds_under,
)

EXEMPTIONS = 1_000
RESOURCES = 10_000
PREVIEW_GOAL = ratio_at_most(1.05, "real engine: a preview with 1,000 exemptions within 1.05x of none")
ANALYZE_GOAL = seconds_under(5.0, "AnalyzeStack of 10,000 resources with 1,000 exemptions under 5 s")
_POLICIES = sorted(p.name for p in pack.POLICIES if p.name != exemptions.POLICY_NAME)


def _expiry() -> str:
    return (datetime.now(UTC).date() + timedelta(days=90)).isoformat()


def central_list(count: int = EXEMPTIONS) -> list[dict[str, Any]]:
    """A platform team's list for many stacks: other stacks' URNs, and every tenth a type/name pattern."""
    entries: list[dict[str, Any]] = []
    for index in range(count):
        entry: dict[str, Any] = {
            "id": f"central-{index}",
            "policy": _POLICIES[index % len(_POLICIES)],
            "reason": f"Legacy resource {index} moves in the Q3 migration",
            "expires": _expiry(),
            "approvedBy": "platform@example.com",
            "ticket": f"SEC-{index}",
        }
        if index % 10 == 9:
            entry.update(type="aws:ec2/instance:Instance", name=f"legacy-{index}-*")
        else:
            entry["urn"] = f"urn:pulumi:team-{index}::legacy-{index}::aws:s3/bucket:Bucket::legacy-{index}"
        entries.append(entry)
    return entries


def _write_config(folder: Path, name: str, entries: list[dict[str, Any]]) -> str:
    path = folder / name
    path.write_text(json.dumps({exemptions.POLICY_NAME: {"exemptions": entries}}))
    return str(path)


def preview_with_exemptions(repeats: int) -> Comparison:
    """The example's preview with the pack and 1,000 central exemptions against the pack with none."""
    with (
        tempfile.TemporaryDirectory(prefix="envstack-bench-exemptions-") as folder,
        example_workspace() as workspace,
    ):
        listed = central_list()
        with_list = _write_config(Path(folder), "with.json", listed)
        without = _write_config(Path(folder), "without.json", [])
        broken = _write_config(Path(folder), "broken.json", [*listed[:-1], {**listed[-1], "reason": "short"}])
        pack_args = ("--policy-pack", engine.policy_pack_argument(), "--policy-pack-config")
        checked = workspace.run("preview", *pack_args, with_list).check()
        if "INVALID exemption" in checked.stdout or "STALE exemption" in checked.stdout:
            raise AssertionError("the central list should be valid and not stale on this stack")
        refused = workspace.run("preview", *pack_args, broken)
        if f'INVALID exemption "central-{EXEMPTIONS - 1}"' not in refused.stdout:
            raise AssertionError("the pack did not read the exemptions: a broken entry went unreported")
        return compare(
            timed_preview(workspace, *pack_args, with_list),
            timed_preview(workspace, *pack_args, without),
            repeats,
        )


def this_stacks_list(urns: list[str], count: int = EXEMPTIONS) -> list[dict[str, Any]]:
    """Exemptions naming ``count`` of the stack's own resources by URN, for stack policies that pass."""
    stack_policies = sorted(
        p.name
        for p in pack.POLICIES
        if p.name != exemptions.POLICY_NAME and isinstance(p, StackValidationPolicy)
    )
    return [
        {
            "policy": stack_policies[index % len(stack_policies)],
            "urn": urn,
            "reason": "Benchmark entry for a resource of this stack",
            "expires": _expiry(),
        }
        for index, urn in enumerate(urns[:count])
    ]


def analyze_stack_with_exemptions(repeats: int) -> Comparison:
    """AnalyzeStack of 10,000 resources with 1,000 exemptions (all stale) against with none."""
    resources = stack_of(RESOURCES)
    request = analyze_stack_request(resources)
    listed = this_stacks_list([r.urn for r in resources])
    with PolicyAnalyzer(stack="dev") as analyzer:

        def side(entries: list[dict[str, Any]], stale: int) -> Callable[[], Timing]:
            def run() -> Timing:
                analyzer.configure({exemptions.POLICY_NAME: {"exemptions": entries}})
                start = time.perf_counter()
                found = analyzer.analyze_stack_request(request)
                seconds = time.perf_counter() - start
                reported = sum(d.message.startswith("STALE exemption") for d in found)
                if reported != stale:
                    raise AssertionError(f"expected {stale} stale exemptions, the pack reported {reported}")
                return Timing(seconds)

            return run

        return compare(side(listed, len(listed)), side([], 0), repeats)


def rows(repeats: int) -> list[Row]:
    """The two rows for ``make bench``: a failure of one becomes a not-measured row, never hides the other."""
    found: list[Row] = []
    benchmarks: tuple[tuple[str, Goal, Callable[[int], Comparison], str], ...] = (
        (
            f"real engine: preview --policy-pack with {EXEMPTIONS:,} exemptions (dev)",
            PREVIEW_GOAL,
            preview_with_exemptions,
            "the same preview with the pack and no exemptions",
        ),
        (
            f"policy AnalyzeStack, {RESOURCES:,} resources, {EXEMPTIONS:,} exemptions",
            ANALYZE_GOAL,
            analyze_stack_with_exemptions,
            "the same AnalyzeStack with no exemptions",
        ),
    )
    for name, goal, measure, floor_label in benchmarks:
        try:
            found.append(comparison_row(name, goal, measure(repeats), floor_label))
        except Exception as error:  # noqa: BLE001 - one failed benchmark must not hide the other
            found.append(not_measured(name, goal, str(error).splitlines()[0] if str(error) else repr(error)))
    return found


def main() -> int:
    """Print both comparisons (``--repeats N``, default 5)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    for row in rows(parser.parse_args().repeats):
        ours = statistics.median(row.ours.seconds) if row.ours else float("nan")
        floor = statistics.median(row.floor.seconds) if row.floor else float("nan")
        ratio = f"{row.ratio:.3f}x" if row.ratio is not None else row.missing
        print(
            f"{row.benchmark}: {ours:.3f} s vs {floor:.3f} s ({ratio}; {row.goal.text}): {row.status.value}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
