"""S3 ACLs called directly: canned ACLs and grants that make a bucket public, on buckets and BucketAcls."""

from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from envstack_policy.policies.acls import validate_s3_acls_disabled, validate_s3_public_acl
from envstack_policy.readers.messages import short

from .conftest import run

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"
OWNER = {"id": "abc123"}


def acl_grant(uri: str, permission: str = "READ") -> dict[str, Any]:
    return {"permission": permission, "grantee": {"type": "Group", "uri": uri}}


@pytest.mark.parametrize(
    ("token", "props", "finding"),
    [
        (
            "aws:s3/bucket:Bucket",
            {"acl": "public-read"},
            "acl 'public-read' lets everyone (AllUsers) list and read the bucket.",
        ),
        (
            "aws:s3/bucketV2:BucketV2",
            {"acl": "public-read-write"},
            "acl 'public-read-write' lets everyone (AllUsers) list, read and write the bucket.",
        ),
        (
            "aws:s3/bucketAcl:BucketAcl",
            {"acl": "authenticated-read"},
            "acl 'authenticated-read' lets any AWS account (AuthenticatedUsers) list and read the bucket.",
        ),
        (
            "aws:s3/bucket:Bucket",
            {"grants": [{"type": "Group", "uri": ALL_USERS, "permissions": ["READ", "WRITE"]}]},
            "grants give READ/WRITE to everyone (AllUsers).",
        ),
        (
            "aws:s3/bucketAcl:BucketAcl",
            {"accessControlPolicy": {"owner": OWNER, "grants": [acl_grant(AUTHENTICATED, "FULL_CONTROL")]}},
            "accessControlPolicy grants FULL_CONTROL to any AWS account (AuthenticatedUsers).",
        ),
        (
            "aws:s3/bucketAclV2:BucketAclV2",
            {
                "accessControlPolicy": {
                    "owner": OWNER,
                    "grants": [{"grantee": {"type": "Group", "uri": ALL_USERS}}],
                }
            },
            "accessControlPolicy grants access to everyone (AllUsers).",
        ),
    ],
    ids=[
        "bucket-canned",
        "bucket-v2-canned",
        "bucket-acl-canned",
        "bucket-grants",
        "acl-grants",
        "acl-v2-grants",
    ],
)
def test_public_acls_are_reported_with_what_they_grant(
    token: str, props: dict[str, Any], finding: str
) -> None:
    [message] = run(validate_s3_public_acl, token, props, name="data")
    assert message.startswith(f"data ({short(token)}): {finding}")
    assert "Fix: use acl 'private' (or none) with BucketOwnershipControls" in message


@pytest.mark.parametrize(
    ("token", "props"),
    [
        ("aws:s3/bucket:Bucket", {}),
        ("aws:s3/bucket:Bucket", {"acl": "private"}),
        ("aws:s3/bucket:Bucket", {"acl": "log-delivery-write"}),
        ("aws:s3/bucket:Bucket", {"acl": UNKNOWN_STRING_VALUE}),
        (
            "aws:s3/bucket:Bucket",
            {"grants": [{"type": "CanonicalUser", "id": "abc", "permissions": ["READ"]}]},
        ),
        ("aws:s3/bucket:Bucket", {"grants": [{"type": "Group", "uri": UNKNOWN_STRING_VALUE}]}),
        ("aws:s3/bucket:Bucket", {"grants": UNKNOWN_STRING_VALUE}),
        (
            "aws:s3/bucketAcl:BucketAcl",
            {"accessControlPolicy": {"owner": OWNER, "grants": [acl_grant(LOG_DELIVERY)]}},
        ),
        ("aws:s3/bucketAcl:BucketAcl", {"accessControlPolicy": UNKNOWN_STRING_VALUE}),
        ("aws:sqs/queue:Queue", {"acl": "public-read"}),
    ],
    ids=[
        "none",
        "private",
        "log-delivery",
        "unknown-acl",
        "canonical-user",
        "unknown-uri",
        "unknown-grants",
        "log-delivery-grant",
        "unknown-policy",
        "other-type",
    ],
)
def test_private_unknown_or_unrelated_acls_pass(token: str, props: dict[str, Any]) -> None:
    assert run(validate_s3_public_acl, token, props) == []


OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"


@pytest.mark.parametrize("ownership", ["ObjectWriter", "BucketOwnerPreferred", None])
def test_ownership_controls_that_leave_acls_on_are_reported(ownership: str | None) -> None:
    rule = {} if ownership is None else {"objectOwnership": ownership}
    [found] = run(validate_s3_acls_disabled, OWNERSHIP, {"bucket": "b-dev", "rule": rule}, name="own")
    assert found.startswith(
        f"own (aws:s3:BucketOwnershipControls): sets rule.objectOwnership to {ownership!r}"
    )
    assert "Fix: set rule.objectOwnership to 'BucketOwnerEnforced'" in found


@pytest.mark.parametrize("ownership", ["BucketOwnerEnforced", UNKNOWN_STRING_VALUE])
def test_ownership_controls_that_disable_acls_or_are_unknown_pass(ownership: str) -> None:
    assert run(validate_s3_acls_disabled, OWNERSHIP, {"rule": {"objectOwnership": ownership}}) == []
    assert (
        run(validate_s3_acls_disabled, "aws:s3/bucket:Bucket", {"rule": {"objectOwnership": "ObjectWriter"}})
        == []
    )
