"""`kmsKeyArn` under the real engine on moto: the customer's key on every resource that holds data.

A KMS key is created on moto, as a platform team creates one before handing
its ARN to the component; a copy of examples/yaml passes it as
``kmsKeyArn`` and ``up`` deploys dev. moto is then read back resource by
resource, and Prowler, limited to the checks that ask for a customer-managed
key, judges the same stack: the failures ``prowler_decisions.toml`` records
as optional on the example stacks (which pass no key) pass here.
"""

import json
from pathlib import Path

import pytest
import yaml

from envstack_testkit.engine_moto import in_region, stack_region, write_outputs_file
from envstack_testkit.moto_server import MotoEndpoint

from . import prowler_scan
from .conftest import init_on_moto, moto_workspace

pytestmark = pytest.mark.timeout(900)

CMK_CHECKS = (
    "s3_bucket_kms_encryption",
    "cloudwatch_log_group_kms_encryption_enabled",
    "awslambda_function_env_vars_not_encrypted_with_cmk",
    "dynamodb_tables_kms_cmk_encryption_enabled",
    "sqs_queues_server_side_encryption_enabled",
    "sns_topics_kms_encryption_at_rest_enabled",
)
"""Prowler's checks of encryption at rest on the component's services."""
DECIDED_WITHOUT_A_KEY = {
    "s3_bucket_kms_encryption",
    "cloudwatch_log_group_kms_encryption_enabled",
    "awslambda_function_env_vars_not_encrypted_with_cmk",
}
"""The decisions that say "optional: kmsKeyArn turns it on"."""


def _with_key(program: Path, key_arn: str) -> None:
    """The copy's component gets ``kmsKeyArn`` (the checked-in example passes none)."""
    project = program / "Pulumi.yaml"
    document = yaml.safe_load(project.read_text())
    document["resources"]["envstack"]["properties"]["kmsKeyArn"] = key_arn
    project.write_text(yaml.safe_dump(document, sort_keys=False))


def test_the_customer_key_reaches_every_resource_that_holds_data_and_prowler_agrees(
    moto: MotoEndpoint, tmp_path: Path
) -> None:
    with moto_workspace(moto) as workspace:
        init_on_moto(workspace, "dev", moto)
        regional = in_region(moto, stack_region(workspace, "dev"))
        key = regional.client("kms").create_key(Description="envstack dev data key")["KeyMetadata"]["Arn"]
        _with_key(workspace.program, key)
        workspace.up().check()
        outputs = json.loads(write_outputs_file(workspace).read_text())

        s3, ddb = regional.client("s3"), regional.client("dynamodb")
        sqs, sns = regional.client("sqs"), regional.client("sns")
        logs, lam, iam = regional.client("logs"), regional.client("lambda"), regional.client("iam")
        rule = s3.get_bucket_encryption(Bucket=outputs["bucket_name"])["ServerSideEncryptionConfiguration"][
            "Rules"
        ][0]
        assert rule["ApplyServerSideEncryptionByDefault"] == {
            "SSEAlgorithm": "aws:kms",
            "KMSMasterKeyID": key,
        }
        table = ddb.describe_table(TableName=outputs["table_name"])["Table"]
        assert table["SSEDescription"]["KMSMasterKeyArn"] == key
        for url in (outputs["queue_url"], outputs["dlq_url"]):
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
            assert attributes["KmsMasterKeyId"] == key, url
            # moto answers SqsManagedSseEnabled "true" for every queue it creates; SQS turns it off
            # with a KMS key, and the component never asks for both (tests/unit_mocks).
        assert sns.get_topic_attributes(TopicArn=outputs["topic_arn"])["Attributes"]["KmsMasterKeyId"] == key
        [group] = logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/envstack-processor-dev")[
            "logGroups"
        ]
        assert group["kmsKeyId"] == key
        function = lam.get_function(FunctionName=outputs["function_name"])["Configuration"]
        assert function["KMSKeyArn"] == key
        role = outputs["role_arn"].rsplit("/", 1)[-1]
        [policy_name] = iam.list_role_policies(RoleName=role)["PolicyNames"]
        document = iam.get_role_policy(RoleName=role, PolicyName=policy_name)["PolicyDocument"]
        [grant] = [s for s in document["Statement"] if s["Sid"] == "UseDataKey"]
        assert (grant["Action"], grant["Resource"]) == (["kms:Decrypt", "kms:GenerateDataKey"], [key])

        scan = prowler_scan.start(regional, tmp_path / "prowler", checks=CMK_CHECKS)
        found, returncode, stderr_tail = prowler_scan.findings(scan)
        verdict = prowler_scan.judge(found, "dev", returncode, stderr_tail)
        print(f"\ndev with kmsKeyArn: Prowler {dict(verdict.statuses)}")
        assert returncode == 0, stderr_tail
        assert verdict.failed == frozenset(), sorted(verdict.failed)
        assert {check for check, _ in verdict.passed} == set(CMK_CHECKS)
        decided = {d.check for d in prowler_scan.decisions()}
        assert decided >= DECIDED_WITHOUT_A_KEY

        workspace.destroy().check()
