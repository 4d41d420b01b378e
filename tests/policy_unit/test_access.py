"""Access policies called directly: IAM wildcards, public access blocks, TLS, runtimes, DLQs."""

import datetime
import json
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE

from envstack_policy.policies import access, iam_actions, runtimes
from envstack_policy.policies.access import (
    validate_iam_wildcards,
    validate_public_access_block,
    validate_tls_only,
    wildcard_findings,
)
from envstack_policy.policies.dead_letter import validate_sqs_dlq
from envstack_policy.policies.runtimes import deprecated, validate_lambda_runtime

from .conftest import StackResource, run, run_stack


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def test_named_actions_on_named_resources_pass() -> None:
    document = doc({"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": ["arn:aws:s3:::b/*"]})
    assert wildcard_findings(document, (), ()) == []


def test_wildcard_actions_and_star_resources_are_found() -> None:
    document = doc(
        {"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Action": ["s3:Get*", "s3:PutObject"], "Resource": "arn:aws:s3:::b/*"},
    )
    assert wildcard_findings(document, (), ()) == [
        "statement All allows wildcard action(s) *",
        "statement All allows Resource '*'",
        "statement #1 allows wildcard action(s) s3:Get*",
    ]


def test_not_action_and_not_resource_in_allow_statements_are_found() -> None:
    document = doc({"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::b"})
    assert wildcard_findings(document, (), ()) == [
        "statement #0 allows every action but those in NotAction",
        "statement #0 allows every resource but those in NotResource",
    ]


def test_deny_statements_may_use_wildcards() -> None:
    assert wildcard_findings(doc({"Effect": "Deny", "Action": "*", "Resource": "*"}), (), ()) == []


def test_config_allow_lists_wildcard_actions_and_star_resource_actions() -> None:
    document = doc(
        {"Sid": "Logs", "Effect": "Allow", "Action": "logs:Describe*", "Resource": "arn:aws:logs:*:1:*"},
        {"Sid": "Trace", "Effect": "Allow", "Action": ["xray:GetGroup"], "Resource": "*"},
    )
    assert wildcard_findings(document, ["logs:Describe*"], ["xray:GetGroup"]) == []
    assert wildcard_findings(document, [], ["logs:Describe*"]) == [
        "statement Logs allows wildcard action(s) logs:Describe*",
        "statement Trace allows Resource '*'",
    ]


def test_star_resource_passes_for_actions_no_arn_can_narrow() -> None:
    """The IAM service reference lists no resource type for these: '*' is the only way to grant them."""
    actions = ["s3:ListAllMyBuckets", "STS:GetCallerIdentity"]
    only_star = {"Effect": "Allow", "Action": actions, "Resource": "*"}
    assert wildcard_findings(doc(only_star), (), ()) == []
    mixed = {**only_star, "Action": ["s3:ListAllMyBuckets", "s3:GetObject"]}
    assert wildcard_findings(doc(mixed), (), ()) == ["statement #0 allows Resource '*'"]
    assert "s3:listallmybuckets" in access.wildcard_only_actions()
    assert "s3:getobject" not in access.wildcard_only_actions()


def test_iam_policy_resources_are_checked_with_config() -> None:
    policy = json.dumps(doc({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b"}))
    [message] = run(validate_iam_wildcards, "aws:iam/rolePolicy:RolePolicy", {"policy": policy}, name="rp")
    assert message.startswith("rp (aws:iam:RolePolicy): policy: statement #0 allows wildcard action(s) s3:*.")
    assert "Fix: name each action" in message
    config = {"allowedWildcardActions": ["s3:*"]}
    assert run(validate_iam_wildcards, "aws:iam/policy:Policy", {"policy": policy}, config=config) == []


def test_role_inline_policies_are_checked() -> None:
    inline = [
        {
            "name": "ok",
            "policy": json.dumps(doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "a"})),
        },
        {"name": "bad", "policy": doc({"Effect": "Allow", "Action": "*", "Resource": "*"})},
    ]
    messages = run(validate_iam_wildcards, "aws:iam/role:Role", {"inlinePolicies": inline}, name="role")
    assert [m.split(": statement")[0] for m in messages] == ["role (aws:iam:Role): inlinePolicies[1]"] * 2


def test_unknown_or_unrelated_policies_are_skipped() -> None:
    assert (
        run(validate_iam_wildcards, "aws:iam/rolePolicy:RolePolicy", {"policy": UNKNOWN_STRING_VALUE}) == []
    )
    assert (
        run(
            validate_iam_wildcards,
            "aws:s3/bucketPolicy:BucketPolicy",
            {"policy": json.dumps(doc({"Action": "*"}))},
        )
        == []
    )


@pytest.mark.parametrize(
    ("policy", "problem"),
    [
        ('{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},]}', "is not JSON (Expecting"),
        ('{"Statement": {"Action": "s3:*", "Resource": "*"}}', "statement #0 has no Effect"),
        (
            json.dumps(doc({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"})),
            "statement #0 has a Principal, which an identity policy may not",
        ),
    ],
    ids=["trailing-comma", "no-effect", "principal"],
)
def test_unreadable_identity_policies_fail_closed(policy: str, problem: str) -> None:
    """A document AWS would refuse is reported, not passed: the rule could not read what it allows."""
    [message] = run(validate_iam_wildcards, "aws:iam/rolePolicy:RolePolicy", {"policy": policy}, name="rp")
    shown = "rp (aws:iam:RolePolicy): policy cannot be judged"
    assert message.startswith(f"{shown}: the identity policy {problem}")
    assert "Fix: write policy as a JSON identity policy" in message


BUCKET = "aws:s3/bucket:Bucket"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
ALL_ON = {flag: True for flag in access.PUBLIC_ACCESS_FLAGS}


def bucket(name: str = "data") -> StackResource:
    return StackResource(BUCKET, name, {"bucket": f"{name}-dev", "arn": f"arn:aws:s3:::{name}-dev"})


def test_a_full_public_access_block_passes() -> None:
    assert (
        run_stack(
            validate_public_access_block,
            [bucket(), StackResource(PAB, "pab", {"bucket": "data-dev", **ALL_ON})],
        )
        == []
    )


def test_a_missing_public_access_block_is_reported() -> None:
    [(message, urn)] = run_stack(validate_public_access_block, [bucket()])
    assert message.startswith(
        "data (aws:s3:Bucket): has no public access block. Fix: add an aws.s3.BucketPublicAccessBlock"
    )
    assert urn == "urn:data"


def test_a_block_with_flags_off_names_them() -> None:
    partial = {**ALL_ON, "ignorePublicAcls": False, "restrictPublicBuckets": None}
    [(message, _)] = run_stack(
        validate_public_access_block, [bucket(), StackResource(PAB, "pab", {"bucket": "data-dev", **partial})]
    )
    assert "leaves ignorePublicAcls, restrictPublicBuckets off." in message


def test_a_block_for_a_bucket_made_elsewhere_is_judged_by_itself() -> None:
    """The flags are all this stack decides about a bucket it does not own; one off is reported."""
    partial = {**ALL_ON, "blockPublicPolicy": False}
    outside = StackResource(PAB, "shared-pab", {"bucket": "logs-shared", **partial})
    [(message, urn)] = run_stack(validate_public_access_block, [outside])
    assert message.startswith(
        "shared-pab (aws:s3:BucketPublicAccessBlock): blocks public access to bucket 'logs-shared', made"
        " outside this stack, but leaves blockPublicPolicy off."
    )
    assert urn == "urn:shared-pab"
    full = StackResource(PAB, "shared-pab", {"bucket": "logs-shared", **ALL_ON})
    assert run_stack(validate_public_access_block, [full]) == []
    unknown_bucket = StackResource(PAB, "pab", {"bucket": UNKNOWN_STRING_VALUE, **partial})
    assert run_stack(validate_public_access_block, [bucket(), unknown_bucket]) == []


def test_public_access_blocks_not_known_yet_are_not_reported() -> None:
    unknown_flag = {**ALL_ON, "blockPublicAcls": UNKNOWN_BOOLEAN_VALUE}
    assert (
        run_stack(
            validate_public_access_block,
            [bucket(), StackResource(PAB, "pab", {"bucket": "data-dev", **unknown_flag})],
        )
        == []
    )
    unlinked = StackResource(PAB, "pab", {"bucket": UNKNOWN_STRING_VALUE, **ALL_ON})
    assert run_stack(validate_public_access_block, [bucket(), unlinked]) == []


POLICY = "aws:s3/bucketPolicy:BucketPolicy"
TLS_DENY = {
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::data-dev", "arn:aws:s3:::data-dev/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}


@pytest.mark.parametrize(
    "statement",
    [
        TLS_DENY,
        {**TLS_DENY, "Principal": {"AWS": "*"}, "Action": ["*"]},
        {**TLS_DENY, "Condition": {"Bool": {"aws:SecureTransport": False}}},
    ],
)
def test_a_bucket_policy_denying_plain_http_passes(statement: dict[str, Any]) -> None:
    policy = StackResource(POLICY, "policy", {"bucket": "data-dev", "policy": json.dumps(doc(statement))})
    assert run_stack(validate_tls_only, [bucket(), policy]) == []


def test_an_inline_bucket_policy_counts() -> None:
    inline = StackResource(BUCKET, "data", {"bucket": "data-dev", "policy": json.dumps(doc(TLS_DENY))})
    assert run_stack(validate_tls_only, [inline]) == []


@pytest.mark.parametrize(
    "statement",
    [
        {**TLS_DENY, "Effect": "Allow"},
        {**TLS_DENY, "Principal": {"AWS": "arn:aws:iam::1:root"}},
        {**TLS_DENY, "Action": "s3:GetObject"},
        {**TLS_DENY, "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    ],
)
def test_policies_that_do_not_deny_plain_http_are_reported(statement: dict[str, Any]) -> None:
    policy = StackResource(POLICY, "policy", {"bucket": "data-dev", "policy": json.dumps(doc(statement))})
    [(message, urn)] = run_stack(validate_tls_only, [bucket(), policy])
    assert message.startswith(
        "data (aws:s3:Bucket): has no bucket policy that denies requests made without TLS."
    )
    assert "aws:SecureTransport='false'" in message
    assert urn == "urn:data"


def test_tls_policies_not_known_yet_are_not_reported() -> None:
    unknown_document = StackResource(POLICY, "policy", {"bucket": "data-dev", "policy": UNKNOWN_STRING_VALUE})
    assert run_stack(validate_tls_only, [bucket(), unknown_document]) == []
    unlinked = StackResource(POLICY, "policy", {"bucket": UNKNOWN_STRING_VALUE, "policy": "{}"})
    assert run_stack(validate_tls_only, [bucket(), unlinked]) == []


FUNCTION = "aws:lambda/function:Function"


def test_deprecated_runtimes_are_reported_with_a_supported_one_to_move_to() -> None:
    [message] = run(validate_lambda_runtime, FUNCTION, {"runtime": "python3.8"}, name="fn")
    assert message == (
        "fn (aws:lambda:Function): uses runtime 'python3.8', which AWS Lambda has deprecated."
        " Fix: move to 'python3.14'."
    )


def test_a_runtime_without_a_successor_is_pointed_at_the_newest_python_and_node() -> None:
    config = {"extraDeprecatedRuntimes": ["python3.14", "custom-runtime"]}
    for runtime in config["extraDeprecatedRuntimes"]:
        [message] = run(validate_lambda_runtime, FUNCTION, {"runtime": runtime}, config=config)
        assert message.endswith("Fix: move to a supported runtime such as 'python3.14' or 'nodejs24.x'.")


def test_supported_unknown_and_image_functions_pass() -> None:
    assert run(validate_lambda_runtime, FUNCTION, {"runtime": "python3.13"}) == []
    assert run(validate_lambda_runtime, FUNCTION, {"runtime": UNKNOWN_STRING_VALUE}) == []
    assert run(validate_lambda_runtime, FUNCTION, {"packageType": "Image"}) == []
    assert run(validate_lambda_runtime, "aws:sqs/queue:Queue", {"runtime": "python3.8"}) == []


def test_config_can_add_runtimes_to_the_deprecated_list() -> None:
    config = {"extraDeprecatedRuntimes": ["python3.12"]}
    assert len(run(validate_lambda_runtime, FUNCTION, {"runtime": "python3.12"}, config=config)) == 1


def test_a_runtime_counts_as_deprecated_from_its_date_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtimes, "today", lambda: datetime.date(2026, 4, 29))
    assert not deprecated("nodejs20.x")
    monkeypatch.setattr(runtimes, "today", lambda: datetime.date(2026, 4, 30))
    assert deprecated("nodejs20.x")
    assert not deprecated("python3.13")


def test_today_is_the_utc_date() -> None:
    assert runtimes.today() == datetime.datetime.now(datetime.UTC).date()


QUEUE = "aws:sqs/queue:Queue"
ESM = "aws:lambda/eventSourceMapping:EventSourceMapping"
REDRIVE = json.dumps({"deadLetterTargetArn": "arn:aws:sqs:us-east-1:1:dlq-dev", "maxReceiveCount": 3})


def queue(**props: Any) -> StackResource:
    return StackResource(
        QUEUE,
        "ingest",
        {
            "name": "ingest-dev",
            "arn": "arn:aws:sqs:us-east-1:1:ingest-dev",
            "url": "https://q/ingest-dev",
            **props,
        },
    )


def trigger(**props: Any) -> StackResource:
    return StackResource(
        ESM,
        "trigger",
        {"eventSourceArn": "arn:aws:sqs:us-east-1:1:ingest-dev", "functionName": "fn-dev", **props},
    )


def test_a_queue_feeding_a_function_without_a_dlq_is_reported() -> None:
    [(message, urn)] = run_stack(validate_sqs_dlq, [queue(), trigger()])
    assert message.startswith(
        "ingest (aws:sqs:Queue): feeds function 'fn-dev' through an event source mapping"
    )
    assert "Fix: create a second aws.sqs.Queue and set redrivePolicy" in message
    assert urn == "urn:ingest"


def test_the_mapping_is_found_by_dependency_when_the_arn_is_unknown() -> None:
    linked = trigger(eventSourceArn=UNKNOWN_STRING_VALUE, functionName=UNKNOWN_STRING_VALUE)
    linked.depends = {"eventSourceArn": ["ingest"]}
    [(message, _)] = run_stack(validate_sqs_dlq, [queue(arn=UNKNOWN_STRING_VALUE), linked])
    assert "feeds a function through" in message


@pytest.mark.parametrize(
    "resources",
    [
        [queue(redrivePolicy=REDRIVE), trigger()],
        [queue(redrivePolicy=json.loads(REDRIVE)), trigger()],
        # Unknown because it is built from the DLQ's ARN, as the engine says in propertyDependencies.
        [
            StackResource(QUEUE, "dlq", {"name": "ingest-dlq-dev"}),
            StackResource(
                QUEUE,
                "ingest",
                {
                    "name": "ingest-dev",
                    "arn": "arn:aws:sqs:us-east-1:1:ingest-dev",
                    "redrivePolicy": UNKNOWN_STRING_VALUE,
                },
                depends={"redrivePolicy": ["dlq"]},
            ),
            trigger(),
        ],
        [
            queue(),
            trigger(),
            StackResource(
                "aws:sqs/redrivePolicy:RedrivePolicy",
                "rp",
                {"queueUrl": "https://q/ingest-dev", "redrivePolicy": REDRIVE},
            ),
        ],
        [
            queue(),
            trigger(),
            StackResource(
                "aws:sqs/redrivePolicy:RedrivePolicy",
                "rp",
                {"queueUrl": UNKNOWN_STRING_VALUE, "redrivePolicy": REDRIVE},
            ),
        ],
        [queue(), trigger(eventSourceArn="arn:aws:sqs:us-east-1:1:elsewhere")],
        [queue()],
    ],
    ids=[
        "inline",
        "inline-object",
        "unknown",
        "redrive-resource",
        "unresolved-redrive-resource",
        "other-queue",
        "no-trigger",
    ],
)
def test_queues_with_a_dlq_or_feeding_nothing_pass(resources: list[StackResource]) -> None:
    assert run_stack(validate_sqs_dlq, resources) == []


def test_an_unset_redrive_policy_the_provider_computes_is_judged_at_preview() -> None:
    # A preview of a create: the bridged provider returns the unset redrivePolicy as unknown.
    [(message, _)] = run_stack(validate_sqs_dlq, [queue(redrivePolicy=UNKNOWN_STRING_VALUE), trigger()])
    assert "ingest (aws:sqs:Queue)" in message


def test_a_redrive_policy_without_a_target_does_not_count() -> None:
    assert len(run_stack(validate_sqs_dlq, [queue(redrivePolicy='{"maxReceiveCount": 3}'), trigger()])) == 1


def test_a_permission_sets_inline_policy_is_judged_as_an_identity_policy() -> None:
    """IAM Identity Center makes it a role's policy in every account the permission set is assigned to."""
    token = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
    policy = json.dumps(doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))
    messages = run(validate_iam_wildcards, token, {"inlinePolicy": policy}, name="ps")
    assert [m.split(": statement")[0] for m in messages] == [
        "ps (aws:ssoadmin:PermissionSetInlinePolicy): inlinePolicy"
    ] * 2
    risky = run(iam_actions.validate_iam_risky_actions, token, {"inlinePolicy": json.dumps(doc(
        {"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"}))}, name="ps")  # fmt: skip
    assert any(
        "ps (aws:ssoadmin:PermissionSetInlinePolicy): inlinePolicy: allows privilege" in m for m in risky
    )
