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

Each driver is compiled by ``make automation-deps`` (a prerequisite of
``make test``, so of ``make bench``); a language whose driver cannot run reads
``not measured`` with the reason.
"""

from envstack_testkit import automation, engine

from .engine import example_workspace, timed_preview
from .engine_programs import STACK
from .harness import Comparison, Timing, compare

LANGUAGES = automation.LANGUAGES
"""One row each, in the drivers' order."""


def language_against_yaml(language: str, repeats: int) -> Comparison:
    """One language's example previewed through its Automation API against examples/yaml's CLI preview."""
    with (
        engine.Workspace(automation.EXAMPLES / language) as workspace,
        example_workspace() as yaml_example,
    ):

        def ours() -> Timing:
            plan = automation.StackPlan(STACK, (automation.PREVIEW,))
            report = automation.run_plan(language, [plan], workspace=workspace)
            step = report.stacks[STACK].step(automation.PREVIEW)
            if not step.ok:
                raise RuntimeError(f"{language} preview failed: {step.error}")
            return Timing(step.seconds)

        return compare(ours, timed_preview(yaml_example), repeats=repeats)
