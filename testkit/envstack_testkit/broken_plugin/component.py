"""``envstackbroken:index:RuleBreakers``: one resource per rule the pack must enforce at preview."""

import json
from collections.abc import Mapping
from typing import TypedDict

import pulumi
import pulumi_aws as aws

PACKAGE = "envstackbroken"

BROKEN: Mapping[str, str] = {
    "envstack-s3-force-destroy": "a bucket without forceDestroy",
    "envstack-s3-tls-only": "a bucket with no TLS-only bucket policy",
    "envstack-iam-no-wildcards": "a role policy allowing every action on every resource",
    "envstack-sqs-lambda-dlq": "a queue without a dead-letter queue feeding a function",
    "envstack-naming-suffix": "a topic whose name lacks the environment suffix",
}
"""Each policy the component's children break, with the child that breaks it."""

WELL_ENCRYPTED = "v2-bucket"
"""A v7 ``BucketV2`` encrypted in its own inline shape (lists of rules of lists of defaults), which
``envstack-s3-encryption`` once blocked: it must not be reported for encryption."""

_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)


class RuleBreakersArgs(TypedDict):
    """Inputs of the rule breakers."""

    suffix: str
    """The environment suffix the well-named children carry."""


class RuleBreakers(pulumi.ComponentResource):
    """Hand-written pulumi-aws resources, each breaking one of the pack's rules."""

    def __init__(self, name: str, args: RuleBreakersArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(f"{PACKAGE}:index:RuleBreakers", name, None, opts)
        suffix = args["suffix"]
        child = pulumi.ResourceOptions(parent=self)
        aws.s3.Bucket("loose-bucket", bucket=f"envstack-loose-{suffix}", opts=child)
        aws.s3.BucketV2(
            WELL_ENCRYPTED,
            bucket=f"envstack-v2-{suffix}",
            force_destroy=True,
            server_side_encryption_configurations=[
                aws.s3.BucketV2ServerSideEncryptionConfigurationArgs(
                    rules=[
                        aws.s3.BucketV2ServerSideEncryptionConfigurationRuleArgs(
                            apply_server_side_encryption_by_defaults=[
                                aws.s3.BucketV2ServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                                    sse_algorithm="aws:kms"
                                )
                            ]
                        )
                    ]
                )
            ],
            opts=child,
        )
        role = aws.iam.Role(
            "broad-role", name=f"envstack-broad-{suffix}", assume_role_policy=_TRUST, opts=child
        )
        aws.iam.RolePolicy(
            "broad-role-policy",
            role=role.id,
            policy=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
            ),
            opts=child,
        )
        queue = aws.sqs.Queue("no-dlq-queue", name=f"envstack-no-dlq-{suffix}", opts=child)
        function = aws.lambda_.Function(
            "no-dlq-function",
            name=f"envstack-no-dlq-{suffix}",
            role=role.arn,
            runtime="python3.13",
            handler="index.handler",
            code=pulumi.AssetArchive(
                {"index.py": pulumi.StringAsset("def handler(event, context):\n    return None\n")}
            ),
            opts=child,
        )
        aws.lambda_.EventSourceMapping(
            "no-dlq-mapping", event_source_arn=queue.arn, function_name=function.name, opts=child
        )
        aws.sns.Topic("unsuffixed-topic", name="envstack-alerts", opts=child)
        self.register_outputs({})
