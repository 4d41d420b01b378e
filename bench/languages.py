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
"""

import importlib
from typing import Any

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


def language_against_yaml(language: str, repeats: int) -> Comparison:
    """One language's example previewed through its Automation API against examples/yaml's CLI preview."""
    drivers = automation()
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
