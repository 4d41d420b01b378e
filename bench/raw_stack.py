"""The hand-written floor: one dev environment's pulumi-aws resources, without envstack.

This is what a team would write without envstack: the same pulumi-aws
resources, with the same literal inputs and the same options, created
directly, with no input validation. Two floors run it:

- ``bench.overhead`` registers N of these in a program, with no
  ``ComponentResource`` around them, against N ``EnvironmentStack`` s under
  the same mocks;
- the bare component provider (``bench/floor/component``), what a user would
  write from Pulumi's Python component template, registers them under its
  component, served to the real engine as envstack's plugin is.

The inputs are spelled out here rather than taken from ``envstack_provider``
on purpose: the floor must not pay for the component's settings code. To keep
the comparison honest anyway, each benchmark checks before timing that both
sides register the same cloud resources with the same inputs, and refuses to
report a ratio if they drift apart.
"""

import json
from pathlib import Path

import pulumi
import pulumi_aws as aws

HANDLER_FILE = (
    Path(__file__).resolve().parents[1] / "provider" / "envstack_provider" / "handler" / "processor.py"
)
"""The same handler source the component zips, so both programs send the same archive."""

LAMBDA_TRUST_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    },
    sort_keys=True,
)


def _tls_only(actions: str | list[str], resources: list[str], **extra: str) -> str:
    """A resource policy that refuses ``actions`` on ``resources`` to requests not made over TLS."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            **extra,
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": actions,
                    "Resource": resources,
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        },
        sort_keys=True,
    )


TOPIC_ACTIONS = [
    "SNS:AddPermission",
    "SNS:DeleteTopic",
    "SNS:GetTopicAttributes",
    "SNS:ListSubscriptionsByTopic",
    "SNS:Publish",
    "SNS:RemovePermission",
    "SNS:SetTopicAttributes",
    "SNS:Subscribe",
]
"""The actions SNS writes into a topic's default policy: the ones a topic policy names."""


def bucket_policy(bucket_arn: str) -> str:
    """The bucket policy: TLS only (the generated YAML floor fills in ``${...}`` for the ARN)."""
    return _tls_only("s3:*", [bucket_arn, f"{bucket_arn}/*"])


def queue_policy(queue_arn: str) -> str:
    """Each queue's policy: TLS only."""
    return _tls_only("sqs:*", [queue_arn])


def topic_policy(
    topic_arn: str, suffix: str, *, region: str | None = None, account: str | None = None
) -> str:
    """The topic's policy: TLS only, and CloudWatch may publish the stack's alarms.

    ``region`` and ``account`` default to the topic ARN's; a YAML program whose
    ARN is a ``${...}`` reference passes them.
    """
    if region is None or account is None:
        _, _, _, region, account, _ = topic_arn.split(":", 5)
    document = json.loads(_tls_only(TOPIC_ACTIONS, [topic_arn], Id="DenyInsecureTransport"))
    document["Statement"].append(
        {
            "Sid": "AllowStackAlarms",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "SNS:Publish",
            "Resource": [topic_arn],
            "Condition": {
                "ArnLike": {
                    "aws:SourceArn": f"arn:aws:cloudwatch:{region}:{account}:alarm:envstack-*-{suffix}"
                },
                "StringEquals": {"aws:SourceAccount": account},
            },
        }
    )
    return json.dumps(document, sort_keys=True)


def role_policy(arns: dict[str, str]) -> str:
    """The function's inline policy over the ARNs keyed bucket, table, topic, queue and log_group."""

    def statement(sid: str, actions: list[str], resources: list[str]) -> dict[str, object]:
        return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}

    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                statement("StoreMessageBodies", ["s3:PutObject"], [f"{arns['bucket']}/*"]),
                statement(
                    "RecordMessages",
                    ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                    [arns["table"]],
                ),
                statement("AnnounceMessages", ["sns:Publish"], [arns["topic"]]),
                statement(
                    "ConsumeQueue",
                    [
                        "sqs:ChangeMessageVisibility",
                        "sqs:DeleteMessage",
                        "sqs:GetQueueAttributes",
                        "sqs:ReceiveMessage",
                    ],
                    [arns["queue"]],
                ),
                statement(
                    "WriteLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [f"{arns['log_group']}:*"]
                ),
            ],
        },
        sort_keys=True,
    )


def redrive_policy(dlq_arn: str) -> str:
    """The queue's redrive policy: three receives, then the dead-letter queue."""
    return json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3})


def redrive_allow_policy(queue_arn: str) -> str:
    """The dead-letter queue's redrive-allow policy: only the environment's own queue."""
    return json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": [queue_arn]})


def _storage(name: str, suffix: str, tags: dict[str, str], top: pulumi.ResourceOptions) -> aws.s3.Bucket:
    bucket = aws.s3.Bucket(
        f"{name}-bucket", bucket=f"envstack-data-{suffix}", force_destroy=True, tags=tags, opts=top
    )
    child = pulumi.ResourceOptions(parent=bucket)
    aws.s3.BucketVersioning(
        f"{name}-bucket-versioning",
        bucket=bucket.id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
        opts=child,
    )
    sse = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
        sse_algorithm="AES256"
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-bucket-encryption",
        bucket=bucket.id,
        rules=[
            aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=sse,
                bucket_key_enabled=False,
            )
        ],
        opts=child,
    )
    aws.s3.BucketLifecycleConfiguration(
        f"{name}-bucket-lifecycle",
        bucket=bucket.id,
        rules=[
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="expire-noncurrent-versions",
                status="Enabled",
                filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                    noncurrent_days=30
                ),
                abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                    days_after_initiation=7
                ),
            )
        ],
        opts=child,
    )
    public_access_block = aws.s3.BucketPublicAccessBlock(
        f"{name}-bucket-public-access-block",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=child,
    )
    aws.s3.BucketOwnershipControls(
        f"{name}-bucket-ownership",
        bucket=bucket.id,
        rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
        opts=child,
    )
    aws.s3.BucketPolicy(
        f"{name}-bucket-policy",
        bucket=bucket.id,
        policy=bucket.arn.apply(bucket_policy),
        opts=pulumi.ResourceOptions(parent=bucket, depends_on=[public_access_block]),
    )
    return bucket


Alarm = tuple[str, str, str, str, str, str, int, float, str]
ALARMS: tuple[Alarm, ...] = (
    # (key, physical name's role, namespace, metric, dimension, statistic, period, dev's threshold, text)
    ("dlq", "dlq-messages", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "Maximum", 60, 1.0,
     "Messages wait in the dead-letter queue: each failed every retry and needs a person."),
    ("errors", "processor-errors", "AWS/Lambda", "Errors", "FunctionName", "Sum", 300, 5.0,
     "The processing function is failing."),
    ("throttles", "processor-throttles", "AWS/Lambda", "Throttles", "FunctionName", "Sum", 300, 5.0,
     "The processing function is throttled: its or the account's concurrency limit is hit."),
    ("queue-age", "ingest-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", "Maximum", 60, 300.0,
     "The ingest queue's oldest message has waited longer than the function's timeout."),
)  # fmt: skip
"""dev's four alarms as ``EnvironmentStack`` declares them: on the DLQ, the function or the queue."""


def alarm_inputs(alarm: Alarm, suffix: str, watched: object, topic: object) -> dict[str, object]:
    """One alarm's pulumi-aws inputs (camelCase), ``watched`` the queue's or function's name."""
    _, role, namespace, metric, dimension, statistic, period, threshold, description = alarm
    return {
        "name": f"envstack-{role}-{suffix}",
        "alarmDescription": description,
        "namespace": namespace,
        "metricName": metric,
        "dimensions": {dimension: watched},
        "statistic": statistic,
        "period": period,
        "evaluationPeriods": 1,
        "threshold": threshold,
        "comparisonOperator": "GreaterThanOrEqualToThreshold",
        "treatMissingData": "notBreaching",
        "alarmActions": [topic],
        "okActions": [topic],
    }


def create_raw_environment(
    name: str,
    suffix: str,
    *,
    parent: pulumi.Resource | None = None,
    lambda_memory_mb: pulumi.Input[int] = 512,
    notification_email: pulumi.Input[str] | None = None,
) -> dict[str, pulumi.Output[str]]:
    """Register one dev environment's resources directly, as a hand-written program would.

    ``parent`` is where the resources that have no other parent go: none in
    the program of ``bench.overhead``, the component of the bare component
    provider (``bench/floor/component``), which serves this same code. Returns
    the component's twelve outputs, for the provider to register.
    """
    tags = {"Environment": "dev", "ManagedBy": "envstack"}
    top = pulumi.ResourceOptions(parent=parent)
    bucket = _storage(name, suffix, tags, top)
    table = aws.dynamodb.Table(
        f"{name}-table",
        name=f"envstack-metadata-{suffix}",
        billing_mode="PAY_PER_REQUEST",
        hash_key="id",
        attributes=[
            aws.dynamodb.TableAttributeArgs(name="id", type="S"),
            aws.dynamodb.TableAttributeArgs(name="timestamp", type="N"),
        ],
        global_secondary_indexes=[
            aws.dynamodb.TableGlobalSecondaryIndexArgs(
                name="timestamp-index",
                key_schemas=[
                    aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(
                        attribute_name="timestamp", key_type="HASH"
                    )
                ],
                projection_type="ALL",
            )
        ],
        point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(enabled=True),
        server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=True),
        deletion_protection_enabled=False,
        tags=tags,
        opts=top,
    )
    dlq = aws.sqs.Queue(
        f"{name}-dlq",
        name=f"envstack-ingest-dlq-{suffix}",
        message_retention_seconds=1_209_600,
        sqs_managed_sse_enabled=True,
        tags=tags,
        opts=top,
    )
    queue = aws.sqs.Queue(
        f"{name}-queue",
        name=f"envstack-ingest-{suffix}",
        message_retention_seconds=1_209_600,
        visibility_timeout_seconds=1800,
        sqs_managed_sse_enabled=True,
        redrive_policy=dlq.arn.apply(redrive_policy),
        tags=tags,
        opts=top,
    )
    aws.sqs.RedriveAllowPolicy(
        f"{name}-dlq-redrive-allow",
        queue_url=dlq.url,
        redrive_allow_policy=queue.arn.apply(redrive_allow_policy),
        opts=pulumi.ResourceOptions(parent=dlq),
    )
    for kind, guarded in (("dlq", dlq), ("queue", queue)):
        aws.sqs.QueuePolicy(
            f"{name}-{kind}-policy",
            queue_url=guarded.url,
            policy=guarded.arn.apply(queue_policy),
            opts=pulumi.ResourceOptions(parent=guarded),
        )
    topic = aws.sns.Topic(
        f"{name}-topic",
        name=f"envstack-events-{suffix}",
        kms_master_key_id="alias/aws/sns",
        tags=tags,
        opts=top,
    )
    aws.sns.TopicPolicy(
        f"{name}-topic-policy",
        arn=topic.arn,
        policy=topic.arn.apply(lambda arn: topic_policy(arn, suffix)),
        opts=pulumi.ResourceOptions(parent=topic),
    )
    if notification_email is not None:
        aws.sns.TopicSubscription(
            f"{name}-topic-email",
            topic=topic.arn,
            protocol="email",
            endpoint=notification_email,
            opts=pulumi.ResourceOptions(parent=topic),
        )
    role = aws.iam.Role(
        f"{name}-role",
        name=f"envstack-processor-role-{suffix}",
        assume_role_policy=LAMBDA_TRUST_POLICY,
        tags=tags,
        opts=top,
    )
    function_name = f"envstack-processor-{suffix}"
    log_group = aws.cloudwatch.LogGroup(
        f"{name}-logs", name=f"/aws/lambda/{function_name}", retention_in_days=7, tags=tags, opts=top
    )
    policy = aws.iam.RolePolicy(
        f"{name}-role-policy",
        name=f"envstack-processor-policy-{suffix}",
        role=role.id,
        policy=pulumi.Output.all(
            bucket=bucket.arn, table=table.arn, topic=topic.arn, queue=queue.arn, log_group=log_group.arn
        ).apply(role_policy),
        opts=pulumi.ResourceOptions(parent=role),
    )
    function = aws.lambda_.Function(
        f"{name}-function",
        name=function_name,
        role=role.arn,
        runtime="python3.14",
        handler="processor.handler",
        code=pulumi.AssetArchive({"processor.py": pulumi.FileAsset(str(HANDLER_FILE))}),
        memory_size=lambda_memory_mb,
        timeout=300,
        environment=aws.lambda_.FunctionEnvironmentArgs(
            variables={
                "BUCKET_NAME": bucket.bucket,
                "TABLE_NAME": table.name,
                "TOPIC_ARN": topic.arn,
                "QUEUE_URL": queue.url,
                "ENVIRONMENT": "dev",
            }
        ),
        logging_config=aws.lambda_.FunctionLoggingConfigArgs(log_format="JSON", log_group=log_group.name),
        tags=tags,
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[log_group, policy]),
    )
    aws.lambda_.EventSourceMapping(
        f"{name}-trigger",
        event_source_arn=queue.arn,
        function_name=function.arn,
        batch_size=10,
        function_response_types=["ReportBatchItemFailures"],
        tags=tags,
        opts=pulumi.ResourceOptions(parent=function),
    )
    for key, physical, namespace, metric, dimension, statistic, period, threshold, description in ALARMS:
        watched = function.name if dimension == "FunctionName" else (dlq if key == "dlq" else queue).name
        aws.cloudwatch.MetricAlarm(
            f"{name}-{key}-alarm",
            name=f"envstack-{physical}-{suffix}",
            alarm_description=description,
            namespace=namespace,
            metric_name=metric,
            dimensions={dimension: watched},
            statistic=statistic,
            period=period,
            evaluation_periods=1,
            threshold=threshold,
            comparison_operator="GreaterThanOrEqualToThreshold",
            treat_missing_data="notBreaching",
            alarm_actions=[topic.arn],
            ok_actions=[topic.arn],
            tags=tags,
            opts=top,
        )
    return {
        "bucket_name": bucket.bucket,
        "bucket_arn": bucket.arn,
        "table_name": table.name,
        "table_arn": table.arn,
        "function_name": function.name,
        "function_arn": function.arn,
        "queue_url": queue.url,
        "queue_arn": queue.arn,
        "dlq_url": dlq.url,
        "dlq_arn": dlq.arn,
        "topic_arn": topic.arn,
        "role_arn": role.arn,
    }
