"""Construct of dev, staging and prod over gRPC: the tree, the names, the outputs.

Every assertion reads what crossed the wire: the registrations the provider
sent to the monitor and the state it returned in the Construct response.
"""

from collections import Counter

from envstack_provider.component import TYPE_TOKEN
from envstack_testkit.grpc_servers import stack_urn
from envstack_testkit.provider_harness import ConstructOutcome

COMPONENT_CHILDREN = Counter(
    {
        "aws:s3/bucket:Bucket": 1,
        "aws:dynamodb/table:Table": 1,
        "aws:sqs/queue:Queue": 2,
        "aws:sns/topic:Topic": 1,
        "aws:cloudwatch/logGroup:LogGroup": 1,
        "aws:cloudwatch/metricAlarm:MetricAlarm": 4,
        "aws:iam/role:Role": 1,
        "aws:lambda/function:Function": 1,
    }
)
"""Resources whose parent is the component itself."""

NESTED_CHILDREN = {
    "aws:s3/bucketVersioning:BucketVersioning": "aws:s3/bucket:Bucket",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
        "aws:s3/bucket:Bucket"
    ),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "aws:s3/bucket:Bucket",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "aws:s3/bucket:Bucket",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "aws:s3/bucket:Bucket",
    "aws:s3/bucketPolicy:BucketPolicy": "aws:s3/bucket:Bucket",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": "aws:sqs/queue:Queue",
    "aws:sqs/queuePolicy:QueuePolicy": "aws:sqs/queue:Queue",
    "aws:sns/topicPolicy:TopicPolicy": "aws:sns/topic:Topic",
    "aws:iam/rolePolicy:RolePolicy": "aws:iam/role:Role",
    "aws:lambda/eventSourceMapping:EventSourceMapping": "aws:lambda/function:Function",
}
"""Resources that belong to one of the component's children, and the type of that parent."""

PROFILE = {"dev": (512, 7), "staging": (512, 30), "prod": (1024, 90)}
"""Lambda memory (MB) and log retention (days) each environment gets by default."""

ACCOUNT = "123456789012"
REGION = "us-east-1"


def test_component_is_registered_under_the_stack_with_the_urn_returned(
    outcome: ConstructOutcome, environment: str
) -> None:
    component = outcome.one(TYPE_TOKEN)
    assert outcome.urn == f"urn:pulumi:{environment}::pulumi-infra::{TYPE_TOKEN}::envstack"
    assert component.urn == outcome.urn
    assert component.custom is False
    assert component.parent == stack_urn(environment, "pulumi-infra")
    assert outcome.registrations[0] is component, "the component registers before any child"


def test_every_child_type_is_registered_once_per_role(outcome: ConstructOutcome) -> None:
    registered = Counter(r.type for r in outcome.registrations if r.type != TYPE_TOKEN)
    nested = Counter(NESTED_CHILDREN.keys())
    nested["aws:sqs/queuePolicy:QueuePolicy"] = 2  # one for each queue
    assert registered == COMPONENT_CHILDREN + nested
    assert all(r.custom for r in outcome.registrations if r.type != TYPE_TOKEN)


def test_children_hang_off_the_component_or_the_resource_they_configure(outcome: ConstructOutcome) -> None:
    for registration in outcome.registrations:
        if registration.type in COMPONENT_CHILDREN:
            assert registration.parent == outcome.urn, registration.name
        elif registration.type in NESTED_CHILDREN:
            parent = outcome.by_urn(registration.parent)
            assert parent.type == NESTED_CHILDREN[registration.type], registration.name
            assert parent.parent == outcome.urn, registration.name


def test_physical_names_carry_the_environment_suffix(outcome: ConstructOutcome, environment: str) -> None:
    assert outcome.one("aws:s3/bucket:Bucket").inputs["bucket"] == f"envstack-data-{environment}"
    assert outcome.one("aws:dynamodb/table:Table").inputs["name"] == f"envstack-metadata-{environment}"
    assert {q.inputs["name"] for q in outcome.of_type("aws:sqs/queue:Queue")} == {
        f"envstack-ingest-{environment}",
        f"envstack-ingest-dlq-{environment}",
    }
    assert outcome.one("aws:sns/topic:Topic").inputs["name"] == f"envstack-events-{environment}"
    assert outcome.one("aws:lambda/function:Function").inputs["name"] == f"envstack-processor-{environment}"
    assert outcome.one("aws:iam/role:Role").inputs["name"] == f"envstack-processor-role-{environment}"
    assert (
        outcome.one("aws:iam/rolePolicy:RolePolicy").inputs["name"]
        == f"envstack-processor-policy-{environment}"
    )
    assert (
        outcome.one("aws:cloudwatch/logGroup:LogGroup").inputs["name"]
        == f"/aws/lambda/envstack-processor-{environment}"
    )


def test_profile_sets_memory_and_log_retention(outcome: ConstructOutcome, environment: str) -> None:
    memory, retention = PROFILE[environment]
    function = outcome.one("aws:lambda/function:Function").inputs
    assert function["memorySize"] == memory
    assert function["timeout"] == 300
    assert function["runtime"] == "python3.14"
    assert function["environment"]["variables"]["ENVIRONMENT"] == environment
    assert outcome.one("aws:cloudwatch/logGroup:LogGroup").inputs["retentionInDays"] == retention


def test_every_taggable_child_carries_the_default_tags(outcome: ConstructOutcome, environment: str) -> None:
    tagged = [r for r in outcome.registrations if "tags" in r.inputs]
    assert {r.type for r in tagged} == set(COMPONENT_CHILDREN) | {
        "aws:lambda/eventSourceMapping:EventSourceMapping"
    }
    for registration in tagged:
        assert registration.inputs["tags"] == {"Environment": environment, "ManagedBy": "envstack"}


def test_no_topic_subscription_without_an_email(outcome: ConstructOutcome) -> None:
    assert outcome.of_type("aws:sns/topicSubscription:TopicSubscription") == []


def test_all_twelve_outputs_come_back_in_the_construct_response(
    outcome: ConstructOutcome, environment: str
) -> None:
    sqs = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}"
    assert dict(outcome.state) == {
        "bucketName": f"envstack-data-{environment}",
        "bucketArn": f"arn:aws:s3:::envstack-data-{environment}",
        "tableName": f"envstack-metadata-{environment}",
        "tableArn": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/envstack-metadata-{environment}",
        "functionName": f"envstack-processor-{environment}",
        "functionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:envstack-processor-{environment}",
        "queueUrl": f"{sqs}/envstack-ingest-{environment}",
        "queueArn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:envstack-ingest-{environment}",
        "dlqUrl": f"{sqs}/envstack-ingest-dlq-{environment}",
        "dlqArn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:envstack-ingest-dlq-{environment}",
        "topicArn": f"arn:aws:sns:{REGION}:{ACCOUNT}:envstack-events-{environment}",
        "roleArn": f"arn:aws:iam::{ACCOUNT}:role/envstack-processor-role-{environment}",
    }


def test_outputs_are_the_children_outputs_and_registered_on_the_component(outcome: ConstructOutcome) -> None:
    assert outcome.state["bucketArn"] == outcome.one("aws:s3/bucket:Bucket").state["arn"]
    assert outcome.state["functionArn"] == outcome.one("aws:lambda/function:Function").state["arn"]
    assert outcome.state["roleArn"] == outcome.one("aws:iam/role:Role").state["arn"]
    # Registered under the schema's names, which is what the engine keeps in the state.
    assert outcome.resource_outputs[outcome.urn] == outcome.state


def test_a_valid_construct_sends_the_engine_no_log_line(outcome: ConstructOutcome) -> None:
    # No warning, no error, and none of the SDK's per-registration debug lines
    # (envstack_provider.debug_lines); test_plugin_process.py shows the same
    # recorder receiving them when ENVSTACK_DEBUG_LOGS asks for them.
    assert [(log.severity, log.message) for log in outcome.engine_logs] == []


def test_function_waits_for_its_log_group_and_policy(outcome: ConstructOutcome) -> None:
    function = outcome.one("aws:lambda/function:Function")
    assert outcome.one("aws:cloudwatch/logGroup:LogGroup").urn in function.dependencies
    assert outcome.one("aws:iam/rolePolicy:RolePolicy").urn in function.dependencies


def test_bucket_policy_waits_for_the_public_access_block(outcome: ConstructOutcome) -> None:
    policy = outcome.one("aws:s3/bucketPolicy:BucketPolicy")
    assert outcome.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").urn in policy.dependencies
