"""Access: least-privilege IAM, private and TLS-only buckets."""

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from .. import compliance
from ..readers import config, tokens
from ..readers.action_patterns import covers
from ..readers.documents import Kind, judged
from ..readers.links import link, of_types
from ..readers.messages import message
from ..readers.values import (
    UNKNOWN,
    as_list,
    items,
    labelled_statements,
    lookup,
    output,
    statements,
    truthy,
)

# --- IAM ---------------------------------------------------------------------------------------


def identity_documents(
    args: ResourceValidationArgs, report_violation: ReportViolation
) -> list[tuple[str, Any]]:
    """The identity policy documents a resource carries that can be judged now, each with where it sits.

    A permission set's inline policy is one too: IAM Identity Center makes it the policy of a role in
    each account the set is assigned to. Both IAM checks read them here; a document that cannot be
    read is reported on the resource by each (``documents.judged``), and one not known yet is left
    to ``pulumi up``.
    """
    if args.resource_type in tokens.IAM_POLICY_DOCUMENTS:
        raw = [("policy", lookup(args.props, "policy"))]
    elif args.resource_type == tokens.SSO_INLINE_POLICY:
        raw = [("inlinePolicy", lookup(args.props, "inlinePolicy"))]
    elif args.resource_type == tokens.ROLE:
        raw = [
            (f"inlinePolicies[{index}]", lookup(inline, "policy"))
            for index, inline in enumerate(items(lookup(args.props, "inlinePolicies")))
        ]
    else:
        return []
    found = [(where, judged(args, report_violation, Kind.IDENTITY, where, value)) for where, value in raw]
    return [(where, document) for where, document in found if isinstance(document, Mapping)]


@cache
def wildcard_only_actions() -> frozenset[str]:
    """Every action no resource ARN can narrow (lower case), from the IAM action table (read on first use).

    ``s3:ListAllMyBuckets`` or ``sts:GetCallerIdentity`` is granted on ``Resource: "*"`` or not at
    all, so ``*`` there asks nothing a narrower ARN could have said.
    """
    from ..data.iam_action_data import WILDCARD_ONLY  # noqa: PLC0415

    return frozenset(f"{p}:{name}".lower() for p, names in WILDCARD_ONLY.items() for name in names.split())


def _star_ok(action: str, allowed: frozenset[str]) -> bool:
    return action in allowed or action.lower() in wildcard_only_actions()


def wildcard_findings(
    document: Any, allowed_actions: Iterable[str], allowed_star_resource_actions: Iterable[str]
) -> list[str]:
    """What each Allow statement grants too broadly, as sentences; empty when it is least-privilege.

    ``Resource: "*"`` is accepted for actions allow-listed in ``allowed_star_resource_actions`` and
    for those no ARN can narrow (``wildcard_only_actions``).
    """
    allowed = frozenset(allowed_actions)
    star_ok = frozenset(allowed_star_resource_actions)
    findings: list[str] = []
    for label, statement in labelled_statements(document):
        if lookup(statement, "Effect") not in ("Allow", None):
            continue
        actions = [a for a in as_list(lookup(statement, "Action")) if isinstance(a, str)]
        wild = [a for a in actions if "*" in a and a not in allowed]
        if wild:
            findings.append(f"statement {label} allows wildcard action(s) {', '.join(wild)}")
        if lookup(statement, "NotAction") is not None:
            findings.append(f"statement {label} allows every action but those in NotAction")
        resources = as_list(lookup(statement, "Resource"))
        if "*" in resources and not (actions and all(_star_ok(a, star_ok) for a in actions)):
            findings.append(f"statement {label} allows Resource '*'")
        if lookup(statement, "NotResource") is not None:
            findings.append(f"statement {label} allows every resource but those in NotResource")
    return findings


def validate_iam_wildcards(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """No Allow statement with a wildcard action or a ``*`` resource, unless allow-listed."""
    documents = identity_documents(args, report_violation)
    if not documents:
        return
    settings = args.get_config()
    allowed_actions = config.strings(settings, "allowedWildcardActions")
    star_ok = config.strings(settings, "allowedStarResourceActions")
    for where, document in documents:
        for finding in wildcard_findings(document, allowed_actions, star_ok):
            report_violation(
                message(
                    args.name,
                    args.resource_type,
                    f"{where}: {finding}.",
                    "name each action and each resource ARN the workload needs, or allow-list the"
                    " action in this policy's config (allowedWildcardActions / allowedStarResourceActions).",
                ),
                None,
            )


iam_no_wildcards = ResourceValidationPolicy(
    name="envstack-iam-no-wildcards",
    **compliance.of("envstack-iam-no-wildcards"),
    description="IAM policies name their actions and resources: no wildcard action, no '*' resource.",
    validate=validate_iam_wildcards,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    config_schema=PolicyConfigSchema(
        properties={
            "allowedWildcardActions": config.string_list_option(
                "Wildcard actions that are accepted as written, e.g. 'logs:Describe*'."
            ),
            "allowedStarResourceActions": config.string_list_option(
                "Actions that may use Resource '*' because AWS offers no narrower one,"
                " e.g. 'xray:PutTraceSegments'."
            ),
        }
    ),
    remediation_steps="Replace wildcards with exact actions and ARNs; allow-list unavoidable ones in config.",
)

_RES = Kind.RESOURCE

# --- S3 public access and TLS ------------------------------------------------------------------

PUBLIC_ACCESS_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def _missing_flags(block: PolicyResource) -> list[str] | None:
    """The flags a public access block leaves off; ``None`` when one is not known yet."""
    values = [lookup(block.props, flag) for flag in PUBLIC_ACCESS_FLAGS]
    if any(v is UNKNOWN for v in values):
        return None
    return [flag for flag, value in zip(PUBLIC_ACCESS_FLAGS, values, strict=True) if not truthy(value)]


def validate_public_access_block(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Every bucket has a public access block with all four flags on, and so has every block of the stack.

    A block that names a bucket made elsewhere (another stack, the console) is judged by itself:
    its flags are the only thing this stack decides about that bucket.
    """
    buckets = of_types(args.resources, tokens.BUCKETS)
    blocks = of_types(args.resources, (tokens.BUCKET_PUBLIC_ACCESS_BLOCK,))
    links = link(buckets, ("bucket", "id"), blocks, "bucket")
    for bucket in buckets:
        found = [_missing_flags(block) for block in links.of(bucket)]
        if any(missing is None or not missing for missing in found):
            continue
        if links.unresolved and not found:
            continue
        problem = (
            f"has a public access block that leaves {', '.join(found[0] or [])} off."
            if found
            else "has no public access block."
        )
        report_violation(
            message(
                bucket.name,
                bucket.resource_type,
                problem,
                "add an aws.s3.BucketPublicAccessBlock with bucket=<this bucket>.id and blockPublicAcls,"
                " blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
            ),
            bucket.urn,
        )
    linked = links.targets_of(buckets)
    waiting = {block.urn for block in links.unresolved}
    for block in blocks:
        missing = None if block.urn in linked or block.urn in waiting else _missing_flags(block)
        if missing:
            target = lookup(block.props, "bucket")
            report_violation(
                message(
                    block.name,
                    block.resource_type,
                    f"blocks public access to bucket {target!r}, made outside this stack, but leaves"
                    f" {', '.join(missing)} off.",
                    "set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all"
                    " true.",
                ),
                block.urn,
            )


s3_public_access_block = StackValidationPolicy(
    name="envstack-s3-public-access-block",
    **compliance.of("envstack-s3-public-access-block"),
    description="S3 buckets have a public access block with all four flags on; so does every block.",
    validate=validate_public_access_block,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Add a BucketPublicAccessBlock for the bucket with all four flags set to true.",
)


def _secure_transport_false(condition: Any) -> bool:
    values = as_list(lookup(condition, "Bool", "aws:SecureTransport"))
    return any(v is False or (isinstance(v, str) and v.lower() == "false") for v in values)


def denies_insecure_transport(document: Any, action: str = "s3:*") -> bool:
    """Whether a resource policy denies ``action`` to everyone when the request is not over TLS.

    ``action`` is what the Deny must reach: ``s3:*`` or ``sqs:*`` (every action
    of the service, so only ``*`` or a pattern as wide reaches it), or one
    action such as ``sns:Publish``. IAM compares actions ignoring case and
    expands ``*`` and ``?``, so ``SQS:*`` counts as ``sqs:*`` (``action_patterns``).
    """
    for statement in statements(document):
        principal = lookup(statement, "Principal")
        everyone = principal == "*" or "*" in as_list(lookup(principal, "AWS"))
        if (
            lookup(statement, "Effect") == "Deny"
            and everyone
            and covers(lookup(statement, "Action"), action)
            and _secure_transport_false(lookup(statement, "Condition"))
        ):
            return True
    return False


def validate_tls_only(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Every bucket has a policy (inline or a BucketPolicy) that denies requests made without TLS."""
    buckets = of_types(args.resources, tokens.BUCKETS)
    links = link(buckets, ("bucket", "id"), of_types(args.resources, (tokens.BUCKET_POLICY,)), "bucket")
    for bucket in buckets:
        policy = output(bucket, "policy")
        documents = [judged(bucket, report_violation, _RES, "policy", policy, urn=bucket.urn)]
        documents += [
            judged(p, report_violation, _RES, "policy", lookup(p.props, "policy"), urn=p.urn)
            for p in links.of(bucket)
        ]
        if any(d is UNKNOWN or (d is not None and denies_insecure_transport(d)) for d in documents):
            continue
        if links.unresolved:
            continue
        report_violation(
            message(
                bucket.name,
                bucket.resource_type,
                "has no bucket policy that denies requests made without TLS.",
                "add an aws.s3.BucketPolicy with a statement Effect=Deny, Principal='*', Action='s3:*' on"
                " the bucket and its objects, Condition Bool aws:SecureTransport='false'.",
            ),
            bucket.urn,
        )


s3_tls_only = StackValidationPolicy(
    name="envstack-s3-tls-only",
    **compliance.of("envstack-s3-tls-only"),
    description="S3 bucket policies deny requests that do not use TLS.",
    validate=validate_tls_only,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="Attach a bucket policy denying s3:* when aws:SecureTransport is false.",
)

POLICIES: list[Policy] = [iam_no_wildcards, s3_public_access_block, s3_tls_only]
