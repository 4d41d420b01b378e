"""Roles that GitHub Actions assumes through OIDC: the ``sub`` claim must name the repository.

A trust policy for ``token.actions.githubusercontent.com`` lets every
workflow of every repository on GitHub ask for the role unless a condition
on the token's ``sub`` claim pins it down. ``envstack-iam-trust-any-principal``
accepts such trust (the principal is a named identity provider), so this
policy reads the claim as Checkov's CKV_AWS_393 does: a ``sub`` condition
must be there, and each of its values must start with ``repo:<owner>/<repo>``
or another claim than those any repository can choose (``workflow``,
``environment``, ``ref``, ``context``, ``head_ref``, ``base_ref``), and must
not be ``*`` or leave the first claim's value a wildcard. Unlike Checkov,
which stops at the first statement and the first value, every statement
and every value is judged: one unsafe value in a list lets its repositories
in. Only positive string operators count (``StringEquals``, ``StringLike``);
``StringNotLike`` or an ``...IfExists`` operator lets in a token without
the claim, or every repository but one.
"""

import re
from collections.abc import Mapping
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from .. import compliance
from ..readers import tokens
from ..readers.documents import Kind, judged
from ..readers.messages import message
from ..readers.values import UNKNOWN, Unknown, as_list, labelled_statements, lookup

PROVIDER: Final = "oidc-provider/token.actions.githubusercontent.com"
"""What the ARN of GitHub's OIDC identity provider in an account contains."""

_SUB = re.compile(r"^token\.actions\.githubusercontent\.com(?:/[a-zA-Z0-9_-]+)?:sub$", re.IGNORECASE)
"""The ``sub`` claim's condition key (with an enterprise's custom issuer path, if any)."""

_REPOSITORY = re.compile(r"(\$\{)?[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*(\})?/[^/]+")
"""``owner/repo`` (or an owner/repo-shaped template), as Checkov reads it."""

ANY_REPOSITORY_CLAIMS: Final = ("workflow", "environment", "ref", "context", "head_ref", "base_ref")
"""Claims whose values every repository can produce, so a ``sub`` that starts with one names no repository."""

_POSITIVE: Final = frozenset({"stringequals", "stringlike", "stringequalsignorecase"})
"""Condition operators under which the ``sub`` value limits who may assume the role."""


def _federated_github(statement: Any) -> bool:
    federated = lookup(statement, "Principal", "Federated")
    return any(isinstance(p, str) and PROVIDER in p for p in as_list(federated))


def unsafe_sub(value: str) -> str | None:
    """Why a ``sub`` value lets in more than one repository's workflows, or ``None`` when it is safe."""
    if value == "*":
        return "matches every repository"
    claims = value.split(":")
    if len(claims) == 1:
        return "names no claim value"
    if claims[1] == "*":
        return f"accepts any value of its first claim, {claims[0]}"
    if claims[0].startswith(ANY_REPOSITORY_CLAIMS):
        return f"starts with the claim {claims[0]}, which any repository can produce"
    if claims[0] == "repo" and not _REPOSITORY.match(claims[1]):
        return f"names no repository as owner/repo ({claims[1]})"
    return None


def statement_problems(statement: Any) -> list[str] | None:
    """What is wrong with one GitHub OIDC trust statement; ``None`` when a value is not known yet."""
    condition = lookup(statement, "Condition")
    if condition is UNKNOWN:
        return None
    subs: list[Any] = []
    for operator in condition if isinstance(condition, Mapping) else ():
        clauses = lookup(condition, operator)
        if clauses is UNKNOWN:
            return None
        for key in clauses if isinstance(clauses, Mapping) else ():
            if isinstance(key, str) and _SUB.match(key):
                if str(operator).lower() not in _POSITIVE:
                    return [f"its sub condition uses {operator}, which does not limit the repositories"]
                subs += as_list(lookup(clauses, key))
    if any(value is UNKNOWN for value in subs):
        return None
    if not subs:
        return ["has no condition on token.actions.githubusercontent.com:sub"]
    return [f"sub {value!r} {why}" for value in subs if isinstance(value, str) and (why := unsafe_sub(value))]


def validate_github_oidc_trust(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """A role GitHub Actions may assume pins the ``sub`` claim to repositories."""
    if args.resource_type != tokens.ROLE:
        return
    key = "assumeRolePolicy"
    document = judged(args, report_violation, Kind.TRUST, key, lookup(args.props, key))
    if document is None or isinstance(document, Unknown):
        return
    for label, statement in labelled_statements(document):
        if lookup(statement, "Effect") != "Allow" or not _federated_github(statement):
            continue
        for problem in statement_problems(statement) or ():
            report_violation(
                message(
                    args.name,
                    args.resource_type,
                    f"assumeRolePolicy: statement {label} trusts GitHub Actions, but {problem}.",
                    "add a StringLike (or StringEquals) condition on token.actions.githubusercontent.com:sub"
                    " with values 'repo:<owner>/<repo>:<what>', e.g."
                    " 'repo:my-org/my-repo:ref:refs/heads/main' or 'repo:my-org/my-repo:environment:prod'.",
                ),
                None,
            )


iam_github_oidc_trust = ResourceValidationPolicy(
    name="envstack-iam-github-oidc-trust",
    **compliance.of("envstack-iam-github-oidc-trust"),
    description="IAM roles that GitHub Actions assumes through OIDC pin the sub claim to repositories.",
    validate=validate_github_oidc_trust,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps=(
        "In the role's trust policy, condition the GitHub OIDC statement on"
        " token.actions.githubusercontent.com:sub with StringLike/StringEquals values that start with"
        " 'repo:<owner>/<repo>', never '*', 'repo:*' or a claim such as 'workflow:' that any repository"
        " can use."
    ),
)

POLICIES: list[Policy] = [iam_github_oidc_trust]
