"""The Pulumi YAML programs the real-engine rows preview, generated from one source each.

- ``raw_environment``: one dev environment's 25 pulumi-aws resources declared
  directly in YAML, named as ``EnvironmentStack`` names its children
  (``<name>-bucket``, ...) and with the inputs it gives them. The JSON
  documents are written by ``bench/raw_stack.py``'s own functions with
  ``${...}`` in place of each ARN, so Pulumi YAML's interpolation yields the
  very text the component sends. ``raw_program(n)`` declares n of these.
- ``component_program(n)``: n ``EnvironmentStack`` s in one program, with the
  same names and suffixes.
- ``bare_program``: ``examples/yaml`` with its component served by the bare
  provider (``bench/floor/component``) instead of envstack's;
  ``on_bare_provider`` does the same to any program.

Each resource pins its plugin's version, as ``examples/yaml`` pins envstack's,
so the engine caches every schema it type-checks against after the warm-up
preview. Nothing here is checked in as YAML: ``python -m bench.engine_programs
raw 50 DIR`` writes a program to read.
"""

import argparse
import importlib.metadata
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from envstack_provider._version import VERSION
from envstack_provider.component import TYPE_TOKEN
from envstack_testkit import engine

from . import raw_stack

PROJECT = "pulumi-infra"
STACK = "dev"
REGION = "us-east-2"
ACCOUNT = "123456789012"
"""The account the stand-in AWS plugin makes every ARN in (``aws_standin.provider.ACCOUNT``)."""
EMAIL = "dev-alerts@example.com"
"""Every program passes it as examples/yaml does, as a secret (``fn::secret``)."""
MEMORY_MB = 512
TAGS = {"Environment": "dev", "ManagedBy": "envstack"}
BARE_PROVIDER = Path(__file__).resolve().parent / "floor" / "component"
BARE_TYPE_TOKEN = "bare:index:EnvironmentStack"
BARE_VERSION = "0.1.0"
"""The version ``bench/floor/component`` serves (its ``VERSION``)."""


def pulumi_aws_version() -> str:
    """The installed pulumi-aws, whose version the stand-in plugin reports: every raw resource pins it."""
    return importlib.metadata.version("pulumi-aws")


def _ref(resource: str, attribute: str | None = None) -> str:
    return f"${{{resource}.{attribute}}}" if attribute else f"${{{resource}}}"


def raw_environment(name: str, suffix: str, aws_version: str) -> dict[str, dict[str, Any]]:
    """One dev environment's resources, keyed by the names ``EnvironmentStack`` gives its children."""
    n = {key: f"{name}-{key}" for key in _CHILDREN}

    def resource(key: str, type_token: str, properties: Mapping[str, Any], **options: Any) -> None:
        resources[n[key]] = {
            "type": type_token,
            "properties": dict(properties),
            "options": {"version": aws_version, **options},
        }

    resources: dict[str, dict[str, Any]] = {}
    bucket = n["bucket"]
    under_bucket = {"parent": _ref(bucket)}
    resource(
        "bucket",
        "aws:s3/bucket:Bucket",
        {"bucket": f"envstack-data-{suffix}", "forceDestroy": True, "tags": TAGS},
    )
    resource(
        "bucket-versioning",
        "aws:s3/bucketVersioning:BucketVersioning",
        {"bucket": _ref(bucket, "id"), "versioningConfiguration": {"status": "Enabled"}},
        **under_bucket,
    )
    resource(
        "bucket-encryption",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        {
            "bucket": _ref(bucket, "id"),
            "rules": [
                {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}, "bucketKeyEnabled": False}
            ],
        },
        **under_bucket,
    )
    resource(
        "bucket-lifecycle",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        {
            "bucket": _ref(bucket, "id"),
            "rules": [
                {
                    "id": "expire-noncurrent-versions",
                    "status": "Enabled",
                    "filter": {"prefix": ""},
                    "noncurrentVersionExpiration": {"noncurrentDays": 30},
                    "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7},
                }
            ],
        },
        **under_bucket,
    )
    resource(
        "bucket-public-access-block",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        {
            "bucket": _ref(bucket, "id"),
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        },
        **under_bucket,
    )
    resource(
        "bucket-ownership",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        {"bucket": _ref(bucket, "id"), "rule": {"objectOwnership": "BucketOwnerEnforced"}},
        **under_bucket,
    )
    resource(
        "bucket-policy",
        "aws:s3/bucketPolicy:BucketPolicy",
        {"bucket": _ref(bucket, "id"), "policy": raw_stack.bucket_policy(_ref(bucket, "arn"))},
        dependsOn=[_ref(n["bucket-public-access-block"])],
        **under_bucket,
    )
    resource(
        "table",
        "aws:dynamodb/table:Table",
        {
            "name": f"envstack-metadata-{suffix}",
            "billingMode": "PAY_PER_REQUEST",
            "hashKey": "id",
            "attributes": [{"name": "id", "type": "S"}, {"name": "timestamp", "type": "N"}],
            "globalSecondaryIndexes": [
                {
                    "name": "timestamp-index",
                    "keySchemas": [{"attributeName": "timestamp", "keyType": "HASH"}],
                    "projectionType": "ALL",
                }
            ],
            "pointInTimeRecovery": {"enabled": True},
            "serverSideEncryption": {"enabled": True},
            "deletionProtectionEnabled": False,
            "tags": TAGS,
        },
    )
    queue_settings = {"messageRetentionSeconds": 1_209_600, "sqsManagedSseEnabled": True}
    resource(
        "dlq",
        "aws:sqs/queue:Queue",
        {"name": f"envstack-ingest-dlq-{suffix}", **queue_settings, "tags": TAGS},
    )
    resource(
        "queue",
        "aws:sqs/queue:Queue",
        {
            "name": f"envstack-ingest-{suffix}",
            **queue_settings,
            "visibilityTimeoutSeconds": 1800,
            "redrivePolicy": raw_stack.redrive_policy(_ref(n["dlq"], "arn")),
            "tags": TAGS,
        },
    )
    resource(
        "dlq-redrive-allow",
        "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
        {
            "queueUrl": _ref(n["dlq"], "url"),
            "redriveAllowPolicy": raw_stack.redrive_allow_policy(_ref(n["queue"], "arn")),
        },
        parent=_ref(n["dlq"]),
    )
    for kind in ("dlq", "queue"):
        resource(
            f"{kind}-policy",
            "aws:sqs/queuePolicy:QueuePolicy",
            {"queueUrl": _ref(n[kind], "url"), "policy": raw_stack.queue_policy(_ref(n[kind], "arn"))},
            parent=_ref(n[kind]),
        )
    resource(
        "topic",
        "aws:sns/topic:Topic",
        {"name": f"envstack-events-{suffix}", "kmsMasterKeyId": "alias/aws/sns", "tags": TAGS},
    )
    resource(
        "topic-policy",
        "aws:sns/topicPolicy:TopicPolicy",
        {
            "arn": _ref(n["topic"], "arn"),
            # The stand-in makes the topic's ARN in the stack's region and its one account.
            "policy": raw_stack.topic_policy(_ref(n["topic"], "arn"), suffix, region=REGION, account=ACCOUNT),
        },
        parent=_ref(n["topic"]),
    )
    resource(
        "topic-email",
        "aws:sns/topicSubscription:TopicSubscription",
        {"topic": _ref(n["topic"], "arn"), "protocol": "email", "endpoint": {"fn::secret": EMAIL}},
        parent=_ref(n["topic"]),
    )
    resource(
        "role",
        "aws:iam/role:Role",
        {
            "name": f"envstack-processor-role-{suffix}",
            "assumeRolePolicy": raw_stack.LAMBDA_TRUST_POLICY,
            "tags": TAGS,
        },
    )
    function_name = f"envstack-processor-{suffix}"
    resource(
        "logs",
        "aws:cloudwatch/logGroup:LogGroup",
        {"name": f"/aws/lambda/{function_name}", "retentionInDays": 7, "tags": TAGS},
    )
    arns = {
        "bucket": _ref(bucket, "arn"),
        "table": _ref(n["table"], "arn"),
        "topic": _ref(n["topic"], "arn"),
        "queue": _ref(n["queue"], "arn"),
        "log_group": _ref(n["logs"], "arn"),
    }
    resource(
        "role-policy",
        "aws:iam/rolePolicy:RolePolicy",
        {
            "name": f"envstack-processor-policy-{suffix}",
            "role": _ref(n["role"], "id"),
            "policy": raw_stack.role_policy(arns),
        },
        parent=_ref(n["role"]),
    )
    resource(
        "function",
        "aws:lambda/function:Function",
        {
            "name": function_name,
            "role": _ref(n["role"], "arn"),
            "runtime": "python3.14",
            "handler": "processor.handler",
            "code": {"fn::assetArchive": {"processor.py": {"fn::fileAsset": str(raw_stack.HANDLER_FILE)}}},
            "memorySize": MEMORY_MB,
            "timeout": 300,
            "environment": {
                "variables": {
                    "BUCKET_NAME": _ref(bucket, "bucket"),
                    "TABLE_NAME": _ref(n["table"], "name"),
                    "TOPIC_ARN": _ref(n["topic"], "arn"),
                    "QUEUE_URL": _ref(n["queue"], "url"),
                    "ENVIRONMENT": "dev",
                }
            },
            "loggingConfig": {"logFormat": "JSON", "logGroup": _ref(n["logs"], "name")},
            "tags": TAGS,
        },
        dependsOn=[_ref(n["logs"]), _ref(n["role-policy"])],
    )
    resource(
        "trigger",
        "aws:lambda/eventSourceMapping:EventSourceMapping",
        {
            "eventSourceArn": _ref(n["queue"], "arn"),
            "functionName": _ref(n["function"], "arn"),
            "batchSize": 10,
            "functionResponseTypes": ["ReportBatchItemFailures"],
            "tags": TAGS,
        },
        parent=_ref(n["function"]),
    )
    watched = {"dlq": _ref(n["dlq"], "name"), "queue-age": _ref(n["queue"], "name")}
    for alarm in raw_stack.ALARMS:
        key = str(alarm[0])
        properties = raw_stack.alarm_inputs(
            alarm, suffix, watched.get(key, _ref(n["function"], "name")), _ref(n["topic"], "arn")
        )
        resource(f"{key}-alarm", "aws:cloudwatch/metricAlarm:MetricAlarm", {**properties, "tags": TAGS})
    return resources


_CHILDREN = (
    "bucket",
    "bucket-versioning",
    "bucket-encryption",
    "bucket-lifecycle",
    "bucket-public-access-block",
    "bucket-ownership",
    "bucket-policy",
    "table",
    "dlq",
    "queue",
    "dlq-redrive-allow",
    "dlq-policy",
    "queue-policy",
    "topic",
    "topic-policy",
    "topic-email",
    "role",
    "logs",
    "role-policy",
    "function",
    "trigger",
    "dlq-alarm",
    "errors-alarm",
    "throttles-alarm",
    "queue-age-alarm",
)
"""What ``EnvironmentStack`` appends to its own name to name each child."""


def environment_names(count: int) -> list[tuple[str, str]]:
    """(resource name, environment suffix) of each environment in a program of ``count``."""
    return [(f"env{index}", f"bench-{index}") for index in range(count)]


def _project(description: str, resources: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "name": PROJECT,
        "description": description,
        "runtime": "yaml",
        **extra,
        "resources": dict(resources),
    }


def raw_program(count: int, environments: Sequence[tuple[str, str]] | None = None) -> dict[str, Any]:
    """``count`` environments' resources declared directly (the floor of the component's rows)."""
    version = pulumi_aws_version()
    resources: dict[str, Any] = {}
    for name, suffix in environments or environment_names(count):
        resources.update(raw_environment(name, suffix, version))
    return _project(
        f"{count} x the {len(_CHILDREN)} resources of EnvironmentStack, declared directly", resources
    )


def component_program(count: int) -> dict[str, Any]:
    """``count`` ``EnvironmentStack`` s with the names and suffixes of ``raw_program(count)``."""
    resources = {
        name: {
            "type": TYPE_TOKEN,
            "properties": {
                "environment": "dev",
                "environmentSuffix": suffix,
                "lambdaMemoryMb": MEMORY_MB,
                "notificationEmail": {"fn::secret": EMAIL},
            },
            "options": {"version": VERSION},
        }
        for name, suffix in environment_names(count)
    }
    return _project(f"{count} x EnvironmentStack", resources)


def on_bare_provider(project: dict[str, Any]) -> dict[str, Any]:
    """The same program with each envstack component served by the bare provider instead."""
    for spec in project["resources"].values():
        if spec["type"] == TYPE_TOKEN:
            spec["type"] = BARE_TYPE_TOKEN
            spec.setdefault("options", {})["version"] = BARE_VERSION
    return project


def bare_program(example: Path = engine.YAML_EXAMPLE) -> dict[str, Any]:
    """``examples/yaml`` with each envstack component served by the bare provider, all else as it is."""
    project: dict[str, Any] = yaml.safe_load((example / "Pulumi.yaml").read_text())
    project.pop("packages", None)
    return on_bare_provider(project)


class _PlainDumper(yaml.SafeDumper):
    """Writes a shared value (the tags) out in full each time, without YAML anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_program(
    project: Mapping[str, Any], directory: Path, stack_config: Mapping[str, Any] | None = None
) -> Path:
    """Write ``Pulumi.yaml`` and ``Pulumi.dev.yaml`` (the region alone unless given) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(
        yaml.dump(dict(project), Dumper=_PlainDumper, sort_keys=False, width=1000)
    )
    config = stack_config if stack_config is not None else {"aws:region": REGION}
    (directory / f"Pulumi.{STACK}.yaml").write_text(yaml.safe_dump({"config": dict(config)}, sort_keys=False))
    return directory


def main(argv: Sequence[str] | None = None) -> int:
    """Write one generated program to a folder, to read or preview by hand."""
    parser = argparse.ArgumentParser(prog="python -m bench.engine_programs", description=__doc__)
    parser.add_argument("kind", choices=("raw", "component"))
    parser.add_argument("count", type=int)
    parser.add_argument("directory", type=Path)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    project = raw_program(args.count) if args.kind == "raw" else component_program(args.count)
    print(write_program(project, args.directory) / "Pulumi.yaml")
    print(json.dumps({"resources": len(project["resources"])}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
