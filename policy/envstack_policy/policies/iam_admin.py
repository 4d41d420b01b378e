"""Administrator access by attachment, and roles anyone may assume.

``envstack-iam-no-wildcards`` reads the policy documents a program writes,
but attaching AWS's own ``AdministratorAccess`` grants ``*`` on ``*``
without a single document in the program: it walks around that check.
This module reads the attachments instead (every attachment type, the
``...Exclusive`` ones and a role's ``managedPolicyArns``). A role's trust
policy is the other door: ``Principal: "*"`` lets any AWS account assume it.
"""

import re
from collections.abc import Iterable
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from .. import compliance
from ..readers import config, tokens
from ..readers.documents import Kind, judged
from ..readers.messages import message
from ..readers.principals import public_statements
from ..readers.values import UNKNOWN, Unknown, as_list, lookup

DEFAULT_ADMIN_POLICIES: Final = ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess")
"""AWS-managed policies that grant every action, or the power to grant oneself every action."""

_AWS_MANAGED = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]+)$")


def admin_policies(arns: Iterable[Any], names: Iterable[str]) -> list[str]:
    """The AWS-managed policy ARNs among ``arns`` whose name is one of ``names`` (unknown ARNs skipped)."""
    wanted = frozenset(names)
    found: list[str] = []
    for arn in arns:
        match = _AWS_MANAGED.match(arn) if isinstance(arn, str) else None
        if match and match.group("name") in wanted:
            found.append(arn)
    return found


def validate_admin_attachment(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """No role, user or group gets an AWS-managed administrator policy attached."""
    prop = tokens.POLICY_ATTACHMENTS.get(args.resource_type)
    if prop is None:
        return
    names = config.strings(args.get_config(), "adminPolicies", DEFAULT_ADMIN_POLICIES)
    value = lookup(args.props, prop)
    arns = [] if value is UNKNOWN else as_list(value)
    for arn in admin_policies(arns, names):
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"{prop} attaches the AWS-managed policy {arn}, which grants administrator access.",
                "attach a customer-managed policy (or an inline one) that names the actions and resources"
                " the workload needs.",
            ),
            None,
        )


iam_no_admin_managed_policy = ResourceValidationPolicy(
    name="envstack-iam-no-admin-managed-policy",
    **compliance.of("envstack-iam-no-admin-managed-policy"),
    description="No role, user or group has AWS's AdministratorAccess (or a like managed policy) attached.",
    validate=validate_admin_attachment,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    config_schema=PolicyConfigSchema(
        properties={
            "adminPolicies": config.string_list_option(
                "Names of AWS-managed policies (arn:aws:iam::aws:policy/<name>) that may not be attached.",
                DEFAULT_ADMIN_POLICIES,
            )
        }
    ),
    remediation_steps=(
        "Remove the attachment (RolePolicyAttachment, UserPolicyAttachment, GroupPolicyAttachment,"
        " PolicyAttachment, a ...PolicyAttachmentsExclusive or the role's managedPolicyArns) and grant a"
        " least-privilege customer-managed or inline policy instead."
    ),
)


def validate_trust_any_principal(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """A role's trust policy does not let any principal assume it without a narrowing condition."""
    if args.resource_type != tokens.ROLE:
        return
    key = "assumeRolePolicy"
    document = judged(args, report_violation, Kind.TRUST, key, lookup(args.props, key))
    if document is None or isinstance(document, Unknown):
        return
    for label in public_statements(document):
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"assumeRolePolicy: statement {label} lets any principal ('*') assume the role.",
                "name the service (e.g. {'Service': 'lambda.amazonaws.com'}) or the account or role ARNs"
                " that assume it, or add a condition on aws:PrincipalOrgID or aws:PrincipalAccount.",
            ),
            None,
        )


iam_trust_any_principal = ResourceValidationPolicy(
    name="envstack-iam-trust-any-principal",
    **compliance.of("envstack-iam-trust-any-principal"),
    description="IAM role trust policies do not let any principal assume the role.",
    validate=validate_trust_any_principal,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps=(
        "Set the trust policy's Principal to the service or the account/role ARNs that assume the role,"
        " or narrow '*' with a condition on aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn."
    ),
)

POLICIES: list[Policy] = [iam_no_admin_managed_policy, iam_trust_any_principal]
