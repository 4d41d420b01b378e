"""Run examples/python's own program under the real engine through ``pulumi.automation``, inline.

Usage: ``python python_driver.py PLAN.json REPORT.json`` (see ``envstack_testkit.automation``).

The program is inline: ``pulumi.automation`` serves the language host in this
process and the CLI runs it there. It is the example's ``__main__.py``, run by
``runpy`` as the Python language host runs a project's main module, from the
workspace's ``work_dir`` (a temporary copy of ``examples/python``), so its
``Pulumi.yaml`` and ``Pulumi.<stack>.yaml`` are read as the CLI reads them.
This file stands alone (standard library and ``pulumi`` only), like a user's
own deployment script.
"""

import json
import runpy
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from pulumi import automation as auto


def _policy(event: auto.EngineEvent, found: list[dict[str, str]]) -> None:
    if event.policy_event is not None:
        found.append(
            {
                "policyName": event.policy_event.policy_name,
                "enforcementLevel": event.policy_event.enforcement_level,
                "message": event.policy_event.message,
            }
        )


def _outputs(outputs: auto.OutputMap) -> dict[str, dict[str, Any]]:
    return {
        name: {"value": output.value, "secret": output.secret, "type": type(output.value).__name__}
        for name, output in outputs.items()
    }


def _changes(summary: Any) -> dict[str, int]:
    return {str(getattr(kind, "value", kind)): int(count) for kind, count in (summary or {}).items()}


def run_step(stack: auto.Stack, step: str, policy_pack: str) -> dict[str, Any]:
    """Run one step; a failure is reported, not raised."""
    result: dict[str, Any] = {"step": step, "ok": True}
    policy: list[dict[str, str]] = []
    started = time.perf_counter()
    try:
        if step in ("preview-with-pack", "preview", "preview-expect-no-changes"):
            preview = stack.preview(
                policy_packs=[policy_pack] if step == "preview-with-pack" else None,
                expect_no_changes=True if step == "preview-expect-no-changes" else None,
                on_event=lambda event: _policy(event, policy),
            )
            result.update(stdout=preview.stdout, changes=_changes(preview.change_summary))
        elif step == "up":
            up = stack.up(on_event=lambda event: _policy(event, policy))
            result.update(
                stdout=up.stdout, changes=_changes(up.summary.resource_changes), outputs=_outputs(up.outputs)
            )
        elif step == "outputs":
            result.update(outputs=_outputs(stack.outputs()))
        elif step == "export":
            deployment = stack.export_stack()
            result.update(state={"version": deployment.version, "deployment": deployment.deployment})
        elif step == "destroy":
            destroy = stack.destroy()
            result.update(stdout=destroy.stdout, changes=_changes(destroy.summary.resource_changes))
        else:
            raise ValueError(f"unknown step {step!r}")
    except Exception as error:  # noqa: BLE001 - every failure is the step's result
        result.update(ok=False, error=f"{type(error).__name__}: {error}")
    result.update(seconds=time.perf_counter() - started, policy=policy)
    return result


def main(plan_file: str, report_file: str) -> int:
    """Run every stack of the plan and write the report."""
    plan = json.loads(Path(plan_file).read_text())
    work_dir = Path(plan["workDir"])
    main_module = work_dir / "__main__.py"

    def program() -> None:
        runpy.run_path(str(main_module), run_name="__main__")

    command = auto.PulumiCommand(root=plan["pulumiRoot"])
    stacks = []
    for stack_plan in plan["stacks"]:
        stack = auto.create_or_select_stack(
            stack_name=stack_plan["stack"],
            project_name=plan["project"],
            program=program,
            # The inline path reads work_dir from the options: Pulumi.yaml and the stack files there.
            opts=auto.LocalWorkspaceOptions(work_dir=str(work_dir), pulumi_command=command),
        )
        for key, value in stack_plan.get("secrets", {}).items():
            stack.set_config(key, auto.ConfigValue(value=value, secret=True))
        steps = [run_step(stack, step, plan["policyPack"]) for step in stack_plan["steps"]]
        stacks.append({"stack": stack_plan["stack"], "steps": steps})
    Path(report_file).write_text(json.dumps({"language": "python", "stacks": stacks}, default=str))
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main(*sys.argv[1:3]))
    except Exception:  # noqa: BLE001 - any failure outside a step ends the driver with its trace
        traceback.print_exc()
        raise SystemExit(2) from None
