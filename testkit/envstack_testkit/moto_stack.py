"""Create the component's recorded resources on moto, with the component's own settings.

The data-path tests must run against the queue, DLQ, bucket, table and topic
the component really declares, not against a second hand-written copy of its
settings. So this module takes a ``Recording`` (the component run under
Pulumi's mocks) and turns each recorded registration's inputs into the boto3
calls a deployment would make. A test that wants a deliberately wrong stack
changes the recorded inputs first (``recording.replace_inputs``), which keeps
the deviation next to the test that needs it.

Two things differ from a real deployment, on purpose and visibly:

* ``visibility_timeout_seconds`` may shorten the queue's visibility timeout,
  for a test that wants redelivery it can watch (the data path's runs keep the
  component's own and shorten only the wait after a failure: see
  ``event_source_mapping.py``); retention and ``maxReceiveCount`` always come
  from the recording;
* moto keeps the event source mapping but does not run it (it would run the
  function in Docker on every send: see ``moto_server``);
  ``event_source_mapping.py`` plays its part, with the recorded batch size and
  response types.

The AWS calls themselves are not written here: each recorded registration
goes through ``aws_standin.resources``, the translation the moto-backed
stand-in plugin makes under the real engine, so both ways of building a stack
on moto make the same calls.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from .aws_standin.resources import (
    ARCHIVE_SIGNATURE,
    ASSET_SIGNATURE,
    SERVICE_ENDPOINT_KEYS,
    SIGNATURE_KEY,
    Aws,
    resource_type,
)
from .moto_server import MotoEndpoint
from .recording import Recording, Registration

QUEUE = "aws:sqs/queue:Queue"
ESM = "aws:lambda/eventSourceMapping:EventSourceMapping"


@dataclass(frozen=True)
class QueueSettings:
    """The source queue's delivery settings that the data path depends on."""

    max_receive_count: int
    message_retention_seconds: int
    visibility_timeout_seconds: int
    """The visibility timeout the queue on moto actually got."""
    component_visibility_timeout_seconds: int
    """The visibility timeout the component declares (6x the function timeout)."""
    batch_size: int
    report_batch_item_failures: bool
    function_timeout_seconds: int
    """The function's timeout, which the stand-in mapping enforces as Lambda does."""


@dataclass(frozen=True)
class MotoStack:
    """One environment's stack as created on moto."""

    outputs: Mapping[str, str]
    """The component's outputs by name, with moto's real names, URLs and ARNs."""
    queue: QueueSettings
    function_environment: Mapping[str, str]
    """The function's environment variables, pointing at the resources on moto."""


def source_queue(recording: Recording) -> Registration:
    """The queue that has a redrive policy, as opposed to the DLQ."""
    return next(q for q in recording.of_type(QUEUE) if "redrivePolicy" in q.inputs)


def dead_letter_queue(recording: Recording) -> Registration:
    """The queue without a redrive policy: the DLQ."""
    return next(q for q in recording.of_type(QUEUE) if "redrivePolicy" not in q.inputs)


def queue_settings(recording: Recording, visibility_timeout_seconds: int | None = None) -> QueueSettings:
    """Read the delivery settings from the recorded queue and event source mapping."""
    queue = source_queue(recording).inputs
    esm = recording.one(ESM).inputs
    declared = int(queue["visibilityTimeoutSeconds"])
    return QueueSettings(
        max_receive_count=int(json.loads(queue["redrivePolicy"])["maxReceiveCount"]),
        message_retention_seconds=int(queue["messageRetentionSeconds"]),
        visibility_timeout_seconds=visibility_timeout_seconds or declared,
        component_visibility_timeout_seconds=declared,
        batch_size=int(esm["batchSize"]),
        report_batch_item_failures="ReportBatchItemFailures" in esm.get("functionResponseTypes", []),
        function_timeout_seconds=int(recording.one("aws:lambda/function:Function").inputs["timeout"]),
    )


FUNCTION_TYPES = frozenset(
    {
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:lambda/function:Function",
        ESM,
    }
)
"""What ``deploy(with_function=False)`` leaves out: the function and everything only it uses."""
FUNCTION_OUTPUTS = frozenset({"function_name", "function_arn", "role_arn"})


def moto_aws(endpoint: MotoEndpoint) -> Aws:
    """The translation's clients, every service sent to this moto server."""
    return Aws(
        session=endpoint.session(),
        region=endpoint.region,
        endpoints=dict.fromkeys(SERVICE_ENDPOINT_KEYS, endpoint.url),
    )


def _wire(value: Any) -> Any:
    """A recorded input as the engine sends it to a provider: archives and assets in their wire form."""
    if isinstance(value, pulumi.AssetArchive):
        return {SIGNATURE_KEY: ARCHIVE_SIGNATURE, "assets": {k: _wire(v) for k, v in value.assets.items()}}
    if isinstance(value, pulumi.FileAsset):
        return {SIGNATURE_KEY: ASSET_SIGNATURE, "path": value.path}
    if isinstance(value, pulumi.StringAsset):
        return {SIGNATURE_KEY: ASSET_SIGNATURE, "text": value.text}
    if isinstance(value, Mapping):
        return {k: _wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wire(v) for v in value]
    return value


def _substitute(value: Any, substitutions: Mapping[str, str]) -> Any:
    """``value`` with every mock-made id, ARN or URL replaced by the one moto gave (also inside JSON text)."""
    if isinstance(value, str):
        for mock, real in substitutions.items():
            value = value.replace(mock, real)
        return value
    if isinstance(value, Mapping):
        return {k: _substitute(v, substitutions) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, substitutions) for v in value]
    return value


def _learn(substitutions: dict[str, str], mock_state: Mapping[str, Any], outputs: Mapping[str, Any]) -> None:
    for key, mock in mock_state.items():
        real = outputs.get(key)
        if isinstance(mock, str) and isinstance(real, str) and mock and mock != real:
            substitutions[mock] = real
    # Longest first, so that a URL is never half-replaced by a shorter one it starts with.
    ordered = sorted(substitutions.items(), key=lambda item: -len(item[0]))
    substitutions.clear()
    substitutions.update(ordered)


def deploy(
    endpoint: MotoEndpoint,
    recording: Recording,
    *,
    visibility_timeout_seconds: int | None = None,
    with_function: bool = True,
) -> MotoStack:
    """Create the recorded stack on moto with the stand-in plugin's translation; return outputs and settings.

    Each recorded resource, in the order the component registered it (which
    puts every resource after those it takes values from), goes through
    ``aws_standin.resources``: the same calls the moto-backed plugin makes
    under the engine. The mocks made up ids, ARNs and URLs; each is replaced
    in later inputs by the value moto answered.
    """
    aws = moto_aws(endpoint)
    queue_urn = source_queue(recording).urn
    substitutions: dict[str, str] = {}
    for registration in recording.custom():
        if not with_function and registration.type in FUNCTION_TYPES:
            continue
        inputs = _substitute(_wire(dict(registration.inputs)), substitutions)
        if registration.urn == queue_urn and visibility_timeout_seconds:
            inputs["visibilityTimeoutSeconds"] = visibility_timeout_seconds
        kind = resource_type(registration.type)
        observed = kind.observe(aws, kind.create(aws, inputs), inputs) or {}
        _learn(substitutions, registration.state, observed)
    outputs = {k: str(v) for k, v in _substitute(dict(recording.outputs), substitutions).items()}
    if not with_function:
        outputs = {k: v for k, v in outputs.items() if k not in FUNCTION_OUTPUTS}
    recorded_environment = recording.one("aws:lambda/function:Function").inputs["environment"]["variables"]
    return MotoStack(
        outputs=outputs,
        queue=queue_settings(recording, visibility_timeout_seconds),
        function_environment={
            k: str(v) for k, v in _substitute(dict(recorded_environment), substitutions).items()
        },
    )


def subscribe_probe_queue(endpoint: MotoEndpoint, topic_arn: str, name: str) -> str:
    """An SQS queue subscribed to the topic with raw delivery, to count announcements.

    It belongs to the tests, not the stack: it is how a test observes what
    the topic published.
    """
    sqs = endpoint.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    endpoint.client("sns").subscribe(
        TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"}
    )
    return url
