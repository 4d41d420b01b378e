"""SQS dead-letter queues: a queue that feeds a Lambda function has somewhere to put what keeps failing."""

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyResource,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from .. import compliance
from ..readers import tokens
from ..readers.links import Links, link, of_types
from ..readers.messages import message
from ..readers.values import UNKNOWN, json_object, lookup, output


def _has_redrive(queue: PolicyResource, redrive_links: Links) -> bool | None:
    """Whether the queue names a DLQ, inline or by an ``sqs.RedrivePolicy``; ``None`` if not known yet."""
    documents = [output(queue, "redrivePolicy")]
    documents += [lookup(r.props, "redrivePolicy") for r in redrive_links.of(queue)]
    for document in documents:
        if document is UNKNOWN:
            return None
        target = lookup(json_object(document), "deadLetterTargetArn")
        if target is UNKNOWN or (isinstance(target, str) and target):
            return True
    return False


def validate_sqs_dlq(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Each queue that triggers a Lambda function has a dead-letter queue."""
    queues = of_types(args.resources, (tokens.QUEUE,))
    mappings = link(
        queues, ("arn",), of_types(args.resources, (tokens.EVENT_SOURCE_MAPPING,)), "eventSourceArn"
    )
    redrives = link(
        queues, ("url", "id"), of_types(args.resources, (tokens.QUEUE_REDRIVE_POLICY,)), "queueUrl"
    )
    for queue in queues:
        feeds = mappings.of(queue)
        if not feeds or _has_redrive(queue, redrives) is not False or redrives.unresolved:
            continue
        target = lookup(feeds[0].props, "functionName")
        function = f" function '{target}'" if isinstance(target, str) else " a function"
        report_violation(
            message(
                queue.name,
                queue.resource_type,
                f"feeds{function} through an event source mapping but has no dead-letter queue,"
                " so a message that keeps failing is retried until it expires.",
                "create a second aws.sqs.Queue and set redrivePolicy to"
                ' {"deadLetterTargetArn": <its arn>, "maxReceiveCount": 3}.',
            ),
            queue.urn,
        )


sqs_lambda_dlq = StackValidationPolicy(
    name="envstack-sqs-lambda-dlq",
    **compliance.of("envstack-sqs-lambda-dlq"),
    description="SQS queues that feed a Lambda function have a dead-letter queue.",
    validate=validate_sqs_dlq,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="Give the queue a redrivePolicy whose deadLetterTargetArn is another queue.",
)

POLICIES: list[Policy] = [sqs_lambda_dlq]
