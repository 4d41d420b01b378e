"""The cases the pack and Checkov both judge: every policy fixture, and each in-scope attribute flipped.

- the component's stacks for dev, staging and prod, and every violating sample
  of ``envstack_testkit.policy_fixtures`` (each a whole stack, every resource
  compared);
- ``HAND_WRITTEN``: resources of the services in scope that the component never
  makes (an RDS instance and cluster, a KMS key, Lambda permissions and a
  function URL, an identity policy), written the way a program would, compliant;
- extra cases that turn a compared check the other way than the rest do
  (a customer-managed key, a python2.7 function, account-root trust, ACL
  grants of each kind), so that every compared check both passes and fails;
- variations: for every resource of the dev stack plus the hand-written ones,
  each boolean flipped (at the top level and one block down) and each optional
  property removed, one at a time. Only the changed resource is compared; the
  plan carries it with its neighbours (what it refers to and what refers to
  it), which is all Checkov's graph checks join, while the pack sees the whole
  stack.
"""

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from envstack_testkit.analyzer_harness import AnalyzerResource, urn
from envstack_testkit.policy_fixtures import (
    ENVIRONMENTS,
    REMOVE,
    Fixture,
    fixture_of,
    violating_samples,
)
from envstack_testkit.recording import record_environment_stack
from tools.terraform_plan import neighbours

STACK = "dev"
PROJECT = "pulumi-infra"
ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Case:
    """One program both judge: its title, the stack the pack sees, and the resources compared."""

    key: str
    title: str
    fixture: Fixture
    config: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    subject: str | None = None
    """The one resource compared (a variation); ``None`` compares every resource."""

    def planned(self) -> Sequence[AnalyzerResource]:
        """What goes into Checkov's plan: the whole stack, or the subject and its neighbours."""
        if self.subject is None:
            return self.fixture.stack
        return neighbours(self.fixture.stack, self.subject)

    def compared(self) -> set[str]:
        """The names of the resources whose verdicts are compared."""
        if self.subject is None:
            return {r.name for r in self.fixture.stack}
        return {self.subject}


def _resource(type_token: str, logical: str, /, **properties: Any) -> AnalyzerResource:
    return AnalyzerResource(
        type=type_token, name=logical, urn=urn(STACK, PROJECT, type_token, logical), properties=properties
    )


def _document(*statements: Mapping[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


FUNCTION_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:envstack-processor-{STACK}"

HAND_WRITTEN: tuple[AnalyzerResource, ...] = (
    # types whose deletion protection Checkov asks for and envstack-aws-deletion-protection refuses
    _resource(
        "aws:lb/loadBalancer:LoadBalancer",
        f"api-lb-{STACK}",
        name=f"api-{STACK}",
        loadBalancerType="application",
        internal=True,
        enableDeletionProtection=False,
        tags={"Environment": STACK},
    ),
    _resource(
        "aws:alb/loadBalancer:LoadBalancer",
        f"web-lb-{STACK}",
        name=f"web-{STACK}",
        internal=True,
        enableDeletionProtection=False,
        tags={"Environment": STACK},
    ),
    _resource(
        "aws:qldb/ledger:Ledger",
        f"audit-ledger-{STACK}",
        name=f"audit-{STACK}",
        permissionsMode="STANDARD",
        deletionProtection=False,
        tags={"Environment": STACK},
    ),
    _resource(
        "aws:neptune/cluster:Cluster",
        f"graph-db-{STACK}",
        clusterIdentifier=f"graph-{STACK}",
        storageEncrypted=True,
        skipFinalSnapshot=True,
        deletionProtection=False,
        tags={"Environment": STACK},
    ),
    _resource(
        "aws:networkfirewall/firewall:Firewall",
        f"egress-firewall-{STACK}",
        name=f"egress-{STACK}",
        firewallPolicyArn=f"arn:aws:network-firewall:us-east-1:{ACCOUNT}:firewall-policy/egress",
        vpcId="vpc-0123456789abcdef0",
        subnetMappings=[{"subnetId": "subnet-0123456789abcdef0"}],
        deleteProtection=False,
        tags={"Environment": STACK},
    ),
    _resource(
        "aws:rds/instance:Instance",
        f"orders-db-{STACK}",
        identifier=f"orders-{STACK}",
        engine="postgres",
        engineVersion="17.2",
        instanceClass="db.t4g.micro",
        allocatedStorage=20,
        storageEncrypted=True,
        iamDatabaseAuthenticationEnabled=True,
        publiclyAccessible=False,
        skipFinalSnapshot=True,
        deleteAutomatedBackups=True,
        deletionProtection=False,
        parameterGroupName=f"orders-params-{STACK}",
        tags={"Environment": STACK},
    ),
    _resource(
        "aws:rds/cluster:Cluster",
        f"reports-db-{STACK}",
        clusterIdentifier=f"reports-{STACK}",
        engine="aurora-postgresql",
        storageEncrypted=True,
        iamDatabaseAuthenticationEnabled=True,
        skipFinalSnapshot=True,
        deletionProtection=False,
        tags={"Environment": STACK},
    ),
    _resource(
        "aws:kms/key:Key",
        f"data-key-{STACK}",
        description="envstack data key",
        enableKeyRotation=True,
        deletionWindowInDays=7,
        policy=_document(
            {
                "Sid": "Account",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ),
        tags={"Environment": STACK},
    ),
    _resource(
        "aws:lambda/permission:Permission",
        f"invoke-from-bucket-{STACK}",
        action="lambda:InvokeFunction",
        function=FUNCTION_ARN,
        principal="s3.amazonaws.com",
        sourceArn=f"arn:aws:s3:::envstack-data-{STACK}",
        sourceAccount=ACCOUNT,
    ),
    _resource(
        "aws:lambda/functionUrl:FunctionUrl",
        f"processor-url-{STACK}",
        functionName=FUNCTION_ARN,
        authorizationType="AWS_IAM",
    ),
    _resource(
        "aws:rds/globalCluster:GlobalCluster",
        f"orders-global-{STACK}",
        globalClusterIdentifier=f"orders-global-{STACK}",
        engine="aurora-postgresql",
        storageEncrypted=True,
        deletionProtection=False,
        forceDestroy=True,
    ),
    _resource(
        "aws:iam/policy:Policy",
        f"reader-{STACK}",
        name=f"reader-{STACK}",
        policy=_document(
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject"],
                "Resource": f"arn:aws:s3:::envstack-data-{STACK}/*",
            }
        ),
        tags={"Environment": STACK},
    ),
    _resource(
        "aws:rds/snapshot:Snapshot",
        f"orders-snapshot-{STACK}",
        dbInstanceIdentifier=f"orders-{STACK}",
        dbSnapshotIdentifier=f"orders-{STACK}-manual",
        sharedAccounts=["210987654321"],
        tags={"Environment": STACK},
    ),
    _resource(
        "aws:s3/accessPoint:AccessPoint",
        f"data-access-{STACK}",
        bucket=f"envstack-data-{STACK}",
        name=f"data-access-{STACK}",
        publicAccessBlockConfiguration={
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        },
        tags={"Environment": STACK},
    ),
    _resource(
        "aws:rds/parameterGroup:ParameterGroup",
        f"orders-params-{STACK}",
        name=f"orders-params-{STACK}",
        family="postgres17",
        parameters=[{"name": "rds.force_ssl", "value": "1", "applyMethod": "immediate"}],
        tags={"Environment": STACK},
    ),
    _resource(  # as a program writes it: its encryption is an output, copied from the cluster
        "aws:rds/clusterSnapshot:ClusterSnapshot",
        f"reports-snapshot-{STACK}",
        dbClusterIdentifier=f"reports-{STACK}",
        dbClusterSnapshotIdentifier=f"reports-{STACK}-manual",
        tags={"Environment": STACK},
    ),
)
"""Compliant resources of in-scope types that the component does not make."""

KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
BUCKET_ARN = f"arn:aws:s3:::envstack-data-{STACK}"
_GROUPS = "http://acs.amazonaws.com/groups/global"


def _acl(grantee_uri: str, permission: str) -> AnalyzerResource:
    grant = {"permission": permission, "grantee": {"type": "Group", "uri": grantee_uri}}
    return _resource(
        "aws:s3/bucketAclV2:BucketAclV2",
        f"data-acl-{STACK}",
        bucket=f"envstack-data-{STACK}",
        accessControlPolicy={"owner": {"id": "abc123"}, "grants": [grant]},
    )


def _extra_cases(base: Fixture) -> list[tuple[str, Fixture]]:
    """Cases that make a compared check go the other way than every fixture and variation does."""
    public_read = _resource(
        "aws:s3/bucketAclV2:BucketAclV2",
        f"data-acl-{STACK}",
        bucket=f"envstack-data-{STACK}",
        acl="public-read",
    )
    no_tls = _document(
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "s3:GetObject",
            "Resource": f"{BUCKET_ARN}/*",
        }
    )
    topic_arn = f"arn:aws:sns:us-east-1:{ACCOUNT}:envstack-events-{STACK}"
    queue_arn = f"arn:aws:sqs:us-east-1:{ACCOUNT}:envstack-ingest-{STACK}"
    queue_url = f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/envstack-ingest-{STACK}"
    account_trust = _document(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
    )
    kms_rules = [
        {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY_ARN}}
    ]
    return [
        ("bucket whose lock configuration is enabled",
         base.change("envstack-bucket", objectLockConfiguration={"objectLockEnabled": "Enabled"})),
        ("bucket with an empty lock configuration",
         base.change("envstack-bucket", objectLockConfiguration={})),
        ("table encrypted with a customer-managed key",
         base.change("envstack-table", serverSideEncryption={"enabled": True, "kmsKeyArn": KEY_ARN})),
        ("bucket encrypted with a KMS key", base.change("envstack-bucket-encryption", rules=kms_rules)),
        ("function variables encrypted with a KMS key", base.change("envstack-function", kmsKeyArn=KEY_ARN)),
        ("queue encrypted with a customer-managed key",
         base.change("envstack-queue", sqsManagedSseEnabled=REMOVE, kmsMasterKeyId=KEY_ARN)),
        ("queue encrypted with the AWS-managed key",
         base.change("envstack-queue", sqsManagedSseEnabled=REMOVE, kmsMasterKeyId="alias/aws/sqs")),
        ("function on python2.7", base.change("envstack-function", runtime="python2.7")),
        ("role trusted by an account's root", base.change("envstack-role", assumeRolePolicy=account_trust)),
        ("topic policy for the account", base.add(_resource(
            "aws:sns/topicPolicy:TopicPolicy", f"events-policy-{STACK}", arn=topic_arn,
            policy=_document({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                              "Action": "sns:Publish", "Resource": topic_arn})))),
        ("queue policy for the topic", base.add(_resource(
            "aws:sqs/queuePolicy:QueuePolicy", f"ingest-policy-{STACK}", queueUrl=queue_url,
            policy=_document({"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                              "Action": "sqs:SendMessage", "Resource": queue_arn,
                              "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}})))),
        ("bucket ACL granting authenticated users read",
         base.add(_acl(f"{_GROUPS}/AuthenticatedUsers", "READ"))),
        ("bucket ACL granting anyone READ_ACP", base.add(_acl(f"{_GROUPS}/AllUsers", "READ_ACP"))),
        ("bucket with the public-read-write canned ACL",
         base.change("envstack-bucket", acl="public-read-write")),
        ("role with IAMFullAccess attached", base.add(_resource(
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment", f"iam-full-{STACK}",
            role=f"envstack-processor-role-{STACK}", policyArn="arn:aws:iam::aws:policy/IAMFullAccess"))),
        ("public-read ACL beside a policy without the TLS deny",
         base.add(public_read).change("envstack-bucket-policy", policy=no_tls)),
        ("public-read ACL, no public access block, no TLS deny",
         base.add(public_read).without("envstack-bucket-public-access-block")
         .change("envstack-bucket-policy", policy=no_tls)),
        *_issue_21_cases(base),
        *_iam_and_topic_cases(base),
        *_issue_28_cases(base, queue_url, queue_arn),
    ]  # fmt: skip


def _issue_21_cases(base: Fixture) -> list[tuple[str, Fixture]]:
    """Bucket policy lockout, cluster snapshot encryption, RDS TLS and legacy global tables, each way."""
    bucket_policy = json.loads(str(base.named("envstack-bucket-policy").properties["policy"]))
    all_but_root = {
        "Sid": "AllButRoot",
        "Effect": "Deny",
        "NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Action": "s3:*",
        "Resource": [BUCKET_ARN, f"{BUCKET_ARN}/*"],
    }
    lockout = json.dumps({**bucket_policy, "Statement": [*bucket_policy["Statement"], all_but_root]})
    table_name = base.named("envstack-table").properties["name"]
    global_table = _resource(
        "aws:dynamodb/globalTable:GlobalTable",
        f"table-global-{STACK}",
        name=table_name,
        replicas=[{"regionName": "us-east-1"}],
    )
    mysql_params = _resource(
        "aws:rds/parameterGroup:ParameterGroup",
        f"mysql-params-{STACK}",
        name=f"mysql-params-{STACK}",
        family="mysql8.0",
        parameters=[{"name": "require_secure_transport", "value": "1"}],
        tags={"Environment": STACK},
    )
    mysql: dict[str, Any] = {"engine": "mysql", "engineVersion": "8.0.40"}
    db = f"orders-db-{STACK}"
    return [
        ("bucket policy that denies all but the root user",
         base.change("envstack-bucket-policy", policy=lockout)),
        ("cluster snapshot once created", base.change(f"reports-snapshot-{STACK}", storageEncrypted=True)),
        ("cluster snapshot of an unencrypted cluster",
         base.change(f"reports-db-{STACK}", storageEncrypted=False)),
        ("instance whose postgres17 group leaves rds.force_ssl to its default",
         base.change(f"orders-params-{STACK}", parameters=REMOVE)),
        ("MySQL instance on the default parameter group",
         base.change(db, **mysql, parameterGroupName=REMOVE)),
        ("PostgreSQL 14 instance on the default parameter group",
         base.change(db, engineVersion="14.15", parameterGroupName=REMOVE)),
        ("MySQL instance whose group requires secure transport",
         base.add(mysql_params).change(db, **mysql, parameterGroupName=f"mysql-params-{STACK}")),
        ("legacy global table over the stack's table", base.add(global_table)),
        ("legacy global table over a table without PITR",
         base.add(global_table).change("envstack-table", pointInTimeRecovery={"enabled": False})),
    ]  # fmt: skip


def _iam_and_topic_cases(base: Fixture) -> list[tuple[str, Fixture]]:
    """Identity policies with risky actions on any resource, GitHub OIDC trust, cross-account topics."""
    topic_arn = f"arn:aws:sns:us-east-1:{ACCOUNT}:envstack-events-{STACK}"
    return [
        ("policy letting its holder pass roles to new functions", base.add(_identity_policy(
            "pass-role", {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction",
                                                        "lambda:InvokeFunction"], "Resource": "*"}))),
        ("policy assuming any role", base.add(_identity_policy(
            "assume-any", {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}))),
        ("policy managing any topic's permissions", base.add(_identity_policy(
            "topic-admin", {"Effect": "Allow", "Action": "sns:AddPermission", "Resource": "*"}))),
        ("policy writing any object", base.add(_identity_policy(
            "put-any", {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}))),
        ("role GitHub Actions assumes from one repository's main branch",
         base.change("envstack-role",
                     assumeRolePolicy=_github_trust("repo:my-org/my-repo:ref:refs/heads/main"))),
        ("role GitHub Actions assumes from any workflow named deploy",
         base.change("envstack-role", assumeRolePolicy=_github_trust("workflow:deploy"))),
        ("role Lambda assumes, and GitHub Actions from any repository in a second statement",
         base.change("envstack-role", assumeRolePolicy=_github_trust("repo:*", first=_LAMBDA_TRUST))),
        ("topic policy for another account in the organization", base.add(_resource(
            "aws:sns/topicPolicy:TopicPolicy", f"events-org-{STACK}", arn=topic_arn,
            policy=_document({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
                              "Action": "sns:Subscribe", "Resource": topic_arn,
                              "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}})))),
    ]  # fmt: skip


def _issue_28_cases(base: Fixture, queue_url: str, queue_arn: str) -> list[tuple[str, Fixture]]:
    """Conditions that narrow and conditions that narrow nothing, and a principal in any account."""
    bucket_policy = json.loads(str(base.named("envstack-bucket-policy").properties["policy"]))

    def bucket_with(**statement: Any) -> str:
        read = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{BUCKET_ARN}/*", **statement}
        return json.dumps({**bucket_policy, "Statement": [*bucket_policy["Statement"], read]})

    def queue_policy(name: str, **statement: Any) -> AnalyzerResource:
        send = {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue_arn, **statement}
        return _resource(
            "aws:sqs/queuePolicy:QueuePolicy", f"{name}-{STACK}", queueUrl=queue_url, policy=_document(send)
        )

    key = f"data-key-{STACK}"
    key_policy = json.loads(str(base.named(key).properties["policy"]))
    via_sqs = {
        "Sid": "ViaSqs",
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Resource": "*",
        "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"],
        "Condition": {
            "StringEquals": {"kms:CallerAccount": ACCOUNT, "kms:ViaService": "sqs.us-east-1.amazonaws.com"}
        },
    }
    return [
        ("bucket policy open to one VPC endpoint account's callers", base.change(
            "envstack-bucket-policy",
            policy=bucket_with(Principal="*", Condition={"StringEquals": {"aws:VpceAccount": ACCOUNT}}))),
        ("bucket policy open to a deployer role of any account", base.change(
            "envstack-bucket-policy", policy=bucket_with(
                Principal="*", Condition={"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/deployer"}}))),
        ("bucket policy for a reader role in any account", base.change(
            "envstack-bucket-policy", policy=bucket_with(Principal={"AWS": "arn:aws:iam::*:role/reader"}))),
        ("key policy for the account's callers through SQS, as AWS's own keys have",
         base.change(key, policy=json.dumps({**key_policy, "Statement": [*key_policy["Statement"],
                                                                         via_sqs]}))),
        ("queue policy for any source account", base.add(queue_policy(
            "any-source", Principal="*", Condition={"StringEquals": {"aws:SourceAccount": "*"}}))),
        ("queue policy for one VPC endpoint organization", base.add(queue_policy(
            "vpce-org", Principal="*", Condition={"StringEquals": {"aws:VpceOrgID": "o-a1b2c3d4e5"}}))),
    ]  # fmt: skip


def _identity_policy(name: str, *statements: Mapping[str, Any]) -> AnalyzerResource:
    """A hand-written managed policy with the given statements."""
    return _resource(
        "aws:iam/policy:Policy",
        f"{name}-{STACK}",
        name=f"{name}-{STACK}",
        policy=_document(*statements),
        tags={"Environment": STACK},
    )


_LAMBDA_TRUST = {
    "Effect": "Allow",
    "Principal": {"Service": "lambda.amazonaws.com"},
    "Action": "sts:AssumeRole",
}


def _github_trust(sub: str, *, first: Mapping[str, Any] | None = None) -> str:
    """A trust policy for GitHub Actions' OIDC provider, its sub claim conditioned on ``sub``."""
    provider = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
    condition = {
        "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
        "StringLike": {"token.actions.githubusercontent.com:sub": sub},
    }
    github = {
        "Effect": "Allow",
        "Principal": {"Federated": provider},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": condition,
    }
    return _document(github) if first is None else _document(first, github)


_IDENTITY = frozenset(
    {
        "name", "bucket", "role", "queueUrl", "arn", "id", "functionName", "function", "eventSourceArn",
        "tags", "tagsAll", "code", "handler", "hashKey", "attributes", "identifier", "clusterIdentifier",
        "engine", "instanceClass", "url", "urn", "region", "action", "principal", "description",
    }
)  # fmt: skip
"""Properties that say which resource it is rather than how it is configured: never varied."""


def _variants(resource: AnalyzerResource) -> Iterator[tuple[str, dict[str, Any]]]:
    """(what changed, the change) for each boolean flipped and each optional property removed."""
    for key, value in resource.properties.items():
        if key in _IDENTITY:
            continue
        if isinstance(value, bool):
            yield f"{key} set to {not value}", {key: not value}
            continue
        if isinstance(value, Mapping):
            for inner, item in value.items():
                if isinstance(item, bool):
                    yield f"{key}.{inner} set to {not item}", {key: {**value, inner: not item}}
        yield f"{key} removed", {key: REMOVE}


@cache
def cases() -> tuple[Case, ...]:
    """Every case, in a stable order, each with a key that is a Terraform identifier."""
    found: list[tuple[str, Fixture, Mapping[str, Mapping[str, Any]], str | None]] = []
    recordings = {env: record_environment_stack(args, stack=env) for env, args in ENVIRONMENTS.items()}
    for env, recording in recordings.items():
        found.append((f"the component's {env} stack", fixture_of(recording), {}, None))
    for sample in violating_samples(recordings[STACK], stack=STACK, project=PROJECT):
        found.append((f"sample: {sample.title}", sample.fixture, sample.config, None))
    base = fixture_of(recordings[STACK])
    for resource in HAND_WRITTEN:
        base = base.add(resource)
    found.append(("hand-written resources beside the dev stack", base, {}, None))
    found.extend((f"extra: {title}", fixture, {}, None) for title, fixture in _extra_cases(base))
    for resource in base.stack:
        # No Checkov check reads a metric alarm (the pack's envstack-sqs-dlq-alarm has no counterpart
        # there), so its variants would be cases Checkov never judges.
        if not resource.type.startswith("aws:") or resource.type == "aws:cloudwatch/metricAlarm:MetricAlarm":
            continue
        for what, change in _variants(resource):
            found.append(
                (f"{resource.name}: {what}", base.change(resource.name, **change), {}, resource.name)
            )
    return tuple(
        Case(f"c{index:03d}", title, fixture, config, subject)
        for index, (title, fixture, config, subject) in enumerate(found)
    )
