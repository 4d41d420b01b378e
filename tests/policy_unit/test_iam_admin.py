"""Administrator managed policies by attachment, and trust policies open to anyone."""

import json
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from envstack_policy.policies.iam_admin import (
    admin_policies,
    validate_admin_attachment,
    validate_trust_any_principal,
)
from envstack_policy.readers import config

from .conftest import run

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


@pytest.mark.parametrize(
    ("token", "props", "shown"),
    [
        (
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            {"role": "r", "policyArn": ADMIN},
            "RolePolicyAttachment",
        ),
        (
            "aws:iam/userPolicyAttachment:UserPolicyAttachment",
            {"user": "u", "policyArn": ADMIN},
            "UserPolicyAttachment",
        ),
        (
            "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
            {"group": "g", "policyArn": ADMIN},
            "GroupPolicyAttachment",
        ),
        (
            "aws:iam/policyAttachment:PolicyAttachment",
            {"roles": ["r"], "policyArn": ADMIN},
            "PolicyAttachment",
        ),
        (
            "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
            {"roleName": "r", "policyArns": ["arn:aws:iam::1:policy/mine", ADMIN]},
            "RolePolicyAttachmentsExclusive",
        ),
        ("aws:iam/role:Role", {"managedPolicyArns": [ADMIN]}, "Role"),
    ],
    ids=["role", "user", "group", "policy-attachment", "exclusive", "role-managed-arns"],
)
def test_attaching_administrator_access_is_reported_whichever_way(
    token: str, props: dict[str, Any], shown: str
) -> None:
    [message] = run(validate_admin_attachment, token, props, name="attach")
    prop = "policyArns" if "Exclusive" in token else "managedPolicyArns" if shown == "Role" else "policyArn"
    assert message.startswith(
        f"attach (aws:iam:{shown}): {prop} attaches the AWS-managed policy {ADMIN}, which grants"
        " administrator access."
    )
    assert "Fix: attach a customer-managed policy" in message


def test_other_partitions_paths_and_the_default_list_are_recognised() -> None:
    arns = [
        "arn:aws-us-gov:iam::aws:policy/AdministratorAccess",
        "arn:aws:iam::aws:policy/PowerUserAccess",
        "arn:aws:iam::aws:policy/IAMFullAccess",
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
        "arn:aws:iam::123456789012:policy/AdministratorAccess",  # a customer's own policy of that name
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        UNKNOWN_STRING_VALUE,
        None,
    ]
    assert admin_policies(arns, ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess")) == arns[:3]


def test_config_sets_which_managed_policies_count_as_administrator() -> None:
    token = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
    view = {"policyArn": "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"}
    assert run(validate_admin_attachment, token, view) == []
    assert len(run(validate_admin_attachment, token, view, config={"adminPolicies": ["ViewOnlyAccess"]})) == 1
    assert run(validate_admin_attachment, token, {"policyArn": ADMIN}, config={"adminPolicies": []}) == []
    with pytest.raises(config.ConfigError):
        run(validate_admin_attachment, token, view, config={"adminPolicies": "AdministratorAccess"})


def test_unknown_least_privilege_or_unrelated_attachments_pass() -> None:
    token = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
    assert run(validate_admin_attachment, token, {"policyArn": UNKNOWN_STRING_VALUE}) == []
    basic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    assert run(validate_admin_attachment, token, {"policyArn": basic}) == []
    assert (
        run(validate_admin_attachment, "aws:iam/role:Role", {"managedPolicyArns": [UNKNOWN_STRING_VALUE]})
        == []
    )
    assert run(validate_admin_attachment, "aws:iam/role:Role", {}) == []
    assert run(validate_admin_attachment, "aws:sqs/queue:Queue", {"policyArn": ADMIN}) == []


ROLE = "aws:iam/role:Role"


def trust(principal: Any, **extra: Any) -> str:
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole", **extra}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": ["arn:aws:iam::1:root", "*"]}])
def test_a_role_anyone_may_assume_is_reported(principal: Any) -> None:
    [message] = run(validate_trust_any_principal, ROLE, {"assumeRolePolicy": trust(principal)}, name="role")
    assert message.startswith("role (aws:iam:Role): assumeRolePolicy: statement #0 lets any principal ('*')")
    assert "Fix: name the service" in message


@pytest.mark.parametrize(
    "props",
    [
        {"assumeRolePolicy": trust({"Service": "lambda.amazonaws.com"})},
        {"assumeRolePolicy": trust({"AWS": "arn:aws:iam::123456789012:role/ci"})},
        {"assumeRolePolicy": trust("*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc"}})},
        {"assumeRolePolicy": json.loads(trust({"Service": "lambda.amazonaws.com"}))},
        {"assumeRolePolicy": UNKNOWN_STRING_VALUE},
        {},
    ],
    ids=["service", "account-role", "org-condition", "object", "unknown", "absent"],
)
def test_trust_policies_naming_who_assumes_or_not_known_yet_pass(props: dict[str, Any]) -> None:
    assert run(validate_trust_any_principal, ROLE, props) == []
    assert run(validate_trust_any_principal, "aws:iam/policy:Policy", {"assumeRolePolicy": trust("*")}) == []


def test_a_permission_set_gets_no_admin_policy_either() -> None:
    """IAM Identity Center attaches it to a role in every account the permission set is assigned to."""
    arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    single = "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment"
    [message] = run(validate_admin_attachment, single, {"managedPolicyArn": arn}, name="ps")
    assert message.startswith(
        f"ps (aws:ssoadmin:ManagedPolicyAttachment): managedPolicyArn attaches the AWS-managed policy {arn}"
    )
    exclusive = "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive"
    assert len(run(validate_admin_attachment, exclusive, {"managedPolicyArns": [arn]})) == 1
