"""TLS-only queues and topics: each SQS queue's and SNS topic's policy refuses requests made without TLS.

The same rule as ``envstack-s3-tls-only`` (``access``), for the other two
services of the stack that take requests from outside it. A queue's policy
is its own ``policy`` input or an ``sqs.QueuePolicy`` naming its URL; a
topic's is its ``policy`` input or an ``sns.TopicPolicy`` naming its ARN.
Either must deny, to any principal when ``aws:SecureTransport`` is false,
every SQS action (``sqs:*`` or ``*``) for a queue, and publishing
(``sns:Publish``, or a wildcard that reaches it) for a topic: what cdk-nag's
SQS4 and SNS3 ask for. A topic policy names SNS's actions one by one (AWS
lists no wildcard among a topic policy's valid actions), so publishing is the
action that carries data in that the rule can hold every topic to. A
Deny-only policy takes no access away from the stack itself, whose access
comes from IAM.
"""

from dataclasses import dataclass

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from .. import compliance
from ..readers import tokens
from ..readers.documents import Kind, judged
from ..readers.links import link, of_types
from ..readers.messages import message
from ..readers.values import UNKNOWN, lookup, output
from .access import denies_insecure_transport


@dataclass(frozen=True)
class _Guarded:
    """One kind of resource that takes a TLS-only policy, and the resource that may carry it."""

    target: str
    policy_type: str
    keys: tuple[str, ...]
    """The target's properties that the policy resource's ``prop`` may name it by."""
    prop: str
    service: str
    action: str
    """What the TLS-only Deny must reach."""
    what: str


_RES = Kind.RESOURCE

_GUARDED = (
    _Guarded(tokens.QUEUE, tokens.QUEUE_POLICY, ("url", "id"), "queueUrl", "sqs", "sqs:*", "queue"),
    _Guarded(tokens.TOPIC, tokens.TOPIC_POLICY, ("arn", "id"), "arn", "sns", "sns:Publish", "topic"),
)


def validate_tls_only_access(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Every queue and topic has a policy (its own or a separate one) denying requests made without TLS."""
    for guarded in _GUARDED:
        targets = of_types(args.resources, (guarded.target,))
        links = link(targets, guarded.keys, of_types(args.resources, (guarded.policy_type,)), guarded.prop)
        for target in targets:
            policy = output(target, "policy")
            documents = [judged(target, report_violation, _RES, "policy", policy, urn=target.urn)]
            documents += [
                judged(p, report_violation, _RES, "policy", lookup(p.props, "policy"), urn=p.urn)
                for p in links.of(target)
            ]
            if any(
                d is UNKNOWN or (d is not None and denies_insecure_transport(d, guarded.action))
                for d in documents
            ):
                continue
            if links.unresolved:
                continue
            kind = guarded.policy_type.rsplit(":", 1)[1]
            report_violation(
                message(
                    target.name,
                    target.resource_type,
                    f"has no {guarded.what} policy that denies requests made without TLS.",
                    f"add an aws.{guarded.service}.{kind} for this {guarded.what} (or set its policy input)"
                    f" with a statement Effect=Deny, Principal='*', Action='{guarded.action}' on the"
                    f" {guarded.what}'s ARN, Condition Bool aws:SecureTransport='false'.",
                ),
                target.urn,
            )


tls_only_access = StackValidationPolicy(
    name="envstack-tls-only-access",
    **compliance.of("envstack-tls-only-access"),
    description="SQS queue and SNS topic policies deny requests that do not use TLS.",
    validate=validate_tls_only_access,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "Attach an aws.sqs.QueuePolicy to each queue and an aws.sns.TopicPolicy to each topic that denies"
        " sqs:* (sns:Publish and the topic's other actions) to Principal '*' when aws:SecureTransport is"
        " false."
    ),
)

POLICIES: list[Policy] = [tls_only_access]
