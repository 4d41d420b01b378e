"""Resource policies called directly: queues, topics, buckets and Lambda permissions open to anyone."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from envstack_policy.policies.resource_policies import (
    validate_lambda_public_permission,
    validate_s3_public_policy,
    validate_sns_public_policy,
    validate_sqs_all_actions,
    validate_sqs_public_policy,
)

from .conftest import run

PUBLIC = {"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
NARROWED = {**PUBLIC, "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:1:t-dev"}}}


def document(statement: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


CASES = [
    (validate_sqs_public_policy, "aws:sqs/queuePolicy:QueuePolicy", "aws:sqs:QueuePolicy", "queue"),
    (validate_sqs_public_policy, "aws:sqs/queue:Queue", "aws:sqs:Queue", "queue"),
    (validate_sns_public_policy, "aws:sns/topicPolicy:TopicPolicy", "aws:sns:TopicPolicy", "topic"),
    (validate_sns_public_policy, "aws:sns/topic:Topic", "aws:sns:Topic", "topic"),
    (validate_s3_public_policy, "aws:s3/bucketPolicy:BucketPolicy", "aws:s3:BucketPolicy", "bucket"),
    (validate_s3_public_policy, "aws:s3/bucket:Bucket", "aws:s3:Bucket", "bucket"),
    (validate_s3_public_policy, "aws:s3/bucketV2:BucketV2", "aws:s3:BucketV2", "bucket"),
]
IDS = [token.split(":")[-1] for _, token, _, _ in CASES]


@pytest.mark.parametrize(("validate", "token", "shown", "service"), CASES, ids=IDS)
def test_a_policy_open_to_any_principal_is_reported_with_the_fix(
    validate: Callable[[Any, Any], None], token: str, shown: str, service: str
) -> None:
    [message] = run(validate, token, {"policy": document(PUBLIC)}, name="res")
    assert message.startswith(
        f"res ({shown}): policy: statement Anyone allows any principal ('*') to use the {service} without"
    )
    assert "Fix: name the accounts, roles or service principals" in message


@pytest.mark.parametrize(("validate", "token", "shown", "service"), CASES, ids=IDS)
def test_named_narrowed_unknown_or_absent_policies_pass(
    validate: Callable[[Any, Any], None], token: str, shown: str, service: str
) -> None:
    named = {**PUBLIC, "Principal": {"AWS": "arn:aws:iam::123456789012:root"}}
    assert run(validate, token, {"policy": document(named)}) == []
    assert run(validate, token, {"policy": document(NARROWED)}) == []
    assert run(validate, token, {"policy": json.loads(document(NARROWED))}) == []
    assert run(validate, token, {"policy": UNKNOWN_STRING_VALUE}) == []
    assert run(validate, token, {}) == []


def test_each_service_policy_leaves_the_other_services_to_theirs() -> None:
    public = {"policy": document(PUBLIC)}
    assert run(validate_sqs_public_policy, "aws:sns/topicPolicy:TopicPolicy", public) == []
    assert run(validate_sns_public_policy, "aws:s3/bucketPolicy:BucketPolicy", public) == []
    assert run(validate_s3_public_policy, "aws:sqs/queuePolicy:QueuePolicy", public) == []


PERMISSION = "aws:lambda/permission:Permission"


def test_a_permission_for_anyone_without_a_source_is_reported() -> None:
    props = {"action": "lambda:InvokeFunction", "function": "fn-dev", "principal": "*"}
    [message] = run(validate_lambda_public_permission, PERMISSION, props, name="invoke")
    assert message.startswith(
        "invoke (aws:lambda:Permission): lets any principal ('*') invoke the function, with no sourceArn,"
    )
    assert "Fix: set principal to the calling service" in message
    url = {**props, "action": "lambda:InvokeFunctionUrl", "functionUrlAuthType": "NONE"}
    assert len(run(validate_lambda_public_permission, PERMISSION, url)) == 1


@pytest.mark.parametrize(
    "props",
    [
        {"principal": "s3.amazonaws.com", "sourceArn": "arn:aws:s3:::b-dev"},
        {"principal": "s3.amazonaws.com"},
        {"principal": "*", "sourceArn": "arn:aws:s3:::b-dev"},
        {"principal": "*", "sourceAccount": "123456789012"},
        {"principal": "*", "principalOrgId": "o-abc123"},
        {"principal": "*", "sourceArn": UNKNOWN_STRING_VALUE},
        {"principal": UNKNOWN_STRING_VALUE},
    ],
    ids=[
        "service",
        "service-only",
        "source-arn",
        "source-account",
        "org",
        "unknown-source",
        "unknown-principal",
    ],
)
def test_narrowed_or_unknown_permissions_pass(props: dict[str, Any]) -> None:
    assert run(validate_lambda_public_permission, PERMISSION, props) == []
    assert run(validate_lambda_public_permission, "aws:sqs/queue:Queue", {"principal": "*"}) == []


QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy"
ROOT = {"AWS": "arn:aws:iam::123456789012:root"}


@pytest.mark.parametrize(
    ("token", "shown"),
    [(QUEUE_POLICY, "aws:sqs:QueuePolicy"), ("aws:sqs/queue:Queue", "aws:sqs:Queue")],
    ids=["QueuePolicy", "Queue"],
)
@pytest.mark.parametrize(
    "grant",
    [{"Action": "*"}, {"Action": ["sqs:SendMessage", "SQS:*"]}, {"NotAction": "sqs:DeleteQueue"}],
    ids=["star", "sqs-star-any-case", "not-action"],
)
def test_a_queue_policy_granting_every_action_is_reported_for_any_principal(
    token: str, shown: str, grant: dict[str, Any]
) -> None:
    statement = {"Sid": "Owner", "Effect": "Allow", "Principal": ROOT, "Resource": "*", **grant}
    [message] = run(validate_sqs_all_actions, token, {"policy": document(statement)}, name="q")
    assert message.startswith("q (" + shown + "): policy: statement Owner allows every SQS action")
    assert "Fix: name the actions each principal needs" in message


def test_a_statement_without_a_sid_is_named_by_its_index() -> None:
    statements = [{"Effect": "Allow", "Principal": ROOT, "Action": "sqs:SendMessage"},
                  {"Effect": "Allow", "Principal": ROOT, "Action": "sqs:*"}]  # fmt: skip
    policy = json.dumps({"Version": "2012-10-17", "Statement": statements})
    [message] = run(validate_sqs_all_actions, QUEUE_POLICY, {"policy": policy})
    assert "statement #1 allows every SQS action" in message


@pytest.mark.parametrize(
    "props",
    [
        {"policy": document({"Effect": "Allow", "Principal": ROOT, "Action": ["sqs:SendMessage"]})},
        {"policy": document({"Effect": "Deny", "Principal": "*", "Action": "sqs:*"})},
        {"policy": UNKNOWN_STRING_VALUE},
        {},
    ],
    ids=["named-actions", "deny", "unknown", "absent"],
)
def test_named_actions_denials_unknown_or_absent_queue_policies_pass(props: dict[str, Any]) -> None:
    assert run(validate_sqs_all_actions, QUEUE_POLICY, props) == []


def test_all_actions_is_judged_on_queues_only() -> None:
    everything = {"policy": document({"Effect": "Allow", "Principal": ROOT, "Action": "*"})}
    assert run(validate_sqs_all_actions, "aws:sns/topicPolicy:TopicPolicy", everything) == []
