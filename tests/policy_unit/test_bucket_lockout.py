"""The bucket-policy lockout check (Checkov CKV_AWS_93), called directly."""

import json
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from envstack_policy.policies.bucket_lockout import lockout_statements, validate_s3_policy_lockout

from .conftest import run

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
QUEUE = "aws:sqs/queue:Queue"
ROOT = "arn:aws:iam::123456789012:root"
TLS_DENY = {
    "Sid": "TlsOnly",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": "*",
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _deny(**fields: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Resource": "*", **fields}


@pytest.mark.parametrize(
    "statement",
    [
        _deny(Principal="*", Action="s3:PutBucketPolicy"),
        _deny(Principal="*", Action="*"),
        _deny(Principal={"AWS": "*"}, Action=["s3:GetObject", "s3:*"]),
        _deny(Principal={"AWS": ["*"]}, Action="S3:Put*"),
        _deny(Principal="*", Action="s3:*BucketPolicy"),
        _deny(Principal="*", Action="s3:PutBucket?olicy"),
        _deny(NotPrincipal={"AWS": ROOT}, Action="s3:*"),
        _deny(Principal="*", NotAction=["s3:GetObject"]),
        _deny(Principal="*", Action="s3:*", Condition={}),
    ],
    ids=[
        "exact",
        "star",
        "aws-star-list",
        "put-wildcard-any-case",
        "checkovs-pattern",
        "question-mark",
        "not-principal",
        "not-action-without-it",
        "empty-condition",
    ],
)
@pytest.mark.parametrize("token", [BUCKET, BUCKET_V2, BUCKET_POLICY])
def test_a_deny_that_leaves_the_policy_to_root_is_reported(token: str, statement: dict[str, Any]) -> None:
    [found] = run(validate_s3_policy_lockout, token, {"policy": _policy(TLS_DENY, statement)}, name="p")
    assert found.startswith(f"p (aws:s3:{token.rsplit(':', 1)[1]}): policy: statement #1 denies")
    assert "s3:PutBucketPolicy to every principal with no condition" in found
    assert "only the account's root user can change the policy again" in found
    assert "Fix: add a condition that exempts the roles that manage the bucket" in found


@pytest.mark.parametrize(
    "statement",
    [
        TLS_DENY,
        _deny(Principal="*", Action="s3:*", Condition={"StringNotLike": {"aws:PrincipalArn": ROOT}}),
        _deny(Principal="*", Action="s3:*", Condition=UNKNOWN_STRING_VALUE),
        _deny(Principal={"AWS": ROOT}, Action="s3:*"),
        _deny(Principal={"Service": "s3.amazonaws.com"}, Action="s3:*"),
        _deny(Principal="*", Action=["s3:DeleteObject", "s3:PutObject"]),
        _deny(Principal="*", NotAction=["s3:Put*"]),
        _deny(Principal="*", NotAction=UNKNOWN_STRING_VALUE),
        _deny(NotPrincipal=UNKNOWN_STRING_VALUE, Action="s3:*"),
        {"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "s3:*", "Resource": "*"},
    ],
    ids=[
        "tls-deny",
        "exempts-roles",
        "condition-unknown",
        "named-principal",
        "service-principal",
        "other-actions",
        "not-action-keeps-it",
        "not-action-unknown",
        "not-principal-unknown",
        "allow",
    ],
)
def test_scoped_denies_and_allows_pass(statement: dict[str, Any]) -> None:
    assert run(validate_s3_policy_lockout, BUCKET_POLICY, {"policy": _policy(statement)}) == []


def test_statements_are_named_by_sid_and_a_document_may_be_an_object() -> None:
    document = {"Statement": [_deny(Sid="OnlyRoot", NotPrincipal={"AWS": ROOT}, Action="*")]}
    assert lockout_statements(document) == ["OnlyRoot"]
    [found] = run(validate_s3_policy_lockout, BUCKET_POLICY, {"policy": document})
    assert "statement OnlyRoot denies" in found


@pytest.mark.parametrize(
    ("token", "props"),
    [
        (BUCKET_POLICY, {"policy": UNKNOWN_STRING_VALUE}),
        (BUCKET, {}),
        (QUEUE, {"policy": _policy(_deny(Principal="*", Action="*"))}),
    ],
    ids=["unknown", "no-policy", "other-type"],
)
def test_unknown_missing_or_other_policies_are_not_judged(token: str, props: dict[str, Any]) -> None:
    assert run(validate_s3_policy_lockout, token, props) == []
