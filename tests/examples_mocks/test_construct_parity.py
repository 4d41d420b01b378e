"""Every language's recorded inputs, handed to the real provider's Construct, build the same stack.

The mocks stop at the remote component; what it becomes is decided by the
provider. Here the inputs each example registered go over gRPC to the
provider plugin, spawned as the engine spawns it, and the children it
registers are compared across languages: the same stack file must give the
same resources, whatever language the program is written in. The children
are also checked against the stack file itself (memory, email, suffix,
region), so agreeing on a wrong stack would fail too.
"""

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from envstack_provider.component import TYPE_TOKEN
from envstack_testkit.provider_harness import ConstructOutcome, ProviderProcess, construct

from .records import RunExample
from .stack_configs import LANGUAGES, PROJECT, stack_config

Construct = Callable[[str, str], ConstructOutcome]

NAMED_TYPES = {
    "aws:s3/bucket:Bucket": "bucket",
    "aws:dynamodb/table:Table": "name",
    "aws:sqs/queue:Queue": "name",
    "aws:sns/topic:Topic": "name",
    "aws:lambda/function:Function": "name",
    "aws:iam/role:Role": "name",
}
"""Resource types with a physical name, and the input that holds it."""


@pytest.fixture(scope="session")
def constructed(provider: ProviderProcess, example_runs: RunExample) -> Iterator[Construct]:
    """``constructed(language, stack)``: Construct of that run's recorded inputs, made once."""
    cache: dict[tuple[str, str], ConstructOutcome] = {}

    def build(language: str, stack: str) -> ConstructOutcome:
        if (language, stack) not in cache:
            component = example_runs(language, stack).component()
            region = stack_config(language, stack).region
            cache[(language, stack)] = construct(
                provider,
                TYPE_TOKEN,
                component.name,
                component.inputs,
                stack=stack,
                project=PROJECT,
                config={"aws:region": region},
            )
        return cache[(language, stack)]

    yield build


def children(outcome: ConstructOutcome) -> list[tuple[str, str, str, str]]:
    """Every registration under the component: type, name, parent and inputs, in a stable order."""
    return sorted(
        (r.type, r.name, r.parent, json.dumps(r.inputs, sort_keys=True, default=repr))
        for r in outcome.registrations
        if r.type != TYPE_TOKEN
    )


def test_same_stack_file_gives_the_same_children_in_every_language(
    stack: str, constructed: Construct
) -> None:
    by_config: dict[str, dict[str, list[tuple[str, str, str, str]]]] = {}
    for language in LANGUAGES:
        key = json.dumps(stack_config(language, stack).values, sort_keys=True)
        by_config.setdefault(key, {})[language] = children(constructed(language, stack))
    # YAML's dev stack sets an email the others leave out (see examples/yaml/Pulumi.yaml).
    assert len(by_config) == (2 if stack == "dev" else 1)
    for trees in by_config.values():
        reference = next(iter(trees.values()))
        assert len(reference) >= 15
        for language, tree in trees.items():
            assert tree == reference, f"{language} built a different {stack} stack"


@pytest.mark.parametrize("language", LANGUAGES)
def test_children_follow_the_stack_file(language: str, stack: str, constructed: Construct) -> None:
    outcome = constructed(language, stack)
    config = stack_config(language, stack)
    suffix = str(config.project_value("environmentSuffix"))

    function = outcome.one("aws:lambda/function:Function")
    assert function.inputs["memorySize"] == config.project_value("lambdaMemoryMb")

    email = config.project_value("notificationEmail")
    subscriptions = outcome.of_type("aws:sns/topicSubscription:TopicSubscription")
    assert [s.inputs["endpoint"] for s in subscriptions] == ([email] if email else [])

    names: dict[str, Any] = {
        r.type: r.inputs[key] for r in outcome.registrations if (key := NAMED_TYPES.get(r.type))
    }
    assert set(names) == set(NAMED_TYPES)
    assert all(str(name).endswith(f"-{suffix}") for name in names.values()), names
    assert f":{config.region}:" in str(outcome.state["queueArn"])
    assert outcome.state["bucketName"] == names["aws:s3/bucket:Bucket"]
