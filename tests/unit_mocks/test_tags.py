"""Default and user tags on every taggable resource, under mocks.

Which types are taggable is read from pulumi-aws itself (a resource whose
constructor takes ``tags``), so a new taggable child cannot slip through.
"""

import inspect

import pulumi
import pulumi_aws as aws

from envstack_testkit.recording import Recording, record_environment_stack

CLASSES: dict[str, type[pulumi.CustomResource]] = {
    "aws:s3/bucket:Bucket": aws.s3.Bucket,
    "aws:s3/bucketVersioning:BucketVersioning": aws.s3.BucketVersioning,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
        aws.s3.BucketServerSideEncryptionConfiguration
    ),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": aws.s3.BucketLifecycleConfiguration,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": aws.s3.BucketPublicAccessBlock,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": aws.s3.BucketOwnershipControls,
    "aws:s3/bucketPolicy:BucketPolicy": aws.s3.BucketPolicy,
    "aws:dynamodb/table:Table": aws.dynamodb.Table,
    "aws:sqs/queue:Queue": aws.sqs.Queue,
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": aws.sqs.RedriveAllowPolicy,
    "aws:sqs/queuePolicy:QueuePolicy": aws.sqs.QueuePolicy,
    "aws:sns/topic:Topic": aws.sns.Topic,
    "aws:sns/topicPolicy:TopicPolicy": aws.sns.TopicPolicy,
    "aws:sns/topicSubscription:TopicSubscription": aws.sns.TopicSubscription,
    "aws:iam/role:Role": aws.iam.Role,
    "aws:iam/rolePolicy:RolePolicy": aws.iam.RolePolicy,
    "aws:cloudwatch/logGroup:LogGroup": aws.cloudwatch.LogGroup,
    "aws:cloudwatch/metricAlarm:MetricAlarm": aws.cloudwatch.MetricAlarm,
    "aws:lambda/function:Function": aws.lambda_.Function,
    "aws:lambda/eventSourceMapping:EventSourceMapping": aws.lambda_.EventSourceMapping,
}


def _taggable(type_token: str) -> bool:
    init = getattr(CLASSES[type_token], "_internal_init")  # noqa: B009 - the generated constructor
    return "tags" in inspect.signature(init).parameters


def test_every_child_type_is_known(recording: Recording) -> None:
    assert {r.type for r in recording.custom()} <= set(CLASSES)


def test_default_tags_on_every_taggable_resource(recording: Recording, environment: str) -> None:
    tagged = [r for r in recording.custom() if _taggable(r.type)]
    assert len(tagged) >= 8
    for registration in tagged:
        assert registration.inputs["tags"] == {"Environment": environment, "ManagedBy": "envstack"}


def test_user_tags_merge_over_the_defaults() -> None:
    recording = record_environment_stack(
        {"environment": "dev", "tags": {"Team": "data", "ManagedBy": "platform-team"}}
    )
    for registration in recording.custom():
        if _taggable(registration.type):
            assert registration.inputs["tags"] == {
                "Environment": "dev",
                "ManagedBy": "platform-team",
                "Team": "data",
            }
