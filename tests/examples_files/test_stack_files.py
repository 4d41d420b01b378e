"""The examples' project and stack files carry the environments the original description asks for."""

import pytest

from .stack_configs import LANGUAGES, PROJECT, STACKS, project, stack_config

ENVIRONMENTS = {
    "dev": ("us-east-2", 512),
    "staging": ("us-west-1", 512),
    "prod": ("us-east-1", 1024),
}
"""Stack -> (AWS region, Lambda memory in MB)."""

RUNTIMES = {"python": "python", "typescript": "nodejs", "go": "go", "java": "java", "yaml": "yaml"}


def _runtime(language: str) -> str:
    runtime = project(language)["runtime"]
    return str(runtime["name"] if isinstance(runtime, dict) else runtime)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_example_is_the_pulumi_infra_project_in_its_own_runtime(language: str) -> None:
    # The project name is the config namespace: `pulumi-infra:environment`
    # is only read by a program whose project is called pulumi-infra.
    assert project(language)["name"] == PROJECT
    assert _runtime(language) == RUNTIMES[language]
    assert project(language)["packages"] == {"envstack": "../../provider"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_stack_files_set_region_memory_and_suffix_per_environment(language: str, stack: str) -> None:
    config = stack_config(language, stack)
    region, memory = ENVIRONMENTS[stack]
    assert config.region == region
    assert config.project_value("lambdaMemoryMb") == memory
    assert config.project_value("environment") == stack
    assert config.project_value("environmentSuffix") == stack
    assert {key.split(":")[0] for key in config.values} <= {"aws", PROJECT}


def test_python_typescript_go_and_java_share_their_stack_files() -> None:
    # The same stack means the same deployment, whichever language a team picks.
    for stack in STACKS:
        python = stack_config("python", stack).values
        assert stack_config("typescript", stack).values == python
        assert stack_config("go", stack).values == python
        assert stack_config("java", stack).values == python


def test_notification_email_is_optional_outside_yaml_and_set_everywhere_in_yaml() -> None:
    # Dev shows a stack without a subscription; Pulumi YAML has no
    # conditionals, so its program always passes the email and every stack sets one.
    assert stack_config("python", "dev").project_value("notificationEmail") is None
    assert stack_config("python", "prod").project_value("notificationEmail") is not None
    assert all(stack_config("yaml", stack).project_value("notificationEmail") for stack in STACKS)
    for stack in ("staging", "prod"):
        assert stack_config("yaml", stack).values == stack_config("python", stack).values
