"""The pack fails closed: a document or an enumerated value AWS would refuse is reported, never passed.

Policy functions called directly. ``documents.problem`` is IAM's grammar; then
each policy that reads a document or an enumerated value is given one it
cannot read and must say so, naming the resource, the input and what is wrong.
"""

import json
from collections.abc import Callable
from typing import Any

import botocore.session
import pytest
from botocore.model import StringShape
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from envstack_policy import pack
from envstack_policy.data import lambda_runtimes
from envstack_policy.policies import (
    access,
    acls,
    bucket_lockout,
    cross_account,
    database_transit,
    encryption,
    exposure,
    github_oidc,
    iam_actions,
    iam_admin,
    kms,
    resource_policies,
    runtimes,
    tls_only,
)
from envstack_policy.readers.documents import Kind, Unreadable, problem, read
from envstack_policy.readers.values import UNKNOWN

from .conftest import StackResource, run, run_stack

ALLOW = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
PUBLIC = {**ALLOW, "Principal": "*"}
TRUST = {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}


def doc(*statements: Any, **extra: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements), **extra}


@pytest.mark.parametrize(
    ("document", "kind", "expected"),
    [
        (doc(ALLOW), Kind.IDENTITY, None),
        ({"Statement": ALLOW}, Kind.IDENTITY, None),
        (doc(PUBLIC), Kind.RESOURCE, None),
        (doc(TRUST), Kind.TRUST, None),
        (doc({**PUBLIC, "Principal": UNKNOWN, "Action": UNKNOWN}), Kind.RESOURCE, None),
        ({"Statement": UNKNOWN}, Kind.RESOURCE, None),
        (doc(UNKNOWN), Kind.RESOURCE, None),
        (doc({**ALLOW, "Condition": {"StringEquals": UNKNOWN}}), Kind.IDENTITY, None),
        ([ALLOW], Kind.IDENTITY, "is a JSON list, not an object"),
        (doc(ALLOW, Version="2020-01-01"), Kind.IDENTITY, "has Version '2020-01-01'"),
        (doc(), Kind.IDENTITY, "has no Statement"),
        (doc("Allow"), Kind.IDENTITY, "statement #0 is not an object"),
        (doc({**ALLOW, "Sid": "S", "Effect": "allow"}), Kind.IDENTITY, "statement S has Effect 'allow'"),
        (doc({"Action": "s3:*", "Resource": "*"}), Kind.IDENTITY, "statement #0 has no Effect"),
        (doc({**ALLOW, "NotAction": "s3:*"}), Kind.IDENTITY, "has both Action and NotAction"),
        (doc({"Effect": "Allow", "Resource": "*"}), Kind.IDENTITY, "has neither Action nor NotAction"),
        (doc({**ALLOW, "Action": ["s3:GetObject", 3]}), Kind.IDENTITY, "Action is not a string or a list"),
        (doc({**ALLOW, "Resource": []}), Kind.IDENTITY, "Resource is not a string or a list"),
        (doc(PUBLIC), Kind.IDENTITY, "has a Principal, which an identity policy may not"),
        (doc({**ALLOW, "Resource": None}), Kind.IDENTITY, "has neither Resource nor NotResource"),
        (doc(ALLOW), Kind.RESOURCE, "has neither Principal nor NotPrincipal"),
        (doc({**PUBLIC, "Principal": ["*"]}), Kind.RESOURCE, "Principal is list, not '*' or an object"),
        (doc({**PUBLIC, "Principal": {"User": "x"}}), Kind.RESOURCE, "Principal has key 'User'"),
        (doc({**PUBLIC, "Principal": {"AWS": 12}}), Kind.RESOURCE, "Principal.AWS is not a string"),
        (doc({**PUBLIC, "NotPrincipal": {"AWS": "a"}}), Kind.RESOURCE, "has both Principal and NotPrincipal"),
        (doc({**TRUST, "Resource": "*"}), Kind.TRUST, "has a Resource, which a trust policy may not"),
        (doc({**ALLOW, "Condition": "x"}), Kind.IDENTITY, "Condition that is not an object of"),
        (doc({**ALLOW, "Condition": {"Bool": "x"}}), Kind.IDENTITY, "Condition that is not an object of"),
    ],
)
def test_documents_aws_would_refuse_are_named(document: Any, kind: Kind, expected: str | None) -> None:
    found = problem(document, kind)
    assert found is None if expected is None else found is not None and expected in found


def test_read_tells_unset_unknown_unreadable_and_readable_apart() -> None:
    assert read(None, Kind.IDENTITY) is None
    assert read("", Kind.IDENTITY) is None
    assert read(UNKNOWN, Kind.IDENTITY) is UNKNOWN
    broken = read('{"Statement": [],}', Kind.IDENTITY)
    assert isinstance(broken, Unreadable)
    assert broken.problem.startswith("is not JSON (")
    assert read(json.dumps(doc(ALLOW)), Kind.IDENTITY) == doc(ALLOW)


TRAILING_COMMA = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*"},]}'
BARE_LIST = json.dumps(doc({**PUBLIC, "Principal": ["*"]}))
NO_EFFECT = json.dumps(doc({"Action": "iam:*", "Resource": "*"}))
TRUST_LIST = json.dumps(doc({**TRUST, "Principal": ["*"]}))

Validate = Callable[[Any, Any], None]
RESOURCE_CASES: list[tuple[str, Validate, str, dict[str, Any], str]] = [
    ("envstack-sqs-public-policy", resource_policies.validate_sqs_public_policy,
     "aws:sqs/queuePolicy:QueuePolicy", {"policy": TRAILING_COMMA}, "policy"),
    ("envstack-sqs-all-actions", resource_policies.validate_sqs_all_actions,
     "aws:sqs/queue:Queue", {"policy": BARE_LIST}, "policy"),
    ("envstack-sns-public-policy", resource_policies.validate_sns_public_policy,
     "aws:sns/topicPolicy:TopicPolicy", {"policy": BARE_LIST}, "policy"),
    ("envstack-s3-public-policy", resource_policies.validate_s3_public_policy,
     "aws:s3/bucketPolicy:BucketPolicy", {"policy": TRAILING_COMMA}, "policy"),
    ("envstack-kms-public-policy", resource_policies.validate_kms_public_policy,
     "aws:kms/key:Key", {"policy": BARE_LIST}, "policy"),
    ("envstack-s3-policy-lockout", bucket_lockout.validate_s3_policy_lockout,
     "aws:s3/bucketPolicy:BucketPolicy", {"policy": BARE_LIST}, "policy"),
    ("envstack-sns-cross-account", cross_account.validate_sns_cross_account,
     "aws:sns/topic:Topic", {"policy": TRAILING_COMMA}, "policy"),
    ("envstack-iam-trust-any-principal", iam_admin.validate_trust_any_principal,
     "aws:iam/role:Role", {"assumeRolePolicy": TRUST_LIST}, "assumeRolePolicy"),
    ("envstack-iam-github-oidc-trust", github_oidc.validate_github_oidc_trust,
     "aws:iam/role:Role", {"assumeRolePolicy": TRAILING_COMMA}, "assumeRolePolicy"),
    ("envstack-iam-no-wildcards", access.validate_iam_wildcards,
     "aws:iam/policy:Policy", {"policy": NO_EFFECT}, "policy"),
    ("envstack-iam-risky-actions", iam_actions.validate_iam_risky_actions,
     "aws:iam/role:Role", {"inlinePolicies": [{"name": "x", "policy": NO_EFFECT}]}, "inlinePolicies[0]"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "validate", "token", "props", "where"), RESOURCE_CASES, ids=lambda c: c)
def test_each_document_policy_reports_what_it_could_not_read(
    name: str, validate: Validate, token: str, props: dict[str, Any], where: str
) -> None:
    [message] = run(validate, token, props, name="res")
    assert f"): {where} cannot be judged: the " in message
    assert "so AWS would refuse it and this policy cannot tell what it allows" in message
    assert "Fix: write " in message


def test_an_unreadable_bucket_policy_fails_the_tls_rule_on_the_policy_and_the_bucket() -> None:
    bucket = StackResource("aws:s3/bucket:Bucket", "data", {"bucket": "data-dev", "policy": TRAILING_COMMA})
    messages = run_stack(access.validate_tls_only, [bucket])
    assert [urn for _, urn in messages] == ["urn:data", "urn:data"]
    assert messages[0][0].startswith(
        "data (aws:s3:Bucket): policy cannot be judged: the resource policy is not JSON (Expecting value"
    )


def test_a_topic_policy_that_does_not_parse_fails_the_tls_rule() -> None:
    topic = StackResource("aws:sns/topic:Topic", "events", {"arn": "arn:t", "policy": BARE_LIST})
    [(unreadable, _), (missing, _)] = run_stack(tls_only.validate_tls_only_access, [topic])
    assert "policy cannot be judged: the resource policy statement #0 Principal is list" in unreadable
    assert "has no topic policy that denies requests made without TLS" in missing


@pytest.mark.parametrize("algorithm", ["AES512", "aws:kms:dsse2", "kms"])
def test_an_sse_algorithm_s3_does_not_have_is_reported(algorithm: str) -> None:
    bucket = StackResource("aws:s3/bucket:Bucket", "data", {"bucket": "data-dev", "id": "data-dev"})
    config = StackResource(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "sse",
        {
            "bucket": "data-dev",
            "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": algorithm}}],
        },
    )
    [(message, urn)] = run_stack(encryption.validate_s3_encryption, [bucket, config])
    assert message.startswith(
        f"data (aws:s3:Bucket): has no default server-side encryption:"
        f" applyServerSideEncryptionByDefault.sseAlgorithm {algorithm!r} is not an algorithm S3 has"
    )
    assert urn == "urn:data"


@pytest.mark.parametrize("algorithm", sorted(encryption.SSE_ALGORITHMS))
def test_every_sse_algorithm_s3_has_passes(algorithm: str) -> None:
    bucket = StackResource("aws:s3/bucket:Bucket", "data", {"bucket": "data-dev", "id": "data-dev"})
    config = StackResource(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "sse",
        {
            "bucket": "data-dev",
            "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": algorithm}}],
        },
    )
    assert run_stack(encryption.validate_s3_encryption, [bucket, config]) == []


def test_a_canned_acl_s3_does_not_have_is_reported_and_every_real_one_is_judged() -> None:
    [message] = run(acls.validate_s3_public_acl, "aws:s3/bucketAcl:BucketAcl", {"acl": "public"}, name="a")
    assert message.startswith("a (aws:s3:BucketAcl): acl 'public' is not a canned ACL S3 has")
    private = sorted(acls.CANNED_ACLS - acls.PUBLIC_CANNED_ACLS.keys())
    assert [run(acls.validate_s3_public_acl, "aws:s3/bucketAcl:BucketAcl", {"acl": a}) for a in private] == [
        []
    ] * len(private)


@pytest.mark.parametrize("family", ["postgres", "postgresql16", "mysql-8.0", "oracle19", "sqlserver-16.0"])
def test_a_parameter_group_family_rds_does_not_have_is_reported(family: str) -> None:
    group = StackResource("aws:rds/parameterGroup:ParameterGroup", "pg", {"name": "pg", "family": family})
    [(message, urn)] = run_stack(database_transit.validate_rds_tls_in_transit, [group])
    assert message.startswith(
        f"pg (aws:rds:ParameterGroup): family {family!r} is not a parameter group family"
    )
    assert urn == "urn:pg"


@pytest.mark.parametrize(
    "family",
    ["postgres17", "mysql8.0", "mariadb10.11", "aurora-postgresql16", "aurora-mysql8.0", "aurora5.6",
     "sqlserver-ee-16.0", "oracle-ee-cdb-21", "oracle-se2-19", "custom-oracle-ee-19", "db2-se-11.5"],
)  # fmt: skip
def test_every_family_shape_rds_has_is_accepted(family: str) -> None:
    assert database_transit.FAMILY.match(family)


def test_a_runtime_aws_lambda_does_not_have_is_reported() -> None:
    [message] = run(
        runtimes.validate_lambda_runtime, "aws:lambda/function:Function", {"runtime": "python3.99"}, name="f"
    )
    assert message.startswith(
        "f (aws:lambda:Function): uses runtime 'python3.99', which is not a runtime AWS Lambda has"
    )
    assert "make policy-data" in message
    assert (
        run(runtimes.validate_lambda_runtime, "aws:lambda/function:Function", {"runtime": "python3.13"}) == []
    )
    assert (
        run(runtimes.validate_lambda_runtime, "aws:lambda/function:Function", {"packageType": "Image"}) == []
    )


def test_the_pack_names_every_policy_that_fails_closed() -> None:
    """The count the issue asks for: 11 document policies, 2 stack TLS rules, 6 enumerated values."""
    documents = {name for name, *_ in RESOURCE_CASES} | {"envstack-s3-tls-only", "envstack-tls-only-access"}
    values = {"envstack-s3-encryption", "envstack-s3-public-acl", "envstack-rds-tls-in-transit"}
    values |= {"envstack-lambda-runtime", "envstack-kms-key-rotation", "envstack-lambda-url-auth"}
    pack_names = {policy.name for policy in pack.POLICIES}
    assert documents <= pack_names
    assert values <= pack_names
    assert (len(documents), len(documents | values)) == (13, 19)


def test_unknown_documents_still_wait_for_up() -> None:
    for name, validate, token, props, where in RESOURCE_CASES:
        key = where.split("[")[0]
        unknown = (
            {key: UNKNOWN_STRING_VALUE}
            if key != "inlinePolicies"
            else {key: [{"name": "x", "policy": UNKNOWN_STRING_VALUE}]}
        )
        assert run(validate, token, unknown) == [], name
        assert len(run(validate, token, props)) == 1, name


def _enum(service: str, shape: str) -> set[str]:
    """An enumeration of AWS's API as the pinned botocore's service model has it (the referee)."""
    found = botocore.session.get_session().get_service_model(service).shape_for(shape)
    assert isinstance(found, StringShape)
    return set(found.enum)


def test_the_enumerations_the_pack_checks_are_awss() -> None:
    """Each list the pack refuses other values by is AWS's API's, as botocore ships it."""
    assert _enum("kms", "KeySpec") == kms.KEY_SPECS
    assert set(exposure.URL_AUTHORIZATION_TYPES) == _enum("lambda", "FunctionUrlAuthType")
    # S3's canned ACL table also lists log-delivery-write for buckets, which the API models leave out.
    assert (
        _enum("s3", "BucketCannedACL") | _enum("s3", "ObjectCannedACL") | {"log-delivery-write"}
        == acls.CANNED_ACLS
    )
    # aws:fsx and aws:backup are for FSx and Backup's own buckets, not a bucket's default encryption.
    assert _enum("s3", "ServerSideEncryption") - encryption.SSE_ALGORITHMS == {"aws:fsx", "aws:backup"}
    assert _enum("lambda", "Runtime") - {"custom"} <= lambda_runtimes.KNOWN


def test_a_key_spec_or_url_authorization_aws_does_not_have_is_reported() -> None:
    [key] = run(
        kms.validate_kms_key_rotation, "aws:kms/key:Key", {"customerMasterKeySpec": "AES_256"}, name="k"
    )
    assert key.startswith(
        "k (aws:kms:Key): has customerMasterKeySpec 'AES_256', which is not a key spec KMS has"
    )
    token = "aws:lambda/functionUrl:FunctionUrl"
    [url] = run(exposure.validate_lambda_url_auth, token, {"authorizationType": "IAM"}, name="u")
    assert url.startswith(
        "u (aws:lambda:FunctionUrl): has authorizationType 'IAM', which is not one Lambda has"
    )
    assert run(exposure.validate_lambda_url_auth, token, {"authorizationType": "AWS_IAM"}) == []
