"""The real engine deploying onto moto: the stack's AWS config, what moto holds, and the stack read back.

A user points the real pulumi-aws at a local AWS emulator with the
provider's own config (``aws:endpoints`` with one URL per service,
``aws:s3UsePathStyle``), and credentials from the AWS SDK's standard
environment variables. That is all the tests give the engine here too: the
stand-in AWS plugin reads the same config (``aws_standin.provider``), so it
deploys onto moto when, and only when, a stack says so.

Then moto is read back without the engine's help: ``inventory`` lists, per
pulumi-aws type, the ids of what moto holds, in the form pulumi-aws gives
them, so that a test can compare it with the state's resources one for one;
``deployed_stack`` reads the settings the data path needs (queue, mapping,
function) from moto, so a run on an engine-deployed stack uses what the
engine deployed, not a recording.
"""

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml
from botocore.exceptions import ClientError

from . import engine
from .aws_standin.resources import DEFAULT_TOPIC_POLICY_ID
from .moto_server import FAKE_CREDENTIALS, MotoEndpoint
from .moto_stack import MotoStack, QueueSettings

PROVIDER_ENDPOINT_KEYS = (
    "s3",
    "dynamodb",
    "sqs",
    "sns",
    "iam",
    "lambda",
    "cloudwatchlogs",
    "cloudwatch",
    "sts",
)
"""The ``aws:endpoints`` keys of every service the component's resources (and the credentials check) use."""


def provider_config(endpoint: MotoEndpoint) -> dict[str, Any]:
    """pulumi-aws's config for an emulator at ``endpoint``, as a LocalStack or moto user writes it."""
    return {
        "aws:endpoints": [dict.fromkeys(PROVIDER_ENDPOINT_KEYS, endpoint.url)],
        "aws:s3UsePathStyle": True,
        "aws:skipMetadataApiCheck": True,
    }


def point_at_moto(workspace: engine.Workspace, stack: str, endpoint: MotoEndpoint) -> None:
    """Add ``provider_config`` to the copy's ``Pulumi.<stack>.yaml`` (never the checked-in file)."""
    stack_file = workspace.program / f"Pulumi.{stack}.yaml"
    document = yaml.safe_load(stack_file.read_text())
    document.setdefault("config", {}).update(provider_config(endpoint))
    stack_file.write_text(yaml.safe_dump(document, sort_keys=False))


def credentials() -> dict[str, str]:
    """The AWS SDK's standard credential variables, moto's fake keys; the plugins inherit them."""
    return {
        "AWS_ACCESS_KEY_ID": FAKE_CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": FAKE_CREDENTIALS["aws_secret_access_key"],
    }


def in_region(endpoint: MotoEndpoint, region: str) -> MotoEndpoint:
    """The same server, with clients of another region (moto keeps each region's resources apart)."""
    return MotoEndpoint(url=endpoint.url, region=region)


def stack_region(workspace: engine.Workspace, stack: str) -> str:
    """The ``aws:region`` of the copy's stack file."""
    document = yaml.safe_load((workspace.program / f"Pulumi.{stack}.yaml").read_text())
    return str(document["config"]["aws:region"])


def write_outputs_file(workspace: engine.Workspace) -> Path:
    """``pulumi stack output --json > cfn-outputs/flat-outputs.json``, where the original suite reads it."""
    outputs_file = workspace.program / "cfn-outputs" / "flat-outputs.json"
    outputs_file.parent.mkdir(exist_ok=True)
    outputs_file.write_text(workspace.run("stack", "output", "--json").check().stdout)
    return outputs_file


def _absent(call: Callable[[str], Any], bucket: str, code: str) -> bool:
    try:
        call(bucket)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == code:
            return True
        raise
    return False


def _bucket_settings(s3: Any, buckets: list[str]) -> dict[str, set[str]]:
    """Per bucket resource type, the buckets that have that setting (pulumi-aws's id: the bucket's name)."""
    checks: Mapping[str, tuple[Callable[[str], Any], str]] = {
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
            lambda b: s3.get_bucket_encryption(Bucket=b),
            "ServerSideEncryptionConfigurationNotFoundError",
        ),
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (
            lambda b: s3.get_bucket_lifecycle_configuration(Bucket=b),
            "NoSuchLifecycleConfiguration",
        ),
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (
            lambda b: s3.get_public_access_block(Bucket=b),
            "NoSuchPublicAccessBlockConfiguration",
        ),
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (
            lambda b: s3.get_bucket_ownership_controls(Bucket=b),
            "OwnershipControlsNotFoundError",
        ),
        "aws:s3/bucketPolicy:BucketPolicy": (lambda b: s3.get_bucket_policy(Bucket=b), "NoSuchBucketPolicy"),
    }
    found = {
        token: {b for b in buckets if not _absent(get, b, code)} for token, (get, code) in checks.items()
    }
    # Versioning can only be suspended, never removed: pulumi-aws's delete suspends it.
    found["aws:s3/bucketVersioning:BucketVersioning"] = {
        b for b in buckets if s3.get_bucket_versioning(Bucket=b).get("Status") == "Enabled"
    }
    return found


def inventory(endpoint: MotoEndpoint, *, ignore_buckets: frozenset[str] = frozenset()) -> dict[str, set[str]]:
    """Everything moto holds in the endpoint's region, by pulumi-aws type token, as pulumi-aws ids.

    ``ignore_buckets`` leaves out buckets that are not the stack's (the
    state backend's). Types with nothing on moto map to an empty set, so a
    test can ask for the total.
    """
    s3, sqs, sns = endpoint.client("s3"), endpoint.client("sqs"), endpoint.client("sns")
    iam, logs, lam = endpoint.client("iam"), endpoint.client("logs"), endpoint.client("lambda")
    buckets = sorted(
        b["Name"] for b in s3.list_buckets().get("Buckets", []) if b["Name"] not in ignore_buckets
    )
    queues = sorted(sqs.list_queues().get("QueueUrls", []))
    roles = sorted(r["RoleName"] for r in iam.list_roles().get("Roles", []))
    topics = sorted(t["TopicArn"] for t in sns.list_topics().get("Topics", []))
    held: dict[str, set[str]] = {
        "aws:s3/bucket:Bucket": set(buckets),
        **_bucket_settings(s3, buckets),
        "aws:dynamodb/table:Table": set(endpoint.client("dynamodb").list_tables().get("TableNames", [])),
        "aws:sqs/queue:Queue": set(queues),
        "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": {
            q
            for q in queues
            if sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["All"])["Attributes"].get(
                "RedriveAllowPolicy"
            )
        },
        "aws:sqs/queuePolicy:QueuePolicy": {
            q
            for q in queues
            if sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["Policy"])
            .get("Attributes", {})
            .get("Policy")
        },
        "aws:sns/topic:Topic": set(topics),
        # A topic always has a policy; SNS's own default (moto's, or the one a TopicPolicy's delete
        # puts back) carries the default Id, and any other policy is a TopicPolicy's.
        "aws:sns/topicPolicy:TopicPolicy": {
            t
            for t in topics
            if json.loads(sns.get_topic_attributes(TopicArn=t)["Attributes"]["Policy"]).get("Id")
            != DEFAULT_TOPIC_POLICY_ID
        },
        "aws:sns/topicSubscription:TopicSubscription": {
            s["SubscriptionArn"] for s in sns.list_subscriptions().get("Subscriptions", [])
        },
        "aws:iam/role:Role": set(roles),
        "aws:iam/rolePolicy:RolePolicy": {
            f"{role}:{name}"
            for role in roles
            for name in iam.list_role_policies(RoleName=role)["PolicyNames"]
        },
        "aws:cloudwatch/logGroup:LogGroup": {
            g["logGroupName"] for g in logs.describe_log_groups().get("logGroups", [])
        },
        "aws:lambda/function:Function": {
            f["FunctionName"] for f in lam.list_functions().get("Functions", [])
        },
        "aws:lambda/eventSourceMapping:EventSourceMapping": {
            m["UUID"] for m in lam.list_event_source_mappings().get("EventSourceMappings", [])
        },
        "aws:cloudwatch/metricAlarm:MetricAlarm": {
            a["AlarmName"] for a in endpoint.client("cloudwatch").describe_alarms().get("MetricAlarms", [])
        },
    }
    return held


def count(held: Mapping[str, set[str]]) -> int:
    """How many resources an inventory (or a state's ids) holds in all."""
    return sum(len(ids) for ids in held.values())


def state_ids(state: Mapping[str, Any]) -> dict[str, set[str]]:
    """The state's AWS resources by type token, as their ids (the engine's side of ``inventory``)."""
    ids: dict[str, set[str]] = {}
    for resource in engine.resources(state):
        token = str(resource["type"])
        if token.startswith("aws:") and not token.startswith("pulumi:providers:") and resource.get("id"):
            ids.setdefault(token, set()).add(str(resource["id"]))
    return ids


def deployed_stack(endpoint: MotoEndpoint, outputs: Mapping[str, str]) -> MotoStack:
    """The stack the engine deployed, its data-path settings read from moto, never from a recording."""
    sqs, lam = endpoint.client("sqs"), endpoint.client("lambda")
    attributes = sqs.get_queue_attributes(QueueUrl=outputs["queue_url"], AttributeNames=["All"])["Attributes"]
    function = lam.get_function(FunctionName=outputs["function_name"])["Configuration"]
    [mapping] = [
        m
        # Unfiltered: moto's FunctionName filter matches only the spelling the mapping was created with.
        for m in lam.list_event_source_mappings()["EventSourceMappings"]
        if m["EventSourceArn"] == outputs["queue_arn"] and m["FunctionArn"] == outputs["function_arn"]
    ]
    visibility = int(attributes["VisibilityTimeout"])
    return MotoStack(
        outputs=dict(outputs),
        queue=QueueSettings(
            max_receive_count=int(json.loads(attributes["RedrivePolicy"])["maxReceiveCount"]),
            message_retention_seconds=int(attributes["MessageRetentionPeriod"]),
            visibility_timeout_seconds=visibility,
            component_visibility_timeout_seconds=visibility,
            batch_size=int(mapping["BatchSize"]),
            report_batch_item_failures="ReportBatchItemFailures" in mapping.get("FunctionResponseTypes", []),
            function_timeout_seconds=int(function["Timeout"]),
        ),
        function_environment=dict(function.get("Environment", {}).get("Variables", {})),
    )
