"""``make demo``: the real Pulumi engine previews each environment with the pack, then rejects a bad program.

What it shows is the engine's own output, exactly as a user sees it: first
the Python example (Python is the component's preferred language), run by
Python's Automation API as an inline program and previewed with the pack for
each of its stack files (``envstack_testkit.automation``); then
``pulumi preview --policy-pack`` at a terminal over a copy of
``examples/yaml`` for each of its stack files; then the same over a program
whose resources break the pack's rules. It needs no cloud credentials: the AWS provider is the
stand-in plugin (``aws_standin``) and the state is a local folder, both
temporary. The demo checks itself: it exits non-zero if an environment is
rejected or the broken program is not.
"""

import re
import sys
from collections.abc import Sequence

from . import automation, engine
from .stack_files import ENVIRONMENTS

_AMBIENT = re.compile(r"^.*warning: using pulumi-resource-\S+ from \$PATH at .*\n?", re.MULTILINE)
"""The engine's note that it found a plugin on PATH, repeated for every plugin start."""


def engine_output(run: engine.Run) -> str:
    """The engine's text, less its repeated note about plugins found on PATH (said once, up front)."""
    return _without_ambient(run.stdout + run.stderr)


_EMPTY_DIAGNOSTICS = re.compile(r"^Diagnostics:\n(?:  \S.*:\n)+(?=\n|\Z)", re.MULTILINE)
"""A diagnostics heading left with no line under it once the notes above are dropped."""


def _without_ambient(text: str) -> str:
    text = _EMPTY_DIAGNOSTICS.sub("", _AMBIENT.sub("", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def python_previews() -> bool:
    """Preview the Python example's stacks with the pack through Python's Automation API; True if all pass."""
    plans = [automation.StackPlan(env, (automation.PREVIEW_WITH_PACK,)) for env in ENVIRONMENTS]
    report = automation.run_plan("python", plans)
    ok = True
    for environment in ENVIRONMENTS:
        step = report.stacks[environment].step(automation.PREVIEW_WITH_PACK)
        print(
            f"\n=== examples/python, stack {environment}: preview with the pack, "
            "by Python's Automation API (inline program) ==="
        )
        print(_without_ambient(step.stdout) if step.ok else step.error)
        mandatory = [p for p in step.policy if p["enforcementLevel"] == "mandatory"]
        ok = ok and step.ok and not mandatory
    return ok


def preview(workspace: engine.Workspace, stack: str) -> engine.Run:
    """``pulumi stack init`` and ``pulumi preview --policy-pack`` on a workspace."""
    workspace.init_stack(stack)
    return workspace.preview_with_pack()


def main(argv: Sequence[str] = ()) -> int:
    """Preview every environment with the pack, then the broken program; 0 only if each verdict is right."""
    print(
        f"Pulumi CLI {engine.PULUMI} with plugins from {engine.PLUGINS} "
        f"(envstack's own, and a stand-in for pulumi-aws); --policy-pack {engine.policy_pack_argument()}"
    )
    ok = python_previews()
    for environment in ENVIRONMENTS:
        with engine.Workspace(engine.YAML_EXAMPLE) as workspace:
            run = preview(workspace, environment)
        print(f"\n=== examples/yaml, stack {environment}: pulumi preview --policy-pack ===")
        print(engine_output(run))
        ok = ok and run.returncode == 0

    with engine.Workspace(engine.RULE_BREAKERS) as workspace:
        run = preview(workspace, "dev")
    print("\n=== a program that breaks the rules (hand-written pulumi-aws resources): the preview fails ===")
    print(engine_output(run))
    ok = ok and run.returncode != 0
    print(
        "\nverdict: "
        + (
            "dev, staging and prod pass the pack, from Python and from YAML; the broken program is rejected."
            if ok
            else "UNEXPECTED"
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
