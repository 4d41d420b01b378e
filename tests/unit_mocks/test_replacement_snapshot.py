"""Snapshot of every child's type, name and replacement-causing inputs, per environment.

An upgrade that renames a logical resource, re-parents it or changes an input
that AWS can only apply by replacing the resource would destroy data (the
bucket, the table, the queues). This test makes such a change show up as a
diff in review. After an intended change, regenerate with
``ENVSTACK_UPDATE_SNAPSHOTS=1 make test-python`` (or ``make snapshots``) and
commit the reviewed JSON.
"""

import json
import os
from pathlib import Path
from typing import Any

import pytest

from envstack_provider.component import TYPE_TOKEN
from envstack_testkit.recording import Recording

SNAPSHOTS = Path(__file__).parent / "snapshots"

REPLACE_ON_CHANGE: dict[str, tuple[str, ...]] = {
    TYPE_TOKEN: (),
    "aws:s3/bucket:Bucket": ("bucket", "objectLockEnabled"),
    "aws:s3/bucketVersioning:BucketVersioning": ("bucket",),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": ("bucket",),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ("bucket",),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ("bucket",),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ("bucket",),
    "aws:s3/bucketPolicy:BucketPolicy": ("bucket",),
    "aws:dynamodb/table:Table": ("name", "hashKey", "rangeKey"),
    "aws:sqs/queue:Queue": ("name", "fifoQueue"),
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": ("queueUrl",),
    "aws:sqs/queuePolicy:QueuePolicy": ("queueUrl",),
    "aws:sns/topic:Topic": ("name", "fifoTopic"),
    "aws:sns/topicPolicy:TopicPolicy": ("arn",),
    "aws:sns/topicSubscription:TopicSubscription": ("topic", "protocol", "endpoint"),
    "aws:iam/role:Role": ("name", "path"),
    "aws:iam/rolePolicy:RolePolicy": ("name", "role"),
    "aws:cloudwatch/logGroup:LogGroup": ("name",),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("name",),
    "aws:lambda/function:Function": ("name", "packageType"),
    "aws:lambda/eventSourceMapping:EventSourceMapping": ("eventSourceArn",),
}
"""Inputs that make AWS (through pulumi-aws) replace the resource when they change."""


def snapshot(recording: Recording) -> list[dict[str, Any]]:
    """The stable, reviewable shape of a recorded stack."""
    names = {r.urn: r.name for r in recording.registrations}
    rows = [
        {
            "type": r.type,
            "name": r.name,
            "parent": names.get(r.parent, ""),
            "replaceOnChange": {k: r.inputs[k] for k in REPLACE_ON_CHANGE[r.type] if k in r.inputs},
        }
        for r in recording.registrations
    ]
    return sorted(rows, key=lambda row: (row["type"], row["name"]))


def test_children_match_the_reviewed_snapshot(recording: Recording, environment: str) -> None:
    path = SNAPSHOTS / f"{environment}.json"
    current = snapshot(recording)
    if os.environ.get("ENVSTACK_UPDATE_SNAPSHOTS") == "1":
        path.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if not path.exists():
        pytest.fail(f"no snapshot at {path}; run `make snapshots` and review it")
    assert current == json.loads(path.read_text(encoding="utf-8"))


def test_every_child_type_declares_its_replacement_inputs(recording: Recording) -> None:
    assert {r.type for r in recording.registrations} <= set(REPLACE_ON_CHANGE)
