"""Each language's example previewed by the real engine through its Automation API, against YAML's.

The Python, TypeScript, Go and Java examples run under the pinned engine as
inline programs of their own language's Automation API, driven by
``envstack_testkit.automation`` (its ``run_plan``: one driver process per
call, on a copy of the example's folder). Each timing here is one
``preview`` of the dev stack as the driver measures it around its Automation
API call: what a program that already holds the stack pays, the driver's own
start and the stack's selection left out. The floor is ``pulumi preview`` of a
copy of examples/yaml, the CLI's whole run, timed alternately in the same
rounds. Neither side runs the pack.

Until ``envstack_testkit.automation`` is in the tree, the Python row runs
``bench/python_automation.py`` instead, the same inline program through the
same API, one process per preview; the other languages are not measured.
"""

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from envstack_testkit import engine

from .engine import example_workspace, timed_preview
from .engine_programs import STACK
from .harness import Comparison, Timing, compare

LANGUAGES = ("python", "typescript", "go", "java")
AUTOMATION = "envstack_testkit.automation"
"""The Automation API drivers' harness (issue 18's engine part)."""


class DriversMissingError(RuntimeError):
    """The Automation API drivers are not in this tree."""


def automation() -> Any:
    """``envstack_testkit.automation``, or an error saying it has not landed."""
    try:
        return importlib.import_module(AUTOMATION)
    except ModuleNotFoundError as error:
        raise DriversMissingError(f"{AUTOMATION} (the Automation API drivers) is not in this tree") from error


def python_preview(workspace: engine.Workspace) -> Timing:
    """One preview of examples/python's copy in ``workspace`` by ``bench/python_automation.py``."""
    project = yaml.safe_load((workspace.program / "Pulumi.yaml").read_text())["name"]
    arguments = [str(workspace.program), str(engine.TOOLCHAIN.parent), str(project), STACK]
    completed = subprocess.run(
        [sys.executable, "-m", "bench.python_automation", *arguments],
        cwd=Path(__file__).resolve().parents[1],
        env=workspace.env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=engine.TIMEOUT_SECONDS,
    )
    if completed.returncode:
        raise RuntimeError(f"python preview failed: {completed.stderr[-4000:]}")
    return Timing(float(json.loads(completed.stdout.splitlines()[-1])["seconds"]))


def python_against_yaml(repeats: int) -> Comparison:
    """The Python row without the drivers: ``bench/python_automation.py`` against examples/yaml's preview."""
    with (
        engine.Workspace(engine.ROOT / "examples" / "python") as workspace,
        example_workspace() as yaml_example,
    ):
        return compare(lambda: python_preview(workspace), timed_preview(yaml_example), repeats=repeats)


def language_against_yaml(language: str, repeats: int) -> Comparison:
    """One language's example previewed through its Automation API against examples/yaml's CLI preview."""
    try:
        drivers = automation()
    except DriversMissingError:
        if language == "python":
            return python_against_yaml(repeats)
        raise
    with (
        engine.Workspace(drivers.EXAMPLES / language) as workspace,
        example_workspace() as yaml_example,
    ):

        def ours() -> Timing:
            plan = drivers.StackPlan(STACK, (drivers.PREVIEW,))
            report = drivers.run_plan(language, [plan], workspace=workspace)
            step = report.stacks[STACK].step(drivers.PREVIEW)
            if not step.ok:
                raise RuntimeError(f"{language} preview failed: {step.error}")
            return Timing(float(step.seconds))

        return compare(ours, timed_preview(yaml_example), repeats=repeats)
