"""Roles GitHub Actions assumes through OIDC: the sub claim must pin the repositories."""

import json
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from envstack_policy.policies.github_oidc import unsafe_sub, validate_github_oidc_trust

from .conftest import run

ROLE = "aws:iam/role:Role"
PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
SUB = "token.actions.githubusercontent.com:sub"
AUD = {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}


def trust(condition: Any = None, *, principal: Any = None, **extra: Any) -> str:
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER} if principal is None else principal,
        "Action": "sts:AssumeRoleWithWebIdentity",
        **({} if condition is None else {"Condition": condition}),
        **extra,
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def judged(policy: str) -> list[str]:
    return run(validate_github_oidc_trust, ROLE, {"assumeRolePolicy": policy}, name="deploy")


@pytest.mark.parametrize(
    ("sub", "why"),
    [
        ("*", "matches every repository"),
        ("repo", "names no claim value"),
        ("repo:*", "accepts any value of its first claim, repo"),
        ("workflow:deploy", "starts with the claim workflow, which any repository can produce"),
        ("environment:prod", "starts with the claim environment, which any repository can produce"),
        ("repo:my-org*", "names no repository as owner/repo (my-org*)"),
    ],
)
def test_a_sub_claim_that_lets_in_other_repositories_is_reported(sub: str, why: str) -> None:
    [message] = judged(trust({"StringEquals": AUD, "StringLike": {SUB: sub}}, Sid="GitHub"))
    assert message.startswith(
        "deploy (aws:iam:Role): assumeRolePolicy: statement GitHub trusts GitHub Actions, but"
        f" sub {sub!r} {why}."
    )
    assert (
        "Fix: add a StringLike (or StringEquals) condition on token.actions.githubusercontent.com:sub"
        in message
    )


def test_trust_without_a_sub_condition_or_with_a_negative_operator_is_reported() -> None:
    [bare] = judged(trust())
    assert (
        "statement #0 trusts GitHub Actions, but has no condition on token.actions.githubusercontent.com:sub"
        in bare
    )
    [aud_only] = judged(trust({"StringEquals": AUD}))
    assert "has no condition on token.actions.githubusercontent.com:sub" in aud_only
    for operator in ("StringNotLike", "StringLikeIfExists"):
        [message] = judged(trust({operator: {SUB: "repo:my-org/my-repo:*"}}))
        assert f"its sub condition uses {operator}, which does not limit the repositories" in message


def test_every_value_is_judged_not_only_the_first() -> None:
    found = judged(trust({"StringLike": {SUB: ["repo:my-org/app:ref:refs/heads/main", "repo:*", "*"]}}))
    assert [m.split(", but ")[1].split(".")[0] for m in found] == [
        "sub 'repo:*' accepts any value of its first claim, repo",
        "sub '*' matches every repository",
    ]


@pytest.mark.parametrize(
    "policy",
    [
        trust({"StringEquals": AUD, "StringLike": {SUB: "repo:my-org/my-repo:ref:refs/heads/main"}}),
        trust({"StringLike": {SUB: ["repo:my-org/*", "repo:my-org/app:environment:prod"]}}),
        trust({"StringEquals": {"token.actions.githubusercontent.com/my-enterprise:sub": "repo:o/r:ref:x"}}),
        trust({"StringLike": {SUB: UNKNOWN_STRING_VALUE}}),
        trust({"StringLike": UNKNOWN_STRING_VALUE}),
        trust(UNKNOWN_STRING_VALUE),
        trust(principal={"Federated": "arn:aws:iam::123456789012:oidc-provider/gitlab.com"}),
        trust(principal={"Service": "lambda.amazonaws.com"}),
        trust(Effect="Deny"),
        UNKNOWN_STRING_VALUE,
    ],
    ids=["one-branch", "org-and-environment", "enterprise-issuer", "unknown-value", "unknown-clauses",
         "unknown-condition", "other-provider", "service", "deny", "unknown"],
)  # fmt: skip
def test_repository_pinned_other_or_not_yet_known_trust_passes(policy: str) -> None:
    assert judged(policy) == []


def test_only_roles_are_judged_and_safe_values_have_no_reason() -> None:
    assert run(validate_github_oidc_trust, "aws:iam/policy:Policy", {"assumeRolePolicy": trust()}) == []
    assert run(validate_github_oidc_trust, ROLE, {}) == []
    assert unsafe_sub("repo:my-org/my-repo:pull_request") is None
