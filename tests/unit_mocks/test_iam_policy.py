"""The function's inline policy, pinned to the exact document under mocks."""

import json

import pytest

from envstack_provider.iam import PolicyArns, policy_document
from envstack_testkit.recording import ACCOUNT, Recording, record_environment_stack

KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _expected(environment: str) -> dict[str, object]:
    region = "us-east-1"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "StoreMessageBodies",
                "Effect": "Allow",
                "Action": ["s3:PutObject"],
                "Resource": [f"arn:aws:s3:::envstack-data-{environment}/*"],
            },
            {
                "Sid": "RecordMessages",
                "Effect": "Allow",
                "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                "Resource": [f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/envstack-metadata-{environment}"],
            },
            {
                "Sid": "AnnounceMessages",
                "Effect": "Allow",
                "Action": ["sns:Publish"],
                "Resource": [f"arn:aws:sns:{region}:{ACCOUNT}:envstack-events-{environment}"],
            },
            {
                "Sid": "ConsumeQueue",
                "Effect": "Allow",
                "Action": [
                    "sqs:ChangeMessageVisibility",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:ReceiveMessage",
                ],
                "Resource": [f"arn:aws:sqs:{region}:{ACCOUNT}:envstack-ingest-{environment}"],
            },
            {
                "Sid": "WriteLogs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": [
                    f"arn:aws:logs:{region}:{ACCOUNT}:log-group:/aws/lambda/envstack-processor-{environment}:*"
                ],
            },
        ],
    }


def test_policy_document_is_exactly_the_least_privilege_one(recording: Recording, environment: str) -> None:
    policy = recording.one("aws:iam/rolePolicy:RolePolicy")
    assert policy.inputs["name"] == f"envstack-processor-policy-{environment}"
    assert policy.parent == recording.one("aws:iam/role:Role").urn
    assert json.loads(policy.inputs["policy"]) == _expected(environment)


def test_no_action_or_resource_is_a_wildcard(recording: Recording) -> None:
    document = json.loads(recording.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    own_arns = {value for key, value in recording.outputs.items() if key.endswith("_arn")}
    for statement in document["Statement"]:
        for action in statement["Action"]:
            assert "*" not in action
        for resource in statement["Resource"]:
            assert resource != "*"
            assert any(resource.startswith(arn) for arn in own_arns) or ":log-group:" in resource


def test_a_kms_key_adds_exactly_one_statement_for_that_key() -> None:
    arns = PolicyArns("b", "t", "s", "q", "l", kms_key_arn=KEY)
    statements = policy_document(arns)["Statement"]
    assert statements[-1] == {
        "Sid": "UseDataKey",
        "Effect": "Allow",
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": [KEY],
    }
    assert len(statements) == len(policy_document(PolicyArns("b", "t", "s", "q", "l"))["Statement"]) + 1


@pytest.mark.parametrize("environment", ["prod"])
def test_kms_key_encrypts_bucket_and_table_and_is_granted(environment: str) -> None:
    recording = record_environment_stack({"environment": environment, "kms_key_arn": KEY})
    sse = recording.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs["rules"][0]
    assert sse["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY}
    assert sse["bucketKeyEnabled"] is True
    table = recording.one("aws:dynamodb/table:Table").inputs
    assert table["serverSideEncryption"] == {"enabled": True, "kmsKeyArn": KEY}
    document = json.loads(recording.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    assert document["Statement"][-1]["Resource"] == [KEY]
