"""Reading who a statement lets in: any principal, and the conditions that narrow it."""

from typing import Any

import pytest

from envstack_policy.readers.principals import narrowed, narrowing_condition_keys, public_statements
from envstack_policy.readers.values import UNKNOWN


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


ALLOW_ALL = {"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "arn:q"}


@pytest.mark.parametrize(
    "statement",
    [
        ALLOW_ALL,
        {**ALLOW_ALL, "Principal": {"AWS": "*"}},
        {**ALLOW_ALL, "Principal": {"AWS": ["arn:aws:iam::1:root", "*"]}},
        {**ALLOW_ALL, "Principal": {"CanonicalUser": "*"}},
        {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:GetObject"},
        {**ALLOW_ALL, "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
        {**ALLOW_ALL, "Condition": "junk"},
    ],
    ids=["star", "aws-star", "aws-list", "canonical", "not-principal", "tls-condition", "odd-condition"],
)
def test_statements_open_to_everyone_are_found(statement: dict[str, Any]) -> None:
    assert public_statements(doc(statement)) == ["#0"]


@pytest.mark.parametrize(
    "statement",
    [
        {**ALLOW_ALL, "Effect": "Deny"},
        {**ALLOW_ALL, "Principal": {"AWS": "arn:aws:iam::123456789012:root"}},
        {**ALLOW_ALL, "Principal": {"Service": "sns.amazonaws.com"}},
        {**ALLOW_ALL, "Principal": UNKNOWN},
        {**ALLOW_ALL, "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:1:t"}}},
        {**ALLOW_ALL, "Condition": {"StringEquals": {"AWS:PrincipalOrgID": "o-abc"}}},
        {**ALLOW_ALL, "Condition": UNKNOWN},
        {**ALLOW_ALL, "Condition": {"StringEquals": UNKNOWN}},
        {"Effect": "Allow", "NotPrincipal": UNKNOWN, "Action": "s3:GetObject"},
    ],
    ids=[
        "deny",
        "account",
        "service",
        "unknown-principal",
        "source-arn",
        "org-id-any-case",
        "unknown-condition",
        "unknown-clause",
        "unknown-not-principal",
    ],
)
def test_named_narrowed_or_unknown_statements_are_not_found(statement: dict[str, Any]) -> None:
    assert public_statements(doc(statement)) == []


def test_statements_are_labelled_by_sid_or_position() -> None:
    named = {**ALLOW_ALL, "Sid": "Public"}
    assert public_statements(doc({**ALLOW_ALL, "Effect": "Deny"}, ALLOW_ALL, named)) == ["#1", "Public"]


def test_only_identity_and_source_keys_narrow() -> None:
    assert narrowed({"StringEquals": {"aws:SourceAccount": "123456789012"}})
    assert not narrowed({"Bool": {"aws:SecureTransport": "true"}, "IpAddress": "junk"})
    assert not narrowed(None)


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:VpceAccount": "123456789012"}},
        {"StringEquals": {"aws:VpceOrgID": "o-a1b2c3d4e5"}},
        {"ForAnyValue:StringLike": {"aws:VpceOrgPaths": "o-a1b2c3d4e5/r-ab12/*"}},
        {"StringEquals": {"kms:CallerAccount": "123456789012", "kms:ViaService": "sqs.amazonaws.com"}},
        {"ArnLike": {"lambda:SourceFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:f"}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::my-bucket"}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:*"}},
        {"StringLike": {"aws:userid": "AROAEXAMPLEID:*"}},
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        {"NumericEquals": {"aws:SourceAccount": 123456789012}},
    ],
    ids=["vpce-account", "vpce-org", "vpce-org-paths", "kms-caller-account", "lambda-source-function",
         "bucket-arn", "account-pinned-arn", "role-session", "address-range", "number-account"],
)  # fmt: skip
def test_keys_that_pin_the_caller_narrow(condition: dict[str, Any]) -> None:
    assert narrowed(condition)


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:SourceAccount": "*"}},
        {"StringLike": {"aws:SourceAccount": "12345*"}},
        {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/deployer"}},
        {"ArnLike": {"aws:SourceArn": ["arn:aws:sns:us-east-1:123456789012:t", "arn:aws:sns:*:*:*"]}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}},
        {"StringLike": {"aws:PrincipalOrgID": "o-*"}},
        {"StringLike": {"aws:SourceVpce": "vpce-*"}},
        {"StringLike": {"aws:userid": ""}},
        {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}},
        {"IpAddress": {"aws:SourceIp": "::/0"}},
        {"IpAddress": {"aws:SourceIp": "not an address"}},
        {"StringEquals": {"aws:PrincipalAccount": {"nested": "1"}}},
        {"StringEquals": {"aws:PrincipalAccount": []}},
        {"StringNotEquals": {"aws:PrincipalAccount": "123456789012"}},
        {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/x"}},
        {"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"}},
        {"ForAllValues:StringEquals": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*"}},
        {"Null": {"aws:SourceAccount": "false"}},
    ],
    ids=["any-account", "account-prefix", "arn-any-account", "one-open-value", "any-bucket", "any-org",
         "any-endpoint", "empty", "everywhere-v4", "everywhere-v6", "bad-address", "object-value", "no-value",
         "negated", "negated-arn", "if-exists", "for-all-values", "null"],
)  # fmt: skip
def test_conditions_that_narrow_nothing_do_not_count(condition: dict[str, Any]) -> None:
    assert not narrowed(condition)
    assert public_statements(doc({**ALLOW_ALL, "Condition": condition})) == ["#0"]


def test_unknown_condition_values_still_wait_for_up() -> None:
    assert narrowed({"StringEquals": {"aws:SourceAccount": UNKNOWN}})


@pytest.mark.parametrize(
    "principal",
    [
        {"AWS": "arn:aws:iam::*:role/deployer"},
        {"AWS": ["arn:aws:iam::123456789012:root", "arn:aws:iam::*:root"]},
        {"AWS": "arn:aws:sts::1234*:assumed-role/r/s"},
    ],
    ids=["any-account-role", "any-account-root", "account-prefix"],
)
def test_a_principal_in_any_account_is_anyone(principal: dict[str, Any]) -> None:
    assert public_statements(doc({**ALLOW_ALL, "Principal": principal})) == ["#0"]


def test_every_narrowing_key_is_one_aws_documents() -> None:
    """The service keys come from the IAM service reference (generated); the global ones from AWS's page."""
    keys = narrowing_condition_keys()
    assert {"aws:vpceaccount", "aws:vpceorgid", "aws:vpceorgpaths", "kms:calleraccount"} <= keys
    assert all(key == key.lower() and ":" in key for key in keys)
    assert "aws:securetransport" not in keys
