"""Each example under its own language's mocks registers the component its stack file describes.

The generated SDKs register ``EnvironmentStack`` as a remote component: the
mocks see one resource with the inputs the engine would pass to the
provider's Construct. These tests pin those inputs to the stack file and the
stack's exports to the component's outputs, for every language and stack.
"""

import pytest

from envstack_provider.component import TYPE_TOKEN

from .records import ExampleRun, RunExample
from .stack_configs import LANGUAGES, OUTPUTS, stack_config


@pytest.fixture(params=LANGUAGES)
def run(request: pytest.FixtureRequest, example_runs: RunExample, stack: str) -> ExampleRun:
    language = str(request.param)
    result = example_runs(language, stack)
    assert (result.language, result.stack) == (language, stack)
    return result


def test_registers_one_remote_environment_stack_with_the_stack_files_inputs(run: ExampleRun) -> None:
    assert [r.type for r in run.registrations] == [TYPE_TOKEN]
    component = run.component()
    assert component.name == "envstack"
    assert component.remote is True
    assert component.inputs == stack_config(run.language, run.stack).expected_inputs()


def test_exports_each_component_output_under_its_own_name(run: ExampleRun) -> None:
    state = run.component().state
    assert len(set(state.values())) == len(OUTPUTS)
    assert run.exports == {export: state[output] for export, output in OUTPUTS.items()}
