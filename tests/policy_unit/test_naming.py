"""Naming policy called directly: explicit names, auto-names, prefixes, suffix sources, unknowns."""

from collections.abc import Callable
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from envstack_policy.policies.naming import NAME_PROPERTIES, auto_named, carries, validate_naming
from envstack_policy.readers.stack import StackInfo

from .conftest import NotApplicable, run

QUEUE = "aws:sqs/queue:Queue"
BUCKET = "aws:s3/bucket:Bucket"


def naming(type_token: str, props: dict[str, Any], name: str = "ingest", **kwargs: Any) -> list[str]:
    return run(validate_naming, type_token, props, name=name, **kwargs)


def test_carries_checks_the_end_of_the_name() -> None:
    assert carries("envstack-data-dev", "dev")
    assert carries("/aws/lambda/envstack-processor-dev", "dev")
    assert carries("Orders-DEV.fifo", "dev")
    assert not carries("envstack-data-dev2", "dev")
    assert not carries("dev-envstack-data", "dev")


def test_auto_named_recognises_the_providers_random_suffix() -> None:
    assert auto_named("ingest-1a2b3c4", "ingest")
    assert auto_named("ingest-1a2b3c4.fifo", "ingest")
    assert not auto_named("ingest-1a2b3c4", "other")
    assert not auto_named("ingest-dev", "ingest")


def test_without_configure_stack_the_suffix_is_the_stack_in_the_urn() -> None:
    assert naming(QUEUE, {"name": "envstack-ingest-dev"}) == []
    [message] = naming(QUEUE, {"name": "envstack-ingest-prod"})
    assert message == (
        "ingest (aws:sqs:Queue): physical name 'envstack-ingest-prod' does not end with the environment"
        " suffix '-dev'. Fix: set name to a name ending in '-dev'."
    )


def test_config_suffix_wins_over_the_stack_name() -> None:
    assert naming(QUEUE, {"name": "envstack-ingest-qa"}, config={"suffix": "qa"}) == []
    assert len(naming(QUEUE, {"name": "envstack-ingest-dev"}, config={"suffix": "qa"})) == 1


def test_buckets_are_named_by_their_bucket_input() -> None:
    assert naming(BUCKET, {"bucket": "envstack-data-dev"}, name="data") == []
    [message] = naming(BUCKET, {"bucket": "envstack-data"}, name="data")
    assert "Fix: set bucket to a name ending in '-dev'." in message


def test_an_auto_name_is_judged_by_its_logical_name() -> None:
    assert naming(QUEUE, {"name": "ingest-dev-1a2b3c4"}, name="ingest-dev") == []
    [message] = naming(QUEUE, {"name": "ingest-1a2b3c4"}, name="ingest")
    assert "is auto-named from its logical name 'ingest'" in message
    assert "rename the resource to 'ingest-dev'" in message


def test_a_missing_name_will_be_auto_named_so_the_logical_name_is_judged() -> None:
    assert naming("aws:dynamodb/table:Table", {}, name="metadata-dev") == []
    assert len(naming("aws:dynamodb/table:Table", {}, name="metadata")) == 1


def test_a_name_prefix_must_end_with_the_suffix() -> None:
    assert naming(QUEUE, {"namePrefix": "ingest-dev-"}) == []
    [message] = naming(QUEUE, {"namePrefix": "ingest-"})
    assert "name prefix 'ingest-' does not end with the environment suffix '-dev'" in message
    assert "Fix: set namePrefix to '<name>-dev-'" in message


def test_unknown_names_are_left_for_the_update() -> None:
    assert naming(QUEUE, {"name": UNKNOWN_STRING_VALUE}) == []
    assert naming(QUEUE, {"namePrefix": UNKNOWN_STRING_VALUE}) == []


def test_types_without_a_physical_name_are_ignored() -> None:
    assert naming("aws:s3/bucketPolicy:BucketPolicy", {"bucket": "x"}) == []


def test_without_any_suffix_the_policy_is_not_applicable() -> None:
    with pytest.raises(NotApplicable):
        naming(QUEUE, {"name": "x"}, stack_name="")


def test_the_stacks_suffix_config_is_the_suffix(configured_stack: Callable[[StackInfo], None]) -> None:
    configured_stack(StackInfo("dev-alice", "pulumi-infra", {"pulumi-infra:environmentSuffix": "pr-7"}))
    assert naming(QUEUE, {"name": "envstack-ingest-pr-7"}, stack_name="dev-alice") == []
    [message] = naming(QUEUE, {"name": "envstack-ingest-dev-alice"}, stack_name="dev-alice")
    assert "does not end with the environment suffix '-pr-7'" in message


def test_a_developer_stack_is_judged_by_its_environment(
    configured_stack: Callable[[StackInfo], None],
) -> None:
    # The component defaults the suffix to the environment, so dev-alice's names end in -dev.
    configured_stack(StackInfo("dev-alice", "pulumi-infra", {"pulumi-infra:environment": "dev"}))
    assert naming(QUEUE, {"name": "envstack-ingest-dev"}, stack_name="dev-alice") == []
    [message] = naming(QUEUE, {"name": "envstack-ingest-dev-alice"}, stack_name="dev-alice")
    assert "does not end with the environment suffix '-dev'" in message


def test_another_projects_config_does_not_count(configured_stack: Callable[[StackInfo], None]) -> None:
    configured_stack(StackInfo("qa", "mine", {"other:environmentSuffix": "dev"}))
    assert naming(QUEUE, {"name": "envstack-ingest-qa"}, stack_name="qa") == []
    assert naming(QUEUE, {"name": "envstack-ingest-dev"}, stack_name="qa") != []


def test_every_named_type_and_input_exists_in_pulumi_aws() -> None:
    from .aws_sdk import input_names

    for type_token, (name_key, prefix_key) in NAME_PROPERTIES.items():
        names = input_names(type_token)
        assert name_key in names, type_token
        assert prefix_key is None or prefix_key in names, type_token
