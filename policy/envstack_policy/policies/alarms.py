"""CloudWatch alarms: a dead-letter queue that catches a function's failures is watched by someone.

A queue that feeds a Lambda function moves what keeps failing to its
dead-letter queue (``dead_letter.py`` checks that it has one). Without an
alarm on that queue, the failed messages wait there unseen until they
expire. AWS's serverless guidance asks for an alarm on the DLQ's
``ApproximateNumberOfMessagesVisible``; no Checkov check or cdk-nag
AwsSolutions rule asks for one, so this policy has no counterpart there.
It is advisory: an alarm may live in another stack the pack cannot see.
"""

from collections.abc import Iterable, Mapping, Sequence

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyResource,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from ..readers import tokens
from ..readers.links import link, of_types
from ..readers.messages import message
from ..readers.values import UNKNOWN, items, json_object, lookup, output

SQS_NAMESPACE = "AWS/SQS"


def _dependencies(resource: PolicyResource, key: str) -> list[str]:
    """The URNs of the resources the engine says input ``key`` was built from."""
    dependencies: Mapping[str, Sequence[PolicyResource]] = resource.property_dependencies or {}
    return [d.urn for d in dependencies.get(key, ())]


def _dead_letter_queues(
    configs: Iterable[tuple[PolicyResource, object]],
    by_arn: Mapping[str, PolicyResource],
    by_urn: Mapping[str, PolicyResource],
) -> list[PolicyResource] | None:
    """The stack's queues named as DLQ by these redrive policies; ``None`` when one cannot be told yet.

    A redrive policy built from the DLQ's ARN is unknown in a preview; the
    engine then names the DLQ in the policy's ``propertyDependencies``, which
    is enough to know which queue it is. A DLQ outside the stack cannot be
    judged here, so it counts as unknown too.
    """
    found: list[PolicyResource] = []
    for owner, document in configs:
        parsed = json_object(document)
        if parsed is UNKNOWN:
            named = [by_urn[urn] for urn in _dependencies(owner, "redrivePolicy") if urn in by_urn]
            if not named:
                return None
            found.extend(named)
            continue
        target = lookup(parsed, "deadLetterTargetArn")
        if target is UNKNOWN or (isinstance(target, str) and target and target not in by_arn):
            return None
        if isinstance(target, str) and target:
            found.append(by_arn[target])
    return found


def _watched_queue_names(alarms: Sequence[PolicyResource]) -> tuple[set[str], set[str], bool]:
    """The queue names (and URNs, for names not known yet) that SQS-metric alarms watch.

    The third value is whether some alarm's queue cannot be told at all: then
    no DLQ is reported, as that alarm may be the one that watches it.
    """
    names: set[str] = set()
    urns: set[str] = set()
    undecided = False
    for alarm in alarms:
        metrics = [alarm.props] + [lookup(q, "metric") for q in items(lookup(alarm.props, "metricQueries"))]
        for metric in metrics:
            if not isinstance(metric, Mapping) or lookup(metric, "namespace") not in (SQS_NAMESPACE, UNKNOWN):
                continue
            queue = lookup(metric, "dimensions", "QueueName")
            if isinstance(queue, str):
                names.add(queue)
            elif queue is UNKNOWN or lookup(metric, "dimensions") is UNKNOWN:
                dependencies = _dependencies(alarm, "dimensions") + _dependencies(alarm, "metricQueries")
                urns.update(dependencies)
                undecided = undecided or not dependencies
    return names, urns, undecided


def validate_dlq_alarm(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Each dead-letter queue of a queue that feeds a function has an alarm on its messages."""
    queues = of_types(args.resources, (tokens.QUEUE,))
    by_arn = {str(lookup(q.props, "arn")): q for q in queues if isinstance(lookup(q.props, "arn"), str)}
    by_urn = {q.urn: q for q in queues}
    mappings = link(
        queues, ("arn",), of_types(args.resources, (tokens.EVENT_SOURCE_MAPPING,)), "eventSourceArn"
    )
    redrives = link(
        queues, ("url", "id"), of_types(args.resources, (tokens.QUEUE_REDRIVE_POLICY,)), "queueUrl"
    )
    names, urns, undecided = _watched_queue_names(of_types(args.resources, (tokens.METRIC_ALARM,)))
    if undecided or redrives.unresolved:
        return
    for queue in queues:
        feeds = mappings.of(queue)
        if not feeds:
            continue
        mapping = feeds[0]
        configs: list[tuple[PolicyResource, object]] = [(queue, output(queue, "redrivePolicy"))]
        configs += [(r, lookup(r.props, "redrivePolicy")) for r in redrives.of(queue)]
        dead_letter_queues = _dead_letter_queues(configs, by_arn, by_urn)
        for dlq in dead_letter_queues or []:
            if dlq.urn in urns or lookup(dlq.props, "name") in names:
                continue
            function = lookup(mapping.props, "functionName")
            fed = f"function '{function}'" if isinstance(function, str) else "a function"
            report_violation(
                message(
                    dlq.name,
                    dlq.resource_type,
                    f"is the dead-letter queue of '{queue.name}', which feeds {fed}, but no CloudWatch"
                    " alarm watches it, so messages that failed every retry wait there unseen.",
                    "create an aws.cloudwatch.MetricAlarm on AWS/SQS ApproximateNumberOfMessagesVisible with"
                    " dimensions {QueueName: <its name>}, threshold 1 and alarmActions naming an SNS topic"
                    " (EnvironmentStack does this unless alarmsEnabled is false).",
                ),
                dlq.urn,
            )


sqs_dlq_alarm = StackValidationPolicy(
    name="envstack-sqs-dlq-alarm",
    description="The dead-letter queue of a queue that feeds a Lambda function has a CloudWatch alarm.",
    validate=validate_dlq_alarm,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "Create an aws.cloudwatch.MetricAlarm on the DLQ's AWS/SQS ApproximateNumberOfMessagesVisible"
        " that notifies an SNS topic."
    ),
)

POLICIES: list[Policy] = [sqs_dlq_alarm]
