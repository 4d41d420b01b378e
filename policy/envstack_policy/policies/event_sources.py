"""A queue's visibility timeout against the function it feeds, as AWS itself enforces it.

Lambda's CreateEventSourceMapping rejects an SQS queue whose visibility
timeout is shorter than the function's timeout ("Queue visibility timeout: 30
seconds is less than Function timeout: 60 seconds"), because a message would
become visible again, and be processed twice, while the first invocation
still runs. AWS's guide (Lambda, "Using Lambda with Amazon SQS") recommends
six times the function timeout. The original description's stack sets a
300-second function; left at SQS's default of 30 seconds its queue fails at
``pulumi up``. This policy reports it at preview instead.
"""

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
from ..readers.links import link, of_types
from ..readers.messages import message
from ..readers.values import UNKNOWN, output

QUEUE_DEFAULT_VISIBILITY = 30
"""SQS's default visibility timeout, in seconds."""
FUNCTION_DEFAULT_TIMEOUT = 3
"""Lambda's default function timeout, in seconds."""


def _seconds(resource: PolicyResource, key: str, default: int) -> int | None:
    value = output(resource, key)
    if value is UNKNOWN:
        return None
    return default if value is None else int(value)


def validate_visibility_timeout(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Each queue is invisible for at least as long as the function it feeds may run."""
    queues = of_types(args.resources, (tokens.QUEUE,))
    functions = of_types(args.resources, (tokens.FUNCTION,))
    mappings = of_types(args.resources, (tokens.EVENT_SOURCE_MAPPING,))
    queue_of = link(queues, ("arn",), mappings, "eventSourceArn").targets_of(queues)
    function_of = link(functions, ("name", "arn"), mappings, "functionName").targets_of(functions)
    for mapping in mappings:
        for queue in queue_of.get(mapping.urn, []):
            for function in function_of.get(mapping.urn, []):
                visibility = _seconds(queue, "visibilityTimeoutSeconds", QUEUE_DEFAULT_VISIBILITY)
                timeout = _seconds(function, "timeout", FUNCTION_DEFAULT_TIMEOUT)
                if visibility is None or timeout is None or visibility >= timeout:
                    continue
                report_violation(
                    message(
                        queue.name,
                        queue.resource_type,
                        f"has a visibility timeout of {visibility} s, shorter than the {timeout} s timeout of"
                        f" the function {function.name} it feeds, so AWS rejects the event source mapping.",
                        f"set visibilityTimeoutSeconds to at least {timeout} (AWS recommends {6 * timeout}).",
                    ),
                    queue.urn,
                )


sqs_visibility_timeout = StackValidationPolicy(
    name="envstack-sqs-visibility-timeout",
    **compliance.of("envstack-sqs-visibility-timeout"),
    description="Queues that feed a Lambda function stay invisible at least as long as its timeout.",
    validate=validate_visibility_timeout,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Set the queue's visibilityTimeoutSeconds to six times the function's timeout.",
)

POLICIES: list[Policy] = [sqs_visibility_timeout]
