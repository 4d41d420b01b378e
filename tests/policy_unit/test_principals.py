"""Reading who a statement lets in: any principal, and the conditions that narrow it."""

from typing import Any

import pytest

from envstack_policy.principals import narrowed, public_statements
from envstack_policy.values import UNKNOWN


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
