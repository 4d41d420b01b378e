"""Which stack the pack judges: from ConfigureStack, else from each resource's URN (called directly)."""

from collections.abc import Callable

from envstack_policy.readers import stack
from envstack_policy.readers.stack import StackInfo

URN = "urn:pulumi:dev-alice::pulumi-infra::aws:sqs/queue:Queue::ingest"


def test_the_urn_names_the_stack() -> None:
    assert stack.stack_of(URN) == "dev-alice"
    assert stack.stack_of("urn:pulumi:prod::p::pulumi:pulumi:Stack::p-prod") == "prod"


def test_text_that_is_not_a_pulumi_urn_names_no_stack() -> None:
    assert stack.stack_of("urn:ingest") == ""
    assert stack.stack_of("arn:aws:sqs::ingest::x") == ""


def test_without_configure_stack_everything_comes_from_the_urn() -> None:
    assert stack.configured() is None
    assert stack.stack_name(URN) == "dev-alice"
    assert stack.environment(URN) == "dev-alice"
    assert stack.environment_suffix(URN) == "dev-alice"


def test_configure_stack_names_the_stack(configured_stack: Callable[[StackInfo], None]) -> None:
    configured_stack(StackInfo("staging", "pulumi-infra"))
    assert stack.stack_name(URN) == "staging"
    assert stack.environment_suffix(URN) == "staging"


def test_an_empty_stack_in_configure_stack_falls_back_to_the_urn(
    configured_stack: Callable[[StackInfo], None],
) -> None:
    configured_stack(StackInfo("", "pulumi-infra"))
    assert stack.stack_name(URN) == "dev-alice"


def test_the_projects_environment_config_names_the_environment_and_suffix(
    configured_stack: Callable[[StackInfo], None],
) -> None:
    configured_stack(StackInfo("dev-alice", "pulumi-infra", {"pulumi-infra:environment": "dev"}))
    assert stack.environment(URN) == "dev"
    assert stack.environment_suffix(URN) == "dev"


def test_the_suffix_config_wins_over_the_environment(configured_stack: Callable[[StackInfo], None]) -> None:
    configured_stack(
        StackInfo(
            "dev-alice",
            "pulumi-infra",
            {"pulumi-infra:environment": "dev", "pulumi-infra:environmentSuffix": "alice"},
        )
    )
    assert stack.environment(URN) == "dev"
    assert stack.environment_suffix(URN) == "alice"


def test_empty_config_values_do_not_count(configured_stack: Callable[[StackInfo], None]) -> None:
    configured_stack(StackInfo("qa", "p", {"p:environmentSuffix": "", "p:environment": ""}))
    assert stack.environment_suffix(URN) == "qa"
