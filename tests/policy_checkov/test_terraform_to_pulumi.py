"""The Terraform-to-pulumi-aws translator on configurations as Checkov's HCL parser writes them.

The parser wraps every attribute's value in a list of one and gives a block
as a list of objects; these inputs are written that way, so the translator
is checked without the parser (the Trivy corpus's drift test runs both).
"""

import json

import pytest

from tools.terraform_to_pulumi import ACCOUNT, UntranslatableError, _round_trip, pulumi_type, translate


def _resource(terraform: str, name: str, **attributes: object) -> dict[str, object]:
    return {"resource": [{terraform: {name: {"__start_line__": 1, "__end_line__": 2, **attributes}}}]}


def test_types_follow_terraform_plans_naming_rule_backwards() -> None:
    assert pulumi_type("aws_s3_bucket") == "aws:s3/bucket:Bucket"  # not the BucketV2 alias
    assert pulumi_type("aws_s3_bucket_public_access_block") == (
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
    )
    assert pulumi_type("aws_db_instance") == "aws:rds/instance:Instance"
    assert pulumi_type("aws_lambda_permission") == "aws:lambda/permission:Permission"
    with pytest.raises(UntranslatableError, match="aws_no_such_thing is not a resource type"):
        pulumi_type("aws_no_such_thing")


def test_blocks_of_one_become_objects_and_repeated_blocks_lists_under_the_plural() -> None:
    parsed = _resource(
        "aws_s3_bucket_acl",
        "acl",
        bucket=["data"],
        access_control_policy=[
            {
                "owner": [{"id": ["owner-id"]}],
                "grant": [
                    {"permission": ["READ"], "grantee": [{"type": ["Group"], "uri": ["http://x/AllUsers"]}]},
                    {"permission": ["WRITE"], "grantee": [{"type": ["CanonicalUser"], "id": ["abc"]}]},
                ],
            }
        ],
    )
    [acl] = translate(parsed)
    assert acl.type == "aws:s3/bucketAcl:BucketAcl"
    policy = acl.properties["accessControlPolicy"]
    assert policy["owner"] == {"id": "owner-id"}
    assert [g["grantee"]["type"] for g in policy["grants"]] == ["Group", "CanonicalUser"]


def test_references_take_the_values_aws_gives_declared_and_undeclared_resources() -> None:
    parsed = {
        "resource": [
            {"aws_sqs_queue": {"q": {"name": ["orders"]}}},
            {"aws_sqs_queue_policy": {"p": {"queue_url": ["${aws_sqs_queue.q.id}"], "policy": ["{}"]}}},
            {"aws_kms_key": {"k": {}}},
            {"aws_sns_topic": {"t": {"kms_master_key_id": ["${aws_kms_key.k.arn}"]}}},
            {"aws_lambda_permission": {"l": {
                "action": ["lambda:InvokeFunction"],
                "function_name": ["${aws_lambda_function.elsewhere.function_name}"],
                "principal": ["s3.amazonaws.com"],
                "source_arn": ["arn:aws:s3:::${aws_s3_bucket.b.bucket}"],
            }}},
        ]
    }  # fmt: skip
    queue, policy, key, topic, permission = translate(parsed)
    url = f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/orders"
    assert queue.properties["url"] == url and queue.properties["name"] == "orders"
    assert policy.properties["queueUrl"] == url
    assert topic.properties["kmsMasterKeyId"] == key.properties["arn"]
    assert str(key.properties["arn"]).startswith(f"arn:aws:kms:us-east-1:{ACCOUNT}:key/")
    assert permission.properties["function"] == "elsewhere"
    assert permission.properties["sourceArn"] == "arn:aws:s3:::b"


def test_a_name_two_types_share_is_prefixed_with_the_type() -> None:
    parsed = {
        "resource": [
            {"aws_s3_bucket": {"example": {"bucket": ["b"]}}},
            {"aws_s3_bucket_versioning": {"example": {
                "bucket": ["${aws_s3_bucket.example.id}"],
                "versioning_configuration": [{"status": ["Enabled"]}],
            }}},
        ]
    }  # fmt: skip
    assert [r.name for r in translate(parsed)] == ["s3_bucket_example", "s3_bucket_versioning_example"]


def test_policy_documents_and_jsonencode_render_as_terraform_would() -> None:
    document = "${data.aws_iam_policy_document.d.json}"
    encoded = "${jsonencode({'Statement': [{'Effect': 'Allow', 'Principal': '*'}]})}"
    parsed = {
        "resource": [
            {"aws_iam_role": {"r": {"assume_role_policy": [encoded]}}},
            {"aws_s3_bucket_policy": {"p": {"bucket": ["b"], "policy": [document]}}},
        ],
        "data": [
            {"aws_caller_identity": {"current": {}}},
            {"aws_iam_policy_document": {"d": {"statement": [{
                "actions": [["s3:GetObject"]],
                "resources": [["*", "arn:aws:s3:::b"]],
                "principals": [{"type": ["*"], "identifiers": [["*"]]}],
                "condition": [{"test": ["StringEquals"], "variable": ["aws:SourceAccount"],
                               "values": [["${data.aws_caller_identity.current.account_id}"]]}],
            }]}}},
        ],
    }  # fmt: skip
    role, policy = translate(parsed)
    assert json.loads(str(role.properties["assumeRolePolicy"])) == {
        "Statement": [{"Effect": "Allow", "Principal": "*"}]
    }
    assert json.loads(str(policy.properties["policy"]))["Statement"] == [
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": ["*", "arn:aws:s3:::b"],
            "Principal": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
        }
    ]


@pytest.mark.parametrize(
    ("parsed", "reason"),
    [
        (_resource("aws_s3_bucket", "b", bucket=["${var.name}"]), r"cannot evaluate \$\{var.name\}"),
        (_resource("aws_s3_bucket", "b", no_such_attribute=["x"]), "has no attribute 'no_such_attribute'"),
        ({"data": [{"aws_iam_role": {"r": {}}}]}, "data sources the translator does not evaluate"),
        ({"module": [{"m": {}}]}, "a configuration with 'module' blocks"),
        (_resource("aws_sns_topic", "t", policy=["${jsonencode(local.doc)}"]), "not a literal"),
        (_resource("aws_dynamodb_table", "t", ttl=[{"enabled": [True]}, {"enabled": [False]}]), "has 2"),
    ],
)
def test_what_it_cannot_translate_exactly_it_refuses_with_the_reason(
    parsed: dict[str, object], reason: str
) -> None:
    with pytest.raises(UntranslatableError, match=reason):
        translate(parsed)


def test_a_translation_that_does_not_come_back_through_terraform_plan_is_refused() -> None:
    _round_trip("aws:s3/bucket:Bucket", {"bucket": "b"}, {"bucket": ["b"]}, "ok")
    with pytest.raises(UntranslatableError, match=r"aws_s3_bucket\.b does not translate back"):
        _round_trip("aws:s3/bucket:Bucket", {"bucket": "a"}, {"bucket": ["b"]}, "aws_s3_bucket.b")
