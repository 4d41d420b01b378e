"""SNS topic policies that let a principal of another account in without a narrowing condition."""

import json
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from envstack_policy.policies.cross_account import principal_account, validate_sns_cross_account

from .conftest import run

TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:envstack-events-dev"
PARTNER = "arn:aws:iam::210987654321:root"


def policy(principal: Any, resource: Any = TOPIC_ARN, **extra: Any) -> str:
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sns:Subscribe", "Resource": resource}
    return json.dumps({"Version": "2012-10-17", "Statement": [{**statement, **extra}]})


def judged(document: str, arn: Any = TOPIC_ARN, token: str = TOPIC_POLICY) -> list[str]:
    return run(validate_sns_cross_account, token, {"arn": arn, "policy": document}, name="events")


@pytest.mark.parametrize(
    "principal",
    [{"AWS": PARTNER}, {"AWS": ["arn:aws:iam::123456789012:root", PARTNER]}, {"AWS": "210987654321"}],
    ids=["root-arn", "among-own", "account-id"],
)
def test_a_principal_of_another_account_without_a_condition_is_reported(principal: Any) -> None:
    [message] = judged(policy(principal, Sid="Partner"))
    shown = PARTNER if "root" in str(principal) else "210987654321"
    assert message.startswith(
        f"events (aws:sns:TopicPolicy): policy: statement Partner lets {shown} of another account use the"
        " topic without a condition."
    )
    assert "Fix: grant the topic's own account's roles, or add a condition on aws:PrincipalOrgID" in message


def test_the_topics_account_comes_from_the_statements_resource_when_its_arn_is_unknown() -> None:
    assert len(judged(policy({"AWS": PARTNER}), arn=UNKNOWN_STRING_VALUE)) == 1
    inline = run(validate_sns_cross_account, "aws:sns/topic:Topic", {"policy": policy({"AWS": PARTNER})})
    assert len(inline) == 1
    assert judged(policy({"AWS": PARTNER}, resource=UNKNOWN_STRING_VALUE), arn=UNKNOWN_STRING_VALUE) == []
    two_accounts = [TOPIC_ARN, "arn:aws:sns:us-east-1:210987654321:theirs"]
    assert judged(policy({"AWS": PARTNER}, resource=two_accounts), arn=None) == []


@pytest.mark.parametrize(
    "document",
    [
        policy({"AWS": "arn:aws:iam::123456789012:role/publisher"}),
        policy({"AWS": "123456789012"}),
        policy({"AWS": PARTNER}, Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}),
        policy({"AWS": "*"}),  # anyone: envstack-sns-public-policy's finding
        policy({"Service": "s3.amazonaws.com"}),
        policy({"AWS": UNKNOWN_STRING_VALUE}),
        policy({"AWS": PARTNER}, Effect="Deny"),
        UNKNOWN_STRING_VALUE,
    ],
    ids=["own-role", "own-account", "org-condition", "anyone", "service", "unknown-principal", "deny",
         "unknown"],
)  # fmt: skip
def test_own_account_narrowed_or_unknown_grants_pass(document: str) -> None:
    assert judged(document) == []


def test_other_types_and_principal_shapes() -> None:
    assert (
        run(validate_sns_cross_account, "aws:sqs/queuePolicy:QueuePolicy", {"policy": policy(PARTNER)}) == []
    )
    assert principal_account("arn:aws-cn:sts::210987654321:assumed-role/r/s") == "210987654321"
    assert principal_account("arn:aws:iam::aws:policy/x") is None
    assert principal_account(None) is None
