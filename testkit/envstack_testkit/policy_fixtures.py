"""Analyzer fixtures: the real component's resources, a preview of them, and broken samples.

Compliant fixtures are the component's own registrations, recorded under
mocks and converted to what the engine sends (inputs to ``Analyze``, outputs
to ``AnalyzeStack``). ``preview_of`` turns a recording into what the engine
sends during ``pulumi preview`` of a new stack: every value that comes from
another resource's output is unknown, linked only by property dependencies.
``violating_samples`` changes one thing at a time, in pulumi-aws v7 property
shapes (camelCase, as the engine sends them), so that exactly one policy
must fire; a few samples add hand-written resources the component never
makes, because the pack judges any program, not only ours.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .analyzer_harness import UNKNOWN, AnalyzerResource, from_registration, urn
from .recording import Recording
from .stack_files import ENVIRONMENTS as ENVIRONMENT_NAMES
from .stack_files import environment_args

REMOVE = object()
"""A change value that deletes the property instead of setting it."""

ENVIRONMENTS: Mapping[str, Mapping[str, Any]] = {name: environment_args(name) for name in ENVIRONMENT_NAMES}
"""The sample stacks the compliant fixtures record: the examples' own stack files."""


@dataclass(frozen=True)
class Fixture:
    """One program's resources as a preview sends them: each resource's inputs, and the stack's outputs."""

    resources: tuple[AnalyzerResource, ...]
    stack: tuple[AnalyzerResource, ...]

    def named(self, name: str) -> AnalyzerResource:
        """The resource with this logical name (its inputs)."""
        found = [r for r in self.resources if r.name == name]
        if len(found) != 1:
            raise KeyError(name)
        return found[0]

    def change(self, logical: str, /, *, protect: bool | None = None, **changes: Any) -> "Fixture":
        """A copy with one resource's properties changed (``REMOVE`` deletes one) in inputs and outputs."""

        def apply(resource: AnalyzerResource) -> AnalyzerResource:
            if resource.name != logical:
                return resource
            properties = {**resource.properties, **changes}
            properties = {k: v for k, v in properties.items() if v is not REMOVE}
            return replace(
                resource, properties=properties, protect=resource.protect if protect is None else protect
            )

        if logical not in {r.name for r in self.resources}:
            raise KeyError(logical)
        return Fixture(tuple(map(apply, self.resources)), tuple(map(apply, self.stack)))

    def add(self, resource: AnalyzerResource) -> "Fixture":
        """A copy with a hand-written resource added (its inputs double as its outputs)."""
        return Fixture((*self.resources, resource), (*self.stack, resource))

    def without(self, name: str) -> "Fixture":
        """A copy without one resource."""
        return Fixture(
            tuple(r for r in self.resources if r.name != name), tuple(r for r in self.stack if r.name != name)
        )

    def retype(self, name: str, type_token: str) -> "Fixture":
        """A copy in which one resource uses another type token (e.g. a ``...V2`` alias)."""
        return Fixture(
            tuple(replace(r, type=type_token) if r.name == name else r for r in self.resources),
            tuple(replace(r, type=type_token) if r.name == name else r for r in self.stack),
        )


def fixture_of(recording: Recording) -> Fixture:
    """A recorded program as the engine sends it after deployment-time values are known."""
    return Fixture(
        tuple(from_registration(r) for r in recording.registrations),
        tuple(from_registration(r, outputs=True) for r in recording.registrations),
    )


_FROM_OUTPUTS: Mapping[str, tuple[str, ...]] = {
    "aws:s3/bucketVersioning:BucketVersioning": ("bucket",),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": ("bucket",),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ("bucket",),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ("bucket",),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ("bucket",),
    "aws:s3/bucketPolicy:BucketPolicy": ("bucket", "policy"),
    "aws:sqs/queue:Queue": ("redrivePolicy",),
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": ("queueUrl", "redriveAllowPolicy"),
    "aws:sqs/queuePolicy:QueuePolicy": ("queueUrl", "policy"),
    "aws:sns/topicPolicy:TopicPolicy": ("arn", "policy"),
    "aws:iam/rolePolicy:RolePolicy": ("policy", "role"),
    "aws:lambda/function:Function": ("role",),
    "aws:lambda/eventSourceMapping:EventSourceMapping": ("eventSourceArn", "functionName"),
    "aws:sns/topicSubscription:TopicSubscription": ("topic",),
}
"""The inputs the component computes from other resources' outputs (ids, ARNs, URLs)."""


def preview_of(recording: Recording) -> Fixture:
    """The recording as ``pulumi preview`` of a new stack sends it: outputs-derived values unknown."""
    resources: list[AnalyzerResource] = []
    stack: list[AnalyzerResource] = []
    for registration in recording.registrations:
        keys = [k for k in _FROM_OUTPUTS.get(registration.type, ()) if k in registration.inputs]
        dependencies = {key: registration.dependencies for key in keys}
        inputs = {**registration.inputs, **dict.fromkeys(keys, UNKNOWN)}
        if registration.type == "aws:lambda/function:Function":
            variables = registration.inputs["environment"]["variables"]
            inputs["environment"] = {
                "variables": {k: (v if k == "ENVIRONMENT" else UNKNOWN) for k, v in variables.items()}
            }
        computed = {k: UNKNOWN for k in registration.state if k not in registration.inputs}
        base = from_registration(registration)
        resources.append(replace(base, properties=inputs, property_dependencies=dependencies))
        stack.append(replace(base, properties={**inputs, **computed}, property_dependencies=dependencies))
    return Fixture(tuple(resources), tuple(stack))


@dataclass(frozen=True)
class Sample:
    """A deliberately broken program: the one policy it must trip, and the resource to name."""

    title: str
    policy: str
    subject: str
    fixture: Fixture
    config: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def _wildcard_policy() -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Sid": "Everything", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
        }
    )


def _public_read_policy(bucket_arn: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{bucket_arn}/*"}
            ],
        }
    )


def _private_read_policy(bucket_arn: str) -> str:
    """A bucket policy that grants one account read access and has no TLS deny."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                    "Action": "s3:GetObject",
                    "Resource": f"{bucket_arn}/*",
                }
            ],
        }
    )


def _with_public_read(policy: str, bucket_arn: str) -> str:
    """The component's bucket policy (its TLS deny kept) plus a statement that lets anyone read."""
    document = json.loads(policy)
    document["Statement"].append(json.loads(_public_read_policy(bucket_arn))["Statement"][0])
    return json.dumps(document)


def _open_to_anyone(action: str, resource_arn: str) -> str:
    """A resource policy that allows ``action`` to every principal, with no condition."""
    statement = {
        "Sid": "Anyone",
        "Effect": "Allow",
        "Principal": "*",
        "Action": action,
        "Resource": resource_arn,
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _hand_written(
    stack: str, project: str, type_token: str, name: str, **properties: Any
) -> AnalyzerResource:
    """A resource the component never makes, as a hand-written program would declare it."""
    return AnalyzerResource(
        type=type_token, name=name, urn=urn(stack, project, type_token, name), properties=properties
    )


def _database(
    stack: str, project: str, *, deletion_protection: bool = True, encrypted: bool = True
) -> AnalyzerResource:
    """A hand-written RDS instance, pulumi-aws v7 inputs, by default with deletion protection on."""
    return AnalyzerResource(
        type="aws:rds/instance:Instance",
        name=f"orders-db-{stack}",
        urn=urn(stack, project, "aws:rds/instance:Instance", f"orders-db-{stack}"),
        properties={
            "identifier": f"orders-{stack}",
            "engine": "postgres",
            "engineVersion": "17.2",
            "instanceClass": "db.t4g.micro",
            "allocatedStorage": 20,
            "storageEncrypted": encrypted,
            "iamDatabaseAuthenticationEnabled": True,
            "skipFinalSnapshot": True,
            "deletionProtection": deletion_protection,
            "tags": {"Environment": stack},
        },
    )


def _deny_plain_subscribing(topic_arn: str) -> str:
    """A topic policy that refuses plain-HTTP subscribing, but lets messages be published over plain HTTP."""
    statement = {"Effect": "Deny", "Principal": "*", "Action": "sns:Subscribe", "Resource": topic_arn,
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}  # fmt: skip
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _with(resource: AnalyzerResource, **properties: Any) -> AnalyzerResource:
    """A copy of a hand-written resource with some properties set."""
    return replace(resource, properties={**resource.properties, **properties})


def _kms_key(stack: str, project: str, **properties: Any) -> AnalyzerResource:
    """A hand-written KMS key, by default rotating, with the shortest deletion window and no policy."""
    return _hand_written(
        stack,
        project,
        "aws:kms/key:Key",
        f"data-key-{stack}",
        **{
            "enableKeyRotation": True,
            "deletionWindowInDays": 7,
            "tags": {"Environment": stack},
            **properties,
        },
    )


def _admin_policy(stack: str, project: str) -> AnalyzerResource:
    """A hand-written managed policy granting everything."""
    return AnalyzerResource(
        type="aws:iam/policy:Policy",
        name=f"admin-{stack}",
        urn=urn(stack, project, "aws:iam/policy:Policy", f"admin-{stack}"),
        properties={
            "name": f"admin-{stack}",
            "policy": json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
            ),
            "tags": {"Environment": stack},
        },
    )


def violating_samples(
    recording: Recording, *, stack: str = "dev", project: str = "pulumi-infra"
) -> list[Sample]:
    """At least one broken variant of the recorded stack per policy; each trips exactly one policy."""
    base = fixture_of(recording)
    bucket_arn = str(recording.one("aws:s3/bucket:Bucket").state["arn"])
    queue = next(r for r in recording.of_type("aws:sqs/queue:Queue") if r.name == "envstack-queue")
    topic_arn = str(recording.one("aws:sns/topic:Topic").state["arn"])
    admin_attachment = _hand_written(
        stack,
        project,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        f"admin-attach-{stack}",
        role=recording.one("aws:iam/role:Role").inputs["name"],
        policyArn="arn:aws:iam::aws:policy/AdministratorAccess",
    )
    anyone_may_assume = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
        }
    )
    queue_policy = _hand_written(
        stack,
        project,
        "aws:sqs/queuePolicy:QueuePolicy",
        f"ingest-policy-{stack}",
        queueUrl=queue.state["url"],
        policy=_open_to_anyone("sqs:SendMessage", str(queue.state["arn"])),
    )
    account_root = {"AWS": f"arn:aws:iam::{str(queue.state['arn']).split(':')[4]}:root"}
    all_actions = {"Sid": "Account", "Effect": "Allow", "Principal": account_root, "Action": "*",
                   "Resource": str(queue.state["arn"])}  # fmt: skip
    queue_policy_all_actions = _hand_written(
        stack,
        project,
        "aws:sqs/queuePolicy:QueuePolicy",
        f"ingest-all-{stack}",
        queueUrl=queue.state["url"],
        policy=json.dumps({"Version": "2012-10-17", "Statement": [all_actions]}),
    )
    topic_policy = _hand_written(
        stack,
        project,
        "aws:sns/topicPolicy:TopicPolicy",
        f"events-policy-{stack}",
        arn=topic_arn,
        policy=_open_to_anyone("sns:Publish", topic_arn),
    )
    public_bucket_policy = _with_public_read(
        str(base.named("envstack-bucket-policy").properties["policy"]), bucket_arn
    )
    permission = _hand_written(
        stack,
        project,
        "aws:lambda/permission:Permission",
        f"invoke-anyone-{stack}",
        action="lambda:InvokeFunction",
        function=recording.one("aws:lambda/function:Function").inputs["name"],
        principal="*",
    )
    function_name = recording.one("aws:lambda/function:Function").inputs["name"]
    function_url = _hand_written(
        stack,
        project,
        "aws:lambda/functionUrl:FunctionUrl",
        f"processor-url-{stack}",
        functionName=function_name,
        authorizationType="NONE",
    )
    service_permission = _hand_written(
        stack,
        project,
        "aws:lambda/permission:Permission",
        f"invoke-from-s3-{stack}",
        action="lambda:InvokeFunction",
        function=function_name,
        principal="s3.amazonaws.com",
    )
    function_variables = recording.one("aws:lambda/function:Function").inputs["environment"]["variables"]
    with_access_key = {"variables": {**function_variables, "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE"}}
    database = _database(stack, project, deletion_protection=False)
    suspended = {"status": "Suspended"}
    open_key = _kms_key(stack, project, policy=_open_to_anyone("kms:Decrypt", "*"))
    all_users = {"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}
    bucket_acl = _hand_written(
        stack,
        project,
        "aws:s3/bucketAclV2:BucketAclV2",
        f"data-acl-{stack}",
        bucket=f"envstack-data-{stack}",
        accessControlPolicy={
            "owner": {"id": "abc123"},
            "grants": [{"permission": "READ", "grantee": all_users}],
        },
    )
    public_snapshot = _hand_written(
        stack,
        project,
        "aws:rds/snapshot:Snapshot",
        f"orders-snapshot-{stack}",
        dbInstanceIdentifier=f"orders-{stack}",
        dbSnapshotIdentifier=f"orders-{stack}-manual",
        sharedAccounts=["all"],
        tags={"Environment": stack},
    )
    public_access_point = (
        _hand_written(  # the access point's name goes in below: _hand_written's name is logical
            stack,
            project,
            "aws:s3/accessPoint:AccessPoint",
            f"data-access-{stack}",
            bucket=f"envstack-data-{stack}",
            publicAccessBlockConfiguration=dict.fromkeys(
                ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"), False
            ),
            tags={"Environment": stack},
        )
    )
    public_access_point = _with(public_access_point, name=f"data-access-{stack}")
    writer = {"objectOwnership": "ObjectWriter"}
    lockout_policy = json.loads(str(base.named("envstack-bucket-policy").properties["policy"]))
    lockout_policy["Statement"].append(
        {
            "Sid": "NoPolicyChanges",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutBucketPolicy",
            "Resource": bucket_arn,
        }
    )
    unencrypted_cluster_snapshot = _hand_written(  # as an update sees it: storageEncrypted is known
        stack,
        project,
        "aws:rds/clusterSnapshot:ClusterSnapshot",
        f"reports-snapshot-{stack}",
        dbClusterIdentifier=f"reports-legacy-{stack}",
        dbClusterSnapshotIdentifier=f"reports-legacy-{stack}-manual",
        storageEncrypted=False,
        tags={"Environment": stack},
    )
    plain_parameters = _hand_written(
        stack,
        project,
        "aws:rds/parameterGroup:ParameterGroup",
        f"orders-params-{stack}",
        family="postgres17",
        parameters=[{"name": "rds.force_ssl", "value": "0", "applyMethod": "immediate"}],
        tags={"Environment": stack},
    )
    plain_parameters = _with(plain_parameters, name=f"orders-params-{stack}")
    table_name = recording.one("aws:dynamodb/table:Table").inputs["name"]
    global_table = _hand_written(
        stack,
        project,
        "aws:dynamodb/globalTable:GlobalTable",
        f"table-global-{stack}",
        replicas=[{"regionName": "us-east-1"}, {"regionName": "us-west-2"}],
    )
    global_table = _with(global_table, name=table_name)
    read_anything = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Sid": "ReadAny", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
        }
    )
    star_allowed = {"envstack-iam-no-wildcards": {"allowedStarResourceActions": ["s3:GetObject"]}}
    account = str(queue.state["arn"]).split(":")[4]
    github_provider = f"arn:aws:iam::{account}:oidc-provider/token.actions.githubusercontent.com"
    any_repository = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "GitHubActions",
                    "Effect": "Allow",
                    "Principal": {"Federated": github_provider},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:*"}},
                }
            ],
        }
    )
    other_account_topic_policy = _hand_written(
        stack,
        project,
        "aws:sns/topicPolicy:TopicPolicy",
        f"events-partner-{stack}",
        arn=topic_arn,
        policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "Partner",
                        "Effect": "Allow",
                        "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
                        "Action": "sns:Subscribe",
                        "Resource": topic_arn,
                    }
                ],
            }
        ),
    )
    cases: list[tuple[str, str, str, Callable[[], Fixture], Mapping[str, Mapping[str, Any]]]] = [
        ("bucket without default encryption", "envstack-s3-encryption", "envstack-bucket",
         lambda: base.without("envstack-bucket-encryption"), {}),
        ("table with SSE switched off", "envstack-dynamodb-encryption", "envstack-table",
         lambda: base.change("envstack-table", serverSideEncryption={"enabled": False}), {}),
        ("table without a customer-managed key, when config requires one", "envstack-dynamodb-encryption",
         "envstack-table", lambda: base, {"envstack-dynamodb-encryption": {"requireKmsKey": True}}),
        ("queue with SSE-SQS off", "envstack-sqs-encryption", "envstack-dlq",
         lambda: base.change("envstack-dlq", sqsManagedSseEnabled=False), {}),
        ("topic without a KMS key", "envstack-sns-encryption", "envstack-topic",
         lambda: base.change("envstack-topic", kmsMasterKeyId=REMOVE), {}),
        ("function env vars without a KMS key, when config requires one", "envstack-lambda-env-encryption",
         "envstack-function", lambda: base, {"envstack-lambda-env-encryption": {"requireKmsKey": True}}),
        ("queue named for another environment", "envstack-naming-suffix", "envstack-queue",
         lambda: base.change("envstack-queue", name=f"envstack-ingest-{stack}x"), {}),
        ("table auto-named from a logical name without the suffix", "envstack-naming-suffix",
         "envstack-table",
         lambda: base.change("envstack-table", name="envstack-table-4f2a9c1"), {}),
        ("stack names checked against the suffix from config", "envstack-naming-suffix", "envstack-bucket",
         lambda: base, {"envstack-naming-suffix": {"suffix": "qa"}}),
        ("protected role", "envstack-resource-no-protect", "envstack-role",
         lambda: base.change("envstack-role", protect=True), {}),
        ("bucket without forceDestroy", "envstack-s3-force-destroy", "envstack-bucket",
         lambda: base.change("envstack-bucket", forceDestroy=False), {}),
        ("bucket with Object Lock", "envstack-s3-no-object-lock", "envstack-bucket",
         lambda: base.change("envstack-bucket", objectLockEnabled=True), {}),
        ("table with deletion protection", "envstack-dynamodb-deletion-protection", "envstack-table",
         lambda: base.change("envstack-table", deletionProtectionEnabled=True), {}),
        ("hand-written RDS instance with deletion protection", "envstack-aws-deletion-protection",
         f"orders-db-{stack}", lambda: base.add(_database(stack, project)), {}),
        ("role policy with a wildcard action on every resource", "envstack-iam-no-wildcards",
         "envstack-role-policy", lambda: base.change("envstack-role-policy", policy=_wildcard_policy()), {}),
        ("hand-written administrator policy", "envstack-iam-no-wildcards", f"admin-{stack}",
         lambda: base.add(_admin_policy(stack, project)), {}),
        ("public access block with a flag off", "envstack-s3-public-access-block", "envstack-bucket",
         lambda: base.change("envstack-bucket-public-access-block", restrictPublicBuckets=False), {}),
        ("bucket policy without the TLS deny", "envstack-s3-tls-only", "envstack-bucket",
         lambda: base.change("envstack-bucket-policy", policy=_private_read_policy(bucket_arn)), {}),
        ("dead-letter queue without its TLS-only policy", "envstack-tls-only-access", "envstack-dlq",
         lambda: base.without("envstack-dlq-policy"), {}),
        ("topic policy that refuses only plain subscribing", "envstack-tls-only-access", "envstack-topic",
         lambda: base.change("envstack-topic-policy", policy=_deny_plain_subscribing(topic_arn)), {}),
        ("function on a deprecated runtime", "envstack-lambda-runtime", "envstack-function",
         lambda: base.change("envstack-function", runtime="python3.8"), {}),
        ("DLQ behind the function's queue with its alarm gone", "envstack-sqs-dlq-alarm", "envstack-dlq",
         lambda: base.without("envstack-dlq-alarm"), {}),
        ("queue feeding the function without a DLQ", "envstack-sqs-lambda-dlq", "envstack-queue",
         lambda: base.change("envstack-queue", redrivePolicy=REMOVE), {}),
        ("topic without the Environment tag", "envstack-tags-required", "envstack-topic",
         lambda: base.change("envstack-topic", tags={"ManagedBy": "envstack"}), {}),
        ("role with AWS's AdministratorAccess attached", "envstack-iam-no-admin-managed-policy",
         f"admin-attach-{stack}", lambda: base.add(admin_attachment), {}),
        ("role any principal may assume", "envstack-iam-trust-any-principal", "envstack-role",
         lambda: base.change("envstack-role", assumeRolePolicy=anyone_may_assume), {}),
        ("queue policy open to any principal", "envstack-sqs-public-policy", f"ingest-policy-{stack}",
         lambda: base.add(queue_policy), {}),
        ("queue policy granting the account every action", "envstack-sqs-all-actions",
         f"ingest-all-{stack}", lambda: base.add(queue_policy_all_actions), {}),
        ("topic policy open to any principal", "envstack-sns-public-policy", f"events-policy-{stack}",
         lambda: base.add(topic_policy), {}),
        ("bucket policy that also lets anyone read", "envstack-s3-public-policy", "envstack-bucket-policy",
         lambda: base.change("envstack-bucket-policy", policy=public_bucket_policy), {}),
        ("function any principal may invoke", "envstack-lambda-public-permission", f"invoke-anyone-{stack}",
         lambda: base.add(permission), {}),
        ("bucket with the public-read canned ACL", "envstack-s3-public-acl", "envstack-bucket",
         lambda: base.change("envstack-bucket", acl="public-read"), {}),
        ("bucket ownership controls that leave ACLs on", "envstack-s3-acls-disabled",
         "envstack-bucket-ownership", lambda: base.change("envstack-bucket-ownership", rule=writer), {}),
        ("bucket ACL granting AllUsers read", "envstack-s3-public-acl", f"data-acl-{stack}",
         lambda: base.add(bucket_acl), {}),
        ("hand-written RDS instance without storage encryption", "envstack-rds-storage-encryption",
         f"orders-db-{stack}",
         lambda: base.add(_database(stack, project, deletion_protection=False, encrypted=False)), {}),
        ("table without point-in-time recovery", "envstack-dynamodb-pitr", "envstack-table",
         lambda: base.change("envstack-table", pointInTimeRecovery={"enabled": False}), {}),
        ("log group that keeps events forever", "envstack-logs-retention", "envstack-logs",
         lambda: base.change("envstack-logs", retentionInDays=REMOVE), {}),
        ("bucket with versioning suspended", "envstack-s3-versioning", "envstack-bucket",
         lambda: base.change("envstack-bucket-versioning", versioningConfiguration=suspended), {}),
        ("queue less visible than its function runs", "envstack-sqs-visibility-timeout", "envstack-queue",
         lambda: base.change("envstack-queue", visibilityTimeoutSeconds=30), {}),
        ("hand-written RDS instance without IAM sign-in", "envstack-rds-iam-auth", f"orders-db-{stack}",
         lambda: base.add(_with(database, iamDatabaseAuthenticationEnabled=False)), {}),
        ("hand-written RDS instance with a public address", "envstack-rds-public", f"orders-db-{stack}",
         lambda: base.add(_with(database, publiclyAccessible=True)), {}),
        ("function URL anyone may call", "envstack-lambda-url-auth", f"processor-url-{stack}",
         lambda: base.add(function_url), {}),
        ("DB snapshot shared with every account", "envstack-rds-snapshot-public", f"orders-snapshot-{stack}",
         lambda: base.add(public_snapshot), {}),
        ("access point with its public access block off", "envstack-s3-access-point-public",
         f"data-access-{stack}", lambda: base.add(public_access_point), {}),
        ("permission for S3 with no source bucket", "envstack-lambda-service-permission",
         f"invoke-from-s3-{stack}", lambda: base.add(service_permission), {}),
        ("hand-written KMS key without rotation", "envstack-kms-key-rotation", f"data-key-{stack}",
         lambda: base.add(_kms_key(stack, project, enableKeyRotation=False)), {}),
        ("KMS key policy open to any principal", "envstack-kms-public-policy", f"data-key-{stack}",
         lambda: base.add(open_key), {}),
        ("log group that destroy leaves behind", "envstack-destroy-leaves-nothing", "envstack-logs",
         lambda: base.change("envstack-logs", skipDestroy=True), {}),
        ("RDS instance that needs a final snapshot", "envstack-destroy-leaves-nothing", f"orders-db-{stack}",
         lambda: base.add(_with(database, skipFinalSnapshot=False)), {}),
        ("function with an access key in its environment", "envstack-lambda-env-secrets",
         "envstack-function",
         lambda: base.change("envstack-function", environment=with_access_key), {}),
        ("KMS key with a 30-day deletion window", "envstack-destroy-leaves-nothing", f"data-key-{stack}",
         lambda: base.add(_kms_key(stack, project, deletionWindowInDays=30)), {}),
        ("bucket policy that lets only the root user change it", "envstack-s3-policy-lockout",
         "envstack-bucket-policy",
         lambda: base.change("envstack-bucket-policy", policy=json.dumps(lockout_policy)), {}),
        ("cluster snapshot that is not encrypted", "envstack-rds-cluster-snapshot-encryption",
         f"reports-snapshot-{stack}", lambda: base.add(unencrypted_cluster_snapshot), {}),
        ("RDS instance whose parameter group leaves TLS optional", "envstack-rds-tls-in-transit",
         f"orders-db-{stack}",
         lambda: base.add(plain_parameters).add(_with(database, parameterGroupName=f"orders-params-{stack}")),
         {}),
        ("legacy global table with a replica the stack does not declare",
         "envstack-dynamodb-global-table-pitr", f"table-global-{stack}", lambda: base.add(global_table), {}),
        ("role policy reading any object, with '*' allow-listed", "envstack-iam-risky-actions",
         "envstack-role-policy",
         lambda: base.change("envstack-role-policy", policy=read_anything), star_allowed),
        ("role GitHub Actions may assume from any repository", "envstack-iam-github-oidc-trust",
         "envstack-role", lambda: base.change("envstack-role", assumeRolePolicy=any_repository), {}),
        ("topic policy for another account without a condition", "envstack-sns-cross-account",
         f"events-partner-{stack}", lambda: base.add(other_account_topic_policy), {}),
    ]  # fmt: skip
    return [
        Sample(title, policy, subject, build(), config) for title, policy, subject, build, config in cases
    ]


def subjects(samples: Sequence[Sample]) -> set[str]:
    """The policies the samples cover (a test checks this is every policy of the pack)."""
    return {sample.policy for sample in samples}
