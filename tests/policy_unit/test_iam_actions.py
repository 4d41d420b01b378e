"""Identity policies granting escalation, credentials, data reads, permissions or writes on any resource."""

import json
import re
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from envstack_policy.policies.iam_actions import actions, expand, validate_iam_risky_actions

from .conftest import run

POLICY = "aws:iam/policy:Policy"
FIX = "Fix: name in Resource the ARNs of the resources the workload uses"


def document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def judged(*statements: dict[str, Any]) -> list[str]:
    return run(validate_iam_risky_actions, POLICY, {"policy": document(*statements)}, name="deployer")


def test_each_risk_names_the_resource_statement_actions_and_fix() -> None:
    [escalation, credentials, permissions] = judged(allow("iam:CreateAccessKey"))
    assert escalation == (
        "deployer (aws:iam:Policy): policy: allows privilege escalation (CreateAccessKey) on any resource:"
        f" iam:CreateAccessKey (statement #0). {FIX} (or narrow the statement with a Condition); grant"
        " iam:PassRole, sts:AssumeRole and credential actions only on the roles and users meant, and drop the"
        " actions the workload never calls."
    )
    assert credentials.startswith(
        "deployer (aws:iam:Policy): policy: allows actions that return credentials on any resource:"
        " iam:CreateAccessKey (statement #0). Fix: "
    )
    assert permissions.startswith(
        "deployer (aws:iam:Policy): policy: statement #0 allows permissions-management actions on any"
        " resource: iam:CreateAccessKey."
    )
    [exfiltration] = judged(allow("s3:GetObject", Sid="Read"))
    assert "allows actions that read data out on any resource: s3:GetObject (statement Read)." in exfiltration
    [write] = judged(allow(["s3:PutObject", "dynamodb:PutItem"], Sid="Store"))
    assert "statement Store allows write actions on any resource: dynamodb:PutItem, s3:PutObject." in write


def test_an_escalation_method_is_found_across_statements() -> None:
    found = judged(
        allow("iam:PassRole", Sid="Pass"),
        allow("lambda:CreateFunction", Sid="Create"),
        allow("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:f", Sid="Invoke"),
    )
    assert not any("privilege escalation" in m for m in found)  # InvokeFunction is narrowed to one function
    found = judged(
        allow("iam:PassRole", Sid="Pass"), allow(["lambda:CreateFunction", "lambda:InvokeFunction"])
    )
    assert (
        "allows privilege escalation (PassExistingRoleToNewLambdaThenInvoke) on any resource: iam:PassRole"
        " (statement Pass), lambda:CreateFunction (statement #1), lambda:InvokeFunction (statement #1)."
    ) in found[0]


def test_an_action_no_arn_can_narrow_counts_whatever_the_statement_names() -> None:
    [message] = judged(allow("sts:GetSessionToken", "arn:aws:iam::123456789012:user/ci"))
    assert "allows actions that return credentials on any resource: sts:GetSessionToken" in message
    # lambda:CreateEventSourceMapping has no resource ARN: it completes the method with the other two.
    found = judged(
        allow(["iam:PassRole", "lambda:CreateFunction"]),
        allow("lambda:CreateEventSourceMapping", "arn:aws:lambda:us-east-1:123456789012:function:f"),
    )
    assert "(PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo)" in found[0]


@pytest.mark.parametrize(
    "statement",
    [
        allow("s3:PutObject", "arn:aws:s3:::envstack-data-dev/*"),
        allow(["iam:PassRole", "sts:AssumeRole"], ["arn:aws:iam::123456789012:role/app"]),
        allow("s3:PutObject", Condition={"StringEquals": {"aws:ResourceAccount": "123456789012"}}),
        allow("xray:PutTraceSegments"),  # no ARN can narrow it: '*' is the only resource it has
        allow(["logs:DescribeLogGroups", "s3:ListAllMyBuckets"]),  # list and read levels
        allow("unknownservice:DeleteEverything"),
        {"Effect": "Deny", "Action": "iam:CreateAccessKey", "Resource": "*"},
    ],
    ids=[
        "narrowed",
        "named-roles",
        "condition",
        "unrestrictable",
        "read-list",
        "unknown",
        "deny",
    ],
)
def test_narrowed_conditional_harmless_or_denied_statements_pass(statement: dict[str, Any]) -> None:
    assert judged(statement) == []


def test_a_deny_on_every_resource_takes_the_actions_back_and_a_narrower_one_does_not() -> None:
    deny_all = {"Effect": "Deny", "Action": ["s3:GetObject", "s3:PutObject", "iam:Create*"], "Resource": "*"}
    assert judged(allow(["s3:GetObject", "s3:PutObject", "iam:CreateAccessKey"]), deny_all) == []
    one_bucket = {**deny_all, "Resource": "arn:aws:s3:::secrets/*"}
    assert len(judged(allow("s3:GetObject"), one_bucket)) == 1
    conditional = {**deny_all, "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}
    assert len(judged(allow("s3:GetObject"), conditional)) == 1
    everything = {"Effect": "Deny", "Action": "*", "Resource": "*"}
    assert judged(allow(["s3:GetObject", "sns:AddPermission"]), everything) == []


def test_wildcards_are_expanded_but_whole_services_and_every_action_are_left_to_no_wildcards() -> None:
    [message] = judged(allow("s3:Get?bject"))
    assert "s3:GetObject" in message
    assert any("iam:PutUserPolicy" in m for m in judged(allow("iam:Put*")))
    assert any("iam:PassRole" in m for m in judged(allow("*:PassRole")))
    for every in ("*", "s3:*", "*:*"):
        assert judged(allow(every)) == [], every
    assert judged({"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "*"}) == []


def test_action_names_are_compared_ignoring_case_and_long_lists_are_shortened() -> None:
    [message] = judged(allow("SECRETSMANAGER:getsecretvalue"))
    assert "secretsmanager:GetSecretValue (statement #0)" in message
    [permissions, write] = judged(allow("s3:Put*"))
    assert re.search(
        r"permissions-management actions on any resource: s3:PutAccessPointPolicy, .*s3:PutBucketPolicy",
        permissions,
    )
    assert re.search(r"write actions on any resource: (s3:\w+, ){5}s3:\w+ and \d+ more\. Fix:", write), write


def test_the_table_expands_against_known_actions_only() -> None:
    table = actions()
    assert expand(["s3:GetObject", "S3:PUTOBJECT", "nosuch:Thing", "nosuch:*"], table) == {
        "s3:getobject",
        "s3:putobject",
    }
    assert {"iam:passrole", "sts:assumerole"} <= table.spelling.keys()


def test_role_inline_policies_and_every_identity_policy_type_are_judged() -> None:
    risky = document(allow("sts:AssumeRole"))
    harmless = document(allow("s3:GetObject", "arn:aws:s3:::b/*"))
    inline = {"inlinePolicies": [{"name": "ok", "policy": harmless}, {"name": "ci", "policy": risky}]}
    [message, _write] = run(validate_iam_risky_actions, "aws:iam/role:Role", inline, name="ci")
    assert message.startswith("ci (aws:iam:Role): inlinePolicies[1]: allows actions that return credentials")
    for token in (
        "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/userPolicy:UserPolicy",
        "aws:iam/groupPolicy:GroupPolicy",
    ):
        assert len(run(validate_iam_risky_actions, token, {"policy": json.loads(risky)})) == 2


@pytest.mark.parametrize(
    ("token", "props"),
    [
        (POLICY, {"policy": UNKNOWN_STRING_VALUE}),
        (POLICY, {}),
        ("aws:iam/role:Role", {"inlinePolicies": UNKNOWN_STRING_VALUE}),
        ("aws:iam/role:Role", {}),
        ("aws:sqs/queuePolicy:QueuePolicy", {"policy": document(allow("sqs:SendMessage"))}),
    ],
    ids=["unknown", "absent", "unknown-inline", "no-inline", "not-identity"],
)
def test_unknown_or_unrelated_documents_are_skipped(token: str, props: dict[str, Any]) -> None:
    assert run(validate_iam_risky_actions, token, props) == []
