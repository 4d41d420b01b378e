"""SNS topic policies that let another AWS account in without a condition.

``envstack-sns-public-policy`` reports a topic open to any principal; a
topic policy that names a principal of another account is the quieter
door: that account's own IAM then decides which of its users and roles
may publish or subscribe. Checkov's CKV_AWS_385 fails every Allow statement
for an IAM ARN without a condition, the topic's own account included; this
pack knows the topic's account from its ARN (the ``TopicPolicy``'s ``arn``,
or the ARNs the statement's ``Resource`` names), so it reports only
principals of other accounts, and only without a condition that names who
may call (``principals.narrowed``: ``aws:PrincipalOrgID``,
``aws:SourceArn``, ...). A statement whose topic account is not known yet
(preview) is judged once it is.
"""

import re
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
from ..readers.documents import Kind, typed_document
from ..readers.messages import message
from ..readers.principals import narrowed
from ..readers.values import as_list, labelled_statements, lookup

_ACCOUNT_ID = re.compile(r"^\d{12}$")
_IAM_ARN = re.compile(r"^arn:aws[a-z-]*:(?:iam|sts)::(?P<account>\d{12}):")
_TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]*:(?P<account>\d{12}):")

_TOPIC_POLICY_INPUTS: Final = {tokens.TOPIC: "policy", tokens.TOPIC_POLICY: "policy"}


def principal_account(principal: Any) -> str | None:
    """The account of an ``AWS`` principal (an ARN or an account id); ``None`` for ``*`` or unknown."""
    if not isinstance(principal, str):
        return None
    if _ACCOUNT_ID.match(principal):
        return principal
    match = _IAM_ARN.match(principal)
    return match.group("account") if match else None


def topic_accounts(values: Any) -> set[str]:
    """The accounts of the SNS topic ARNs among ``values``."""
    found = set()
    for value in as_list(values):
        match = _TOPIC_ARN.match(value) if isinstance(value, str) else None
        if match:
            found.add(match.group("account"))
    return found


def foreign_principals(document: Any, owners: set[str]) -> list[tuple[str, list[str]]]:
    """(label, principals of other accounts) of each Allow statement without a narrowing condition."""
    found: list[tuple[str, list[str]]] = []
    for label, statement in labelled_statements(document):
        if lookup(statement, "Effect") != "Allow" or narrowed(lookup(statement, "Condition")):
            continue
        mine = owners or topic_accounts(lookup(statement, "Resource"))
        if len(mine) != 1:
            continue  # the topic's account is not known (yet), or the statement spans accounts' topics
        principals = as_list(lookup(statement, "Principal", "AWS"))
        others = [p for p in principals if (account := principal_account(p)) and account not in mine]
        if others:
            found.append((label, others))
    return found


def validate_sns_cross_account(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """No topic policy statement lets a principal of another account in without a narrowing condition."""
    found = typed_document(args, report_violation, _TOPIC_POLICY_INPUTS, Kind.RESOURCE)
    if found is None:
        return
    prop, document = found
    owners = topic_accounts(lookup(args.props, "arn")) if args.resource_type == tokens.TOPIC_POLICY else set()
    for label, others in foreign_principals(document, owners):
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"{prop}: statement {label} lets {', '.join(others)} of another account use the topic"
                " without a condition.",
                "grant the topic's own account's roles, or add a condition on aws:PrincipalOrgID (or"
                " aws:SourceArn / aws:SourceAccount for a service) that names who may call.",
            ),
            None,
        )


sns_cross_account = ResourceValidationPolicy(
    name="envstack-sns-cross-account",
    **compliance.of("envstack-sns-cross-account"),
    description="SNS topic policies do not let another account's principals in without a condition.",
    validate=validate_sns_cross_account,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "In the topic's policy (aws.sns.TopicPolicy or the topic's policy input), name only this account's"
        " principals, or narrow a statement for another account with a condition on aws:PrincipalOrgID."
    ),
)

POLICIES: list[Policy] = [sns_cross_account]
