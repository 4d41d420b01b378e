"""``make demo``: preview the sample program for dev, staging and prod under mocks.

It needs no cloud credentials and no Pulumi CLI: the component and the AWS
SDK run for real against Pulumi's mocks, and the demo prints each
environment's resource tree with the physical names and the settings a
reviewer checks first.
"""

import json
from collections.abc import Callable, Mapping
from typing import Any

from .recording import Recording, Registration, record_environment_stack

SAMPLE_STACKS: Mapping[str, Mapping[str, Any]] = {
    "dev": {"environment": "dev", "environment_suffix": "dev"},
    "staging": {"environment": "staging", "environment_suffix": "staging"},
    "prod": {
        "environment": "prod",
        "environment_suffix": "prod",
        "notification_email": "platform-alerts@example.com",
        "tags": {"CostCenter": "data-platform"},
    },
}
"""The sample program's stack configuration, one entry per environment."""


def _queue(inputs: Mapping[str, Any]) -> str:
    text = f"retention={inputs.get('messageRetentionSeconds')}s sse={inputs.get('sqsManagedSseEnabled')}"
    if "visibilityTimeoutSeconds" in inputs:
        text += f" visibility={inputs['visibilityTimeoutSeconds']}s"
    if "redrivePolicy" in inputs:
        text += f" maxReceiveCount={json.loads(inputs['redrivePolicy'])['maxReceiveCount']}"
    return text


def _lifecycle(inputs: Mapping[str, Any]) -> str:
    rule = inputs["rules"][0]
    return (
        f"noncurrent expire={rule['noncurrentVersionExpiration']['noncurrentDays']}d"
        f" abort multipart={rule['abortIncompleteMultipartUpload']['daysAfterInitiation']}d"
    )


def _encryption(inputs: Mapping[str, Any]) -> str:
    return str(inputs["rules"][0]["applyServerSideEncryptionByDefault"]["sseAlgorithm"])


SETTINGS: Mapping[str, Callable[[Mapping[str, Any]], str]] = {
    "aws:s3/bucket:Bucket": lambda i: f"forceDestroy={i.get('forceDestroy')}",
    "aws:s3/bucketVersioning:BucketVersioning": lambda i: str(i["versioningConfiguration"]["status"]),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": _encryption,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": _lifecycle,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": lambda i: str(i["rule"]["objectOwnership"]),
    "aws:dynamodb/table:Table": lambda i: (
        f"{i.get('billingMode')} pitr={i['pointInTimeRecovery']['enabled']}"
        f" gsi={i['globalSecondaryIndexes'][0]['name']}"
        f" deletionProtection={i.get('deletionProtectionEnabled')}"
    ),
    "aws:sqs/queue:Queue": _queue,
    "aws:sns/topic:Topic": lambda i: f"kms={i.get('kmsMasterKeyId')}",
    "aws:sns/topicSubscription:TopicSubscription": lambda i: f"{i['protocol']} {i['endpoint']}",
    "aws:lambda/function:Function": lambda i: f"{i['runtime']} {i['memorySize']}MB timeout={i['timeout']}s",
    "aws:cloudwatch/logGroup:LogGroup": lambda i: f"retention={i['retentionInDays']}d",
    "aws:lambda/eventSourceMapping:EventSourceMapping": lambda i: (
        f"batch={i['batchSize']} {','.join(i['functionResponseTypes'])}"
    ),
}
"""What to show of each resource type: the settings a reviewer checks first."""


def physical_name(registration: Registration) -> str:
    """The name AWS will know the resource by, where the resource has one."""
    key = "bucket" if registration.type == "aws:s3/bucket:Bucket" else "name"
    return str(registration.inputs.get(key) or "")


def render_tree(recording: Recording) -> list[str]:
    """The resource tree, children indented under their parents."""
    children: dict[str, list[Registration]] = {}
    for registration in recording.registrations:
        children.setdefault(registration.parent, []).append(registration)
    roots = [r for r in recording.registrations if r.type == "envstack:index:EnvironmentStack"]
    lines: list[str] = []

    def visit(node: Registration, depth: int) -> None:
        describe = SETTINGS.get(node.type)
        detail = describe(node.inputs) if describe else ""
        label = f"{'  ' * depth}{node.type.split(':')[-1]:<{44 - 2 * depth}}"
        lines.append(f"{label} {physical_name(node):<38} {detail}".rstrip())
        for child in sorted(children.get(node.urn, []), key=lambda r: (r.type, r.name)):
            visit(child, depth + 1)

    for root in roots:
        visit(root, 0)
    return lines


def main() -> int:
    """Print every environment's resource tree."""
    for environment, args in SAMPLE_STACKS.items():
        recording = record_environment_stack(args, stack=environment)
        print(f"\n== {environment}: {len(recording.custom())} AWS resources in 1 EnvironmentStack ==")
        print("\n".join(render_tree(recording)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
