"""What pulumi-aws does on AWS for each resource type the component registers, as boto3 calls.

This module is the one owner of the translation from a pulumi-aws resource's
inputs (the engine's camelCase property names) to AWS API calls. The stand-in
plugin's moto-backed mode (``provider.MotoBackedAws``) calls it for the
engine's ``Create``, ``Read``, ``Update`` and ``Delete``, and ``moto_stack``
calls it to build a recorded stack without the engine; nothing else speaks
to AWS on a resource's behalf.

Each type has four operations, shaped as the Terraform AWS provider that
pulumi-aws bridges shapes them:

- ``create`` makes the calls that bring the resource into being and returns
  its id (the id pulumi-aws uses: a bucket's name, a queue's URL, a topic's
  ARN, a mapping's UUID, ``role:policy`` for an inline policy);
- ``observe`` reads the resource back and returns its properties under
  pulumi-aws's names, or ``None`` when AWS no longer has it. As in Terraform,
  every create and update ends with this read, so every output the stand-in
  returns (ARNs, URLs, ids, retention, status) is what AWS answered. A value
  that means the same as the input (a JSON document AWS re-serialised, tags
  in another order) is returned as the input spelled it, so that a refresh
  shows only real drift;
- ``update`` makes the calls that change what differs;
- ``delete`` removes it as pulumi-aws does: a ``forceDestroy`` bucket is
  emptied of every version first, a bucket without it is deleted as it is
  (and AWS answers ``BucketNotEmpty``), a versioning resource suspends
  versioning, a redrive-allow or queue policy is cleared, a topic policy
  goes back to SNS's default.

A few values have no AWS API that returns them, and pulumi-aws composes them
from what AWS did return: an S3 bucket's ARN and domain names, a function's
invoke ARN. Those are composed the same way here. Inputs that no call
carries are refused by name (``UnsupportedInputError``), so a resource the
component starts declaring differently fails loudly instead of half-created.

What moto cannot do is left out and said so where it happens: the event
source mapping is created and kept by moto, but moto would run the function
in Docker to serve it, so ``moto_server`` keeps moto from invoking it and the
test kit's ``EventSourceMapping`` polls the queue in Lambda's place.
"""

import io
import json
import zipfile
from collections.abc import Callable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ARCHIVE_SIGNATURE = "0def7320c3a5731c473e5ecbe6d01bc7"
ASSET_SIGNATURE = "c44067f5952c0a294b673a41bacd8c17"
SIGNATURE_KEY = "4dabf18193072939515e22adb298388d"
"""How the engine marks an archive or an asset among a resource's properties."""

CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=5, read_timeout=60)

SERVICE_ENDPOINT_KEYS: Mapping[str, tuple[str, ...]] = {
    "s3": ("s3",),
    "dynamodb": ("dynamodb",),
    "sqs": ("sqs",),
    "sns": ("sns",),
    "iam": ("iam",),
    "lambda": ("lambda",),
    "logs": ("cloudwatchlogs", "logs"),
    "cloudwatch": ("cloudwatch",),
    "sts": ("sts",),
}
"""Each boto3 service and the keys of pulumi-aws's ``endpoints`` provider config that name its URL."""

Inputs = Mapping[str, Any]
Observed = dict[str, Any]


class UnsupportedInputError(ValueError):
    """An input the stand-in does not translate into any AWS call."""


class PartialCreateError(Exception):
    """A create that failed after the resource came into being: AWS holds it, not yet as declared.

    The plugin hands the engine the resource's id with the error (pulumi's
    ``ErrorResourceInitFailed``), as pulumi-aws does, so the state records it
    with its initialization error: a later ``up`` finishes it and ``destroy``
    removes it, instead of leaving it on AWS unknown to the state.
    """

    def __init__(self, resource_id: str, cause: Exception) -> None:
        self.resource_id = resource_id
        self.cause = cause
        super().__init__(str(cause))


class NoEndpointError(RuntimeError):
    """A service without a configured endpoint: the stand-in never calls real AWS."""


@dataclass
class Aws:
    """boto3 clients of one account and region, each sent to its configured endpoint."""

    session: boto3.session.Session
    region: str
    endpoints: Mapping[str, str]
    """boto3 service name to URL."""
    partition: str = "aws"
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    def client(self, service: str) -> Any:
        """The service's client; a service with no endpoint is refused rather than sent to AWS."""
        if service not in self._clients:
            url = self.endpoints.get(service)
            if not url:
                keys = " or ".join(SERVICE_ENDPOINT_KEYS.get(service, (service,)))
                raise NoEndpointError(f"no endpoint for {service}: set aws:endpoints[0].{keys}")
            self._clients[service] = self.session.client(  # type: ignore[call-overload]
                service, endpoint_url=url, region_name=self.region, config=CLIENT_CONFIG
            )
        return self._clients[service]


def error_code(error: ClientError) -> str:
    """The AWS error code of a failed call."""
    return str(error.response.get("Error", {}).get("Code", ""))


def _missing(error: ClientError, *codes: str) -> bool:
    return (
        error_code(error) in codes or error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404
    )


def _refuse_unknown(type_token: str, inputs: Inputs, known: AbstractSet[str]) -> None:
    unknown = sorted(k for k in inputs if k not in known and not k.startswith("__"))
    if unknown:
        raise UnsupportedInputError(
            f"{type_token}: the stand-in translates no AWS call for input(s) {unknown};"
            f" it knows {sorted(known)}"
        )


def _same_json(observed: Any, given: Any) -> Any:
    """``given`` when both are the same JSON document, else ``observed`` as a JSON string."""
    parsed = json.loads(observed) if isinstance(observed, str) else observed
    if isinstance(given, str):
        try:
            if json.loads(given) == parsed:
                return given
        except ValueError:
            pass
    return observed if isinstance(observed, str) else json.dumps(parsed, sort_keys=True)


def _tags(inputs: Inputs) -> dict[str, str]:
    return {str(k): str(v) for k, v in (inputs.get("tags") or {}).items()}


def _with_tags(observed: Observed, tags: Mapping[str, str]) -> Observed:
    """pulumi-aws's ``tags`` and ``tagsAll``: with no default tags configured, both are AWS's tags."""
    return {**observed, "tags": dict(tags), "tagsAll": dict(tags)}


class ResourceType(Protocol):
    """The four operations of one pulumi-aws resource type."""

    def create(self, aws: Aws, inputs: Inputs) -> str:
        """Bring the resource into being; return its id."""
        ...

    def observe(self, aws: Aws, resource_id: str, inputs: Inputs) -> Observed | None:
        """Its properties as AWS has them, or ``None`` when it is gone."""
        ...

    def update(self, aws: Aws, resource_id: str, olds: Inputs, news: Inputs) -> None:
        """Make AWS match ``news``."""
        ...

    def delete(self, aws: Aws, resource_id: str, state: Inputs) -> None:
        """Remove it."""
        ...


# --- S3 -----------------------------------------------------------------------------------------


def _bucket_arn(aws: Aws, name: str) -> str:
    return f"arn:{aws.partition}:s3:::{name}"


def empty_bucket(s3: Any, bucket: str) -> int:
    """Delete every object version and delete marker, as ``forceDestroy`` does; return how many.

    Each round lists the first page again rather than following the
    listing's markers: the markers name versions this very loop deleted, and
    moto then ends the listing early (after 1,000 of 10,000 versions).
    """
    removed = 0
    while True:
        page = s3.list_object_versions(Bucket=bucket, MaxKeys=1000)
        entries = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for v in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
        ]
        if not entries:
            return removed
        result = s3.delete_objects(Bucket=bucket, Delete={"Objects": entries, "Quiet": True})
        if result.get("Errors"):
            raise RuntimeError(f"emptying bucket {bucket}: {result['Errors'][:3]}")
        removed += len(entries)


class _Bucket:
    """``aws:s3/bucket:Bucket``: CreateBucket and its tags; id is the bucket's name."""

    KNOWN = frozenset({"bucket", "forceDestroy", "tags", "objectLockEnabled"})

    def create(self, aws: Aws, inputs: Inputs) -> str:
        _refuse_unknown("aws:s3/bucket:Bucket", inputs, self.KNOWN)
        name = str(inputs["bucket"])
        s3 = aws.client("s3")
        params: dict[str, Any] = {"Bucket": name}
        if aws.region != "us-east-1":
            params["CreateBucketConfiguration"] = {"LocationConstraint": aws.region}
        if inputs.get("objectLockEnabled"):
            params["ObjectLockEnabledForBucket"] = True
        s3.create_bucket(**params)
        self._put_tags(s3, name, _tags(inputs))
        return name

    @staticmethod
    def _put_tags(s3: Any, name: str, tags: Mapping[str, str]) -> None:
        if tags:
            s3.put_bucket_tagging(
                Bucket=name, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]}
            )
        else:
            s3.delete_bucket_tagging(Bucket=name)

    def observe(self, aws: Aws, resource_id: str, inputs: Inputs) -> Observed | None:
        s3 = aws.client("s3")
        try:
            s3.head_bucket(Bucket=resource_id)
        except ClientError as error:
            if _missing(error, "NoSuchBucket", "404"):
                return None
            raise
        region = s3.get_bucket_location(Bucket=resource_id).get("LocationConstraint") or "us-east-1"
        try:
            tag_set = s3.get_bucket_tagging(Bucket=resource_id)["TagSet"]
        except ClientError as error:
            if error_code(error) != "NoSuchTagSet":
                raise
            tag_set = []
        observed = {
            "bucket": resource_id,
            "arn": _bucket_arn(aws, resource_id),
            "region": region,
            "bucketDomainName": f"{resource_id}.s3.amazonaws.com",
            "bucketRegionalDomainName": f"{resource_id}.s3.{region}.amazonaws.com",
            "forceDestroy": bool(inputs.get("forceDestroy", False)),
        }
        return _with_tags(observed, {t["Key"]: t["Value"] for t in tag_set})

    def update(self, aws: Aws, resource_id: str, olds: Inputs, news: Inputs) -> None:
        _refuse_unknown("aws:s3/bucket:Bucket", news, self.KNOWN)
        if _tags(olds) != _tags(news):
            self._put_tags(aws.client("s3"), resource_id, _tags(news))
        # forceDestroy lives in the state only: it changes what delete does, not the bucket.

    def delete(self, aws: Aws, resource_id: str, state: Inputs) -> None:
        s3 = aws.client("s3")
        if state.get("forceDestroy"):
            empty_bucket(s3, resource_id)
        s3.delete_bucket(Bucket=resource_id)


@dataclass(frozen=True)
class _BucketSetting:
    """A per-concern bucket resource (versioning, encryption, ...): one put, one get, one delete call.

    Its id is the bucket's name, as pulumi-aws v7 names it.
    """

    type_token: str
    known: frozenset[str]
    put: Callable[[Any, str, Inputs], None]
    get: Callable[[Any, str, Inputs], Observed | None]
    remove: Callable[[Any, str], None]

    def create(self, aws: Aws, inputs: Inputs) -> str:
        _refuse_unknown(self.type_token, inputs, self.known)
        bucket = str(inputs["bucket"])
        self.put(aws.client("s3"), bucket, inputs)
        return bucket

    def observe(self, aws: Aws, resource_id: str, inputs: Inputs) -> Observed | None:
        try:
            found = self.get(aws.client("s3"), resource_id, inputs)
        except ClientError as error:
            if _missing(error, "NoSuchBucket"):
                return None
            raise
        return None if found is None else {"bucket": resource_id, **found}

    def update(self, aws: Aws, resource_id: str, olds: Inputs, news: Inputs) -> None:
        _refuse_unknown(self.type_token, news, self.known)
        self.put(aws.client("s3"), resource_id, news)

    def delete(self, aws: Aws, resource_id: str, state: Inputs) -> None:
        self.remove(aws.client("s3"), resource_id)


def _put_versioning(s3: Any, bucket: str, inputs: Inputs) -> None:
    s3.put_bucket_versioning(
        Bucket=bucket, VersioningConfiguration={"Status": inputs["versioningConfiguration"]["status"]}
    )


def _get_versioning(s3: Any, bucket: str, inputs: Inputs) -> Observed | None:
    status = s3.get_bucket_versioning(Bucket=bucket).get("Status")
    if not status:
        return None
    return {"versioningConfiguration": {**(inputs.get("versioningConfiguration") or {}), "status": status}}


def _suspend_versioning(s3: Any, bucket: str) -> None:
    # A bucket's versioning can only be suspended, never removed; pulumi-aws's delete suspends it.
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})


def _sse_default(rule: Inputs) -> dict[str, Any]:
    given = rule["applyServerSideEncryptionByDefault"]
    default = {"SSEAlgorithm": given["sseAlgorithm"]}
    if given.get("kmsMasterKeyId"):
        default["KMSMasterKeyID"] = given["kmsMasterKeyId"]
    return default


def _put_encryption(s3: Any, bucket: str, inputs: Inputs) -> None:
    rules = [
        {
            "ApplyServerSideEncryptionByDefault": _sse_default(rule),
            "BucketKeyEnabled": bool(rule.get("bucketKeyEnabled", False)),
        }
        for rule in inputs["rules"]
    ]
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": rules})


def _get_encryption(s3: Any, bucket: str, inputs: Inputs) -> Observed | None:
    try:
        rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    except ClientError as error:
        if error_code(error) == "ServerSideEncryptionConfigurationNotFoundError":
            return None
        raise
    observed = []
    for rule in rules:
        default = rule.get("ApplyServerSideEncryptionByDefault", {})
        by_default: dict[str, Any] = {"sseAlgorithm": default.get("SSEAlgorithm")}
        if default.get("KMSMasterKeyID"):
            by_default["kmsMasterKeyId"] = default["KMSMasterKeyID"]
        observed.append(
            {
                "applyServerSideEncryptionByDefault": by_default,
                "bucketKeyEnabled": bool(rule.get("BucketKeyEnabled", False)),
            }
        )
    return {"rules": observed}


def _lifecycle_rule(rule: Inputs) -> dict[str, Any]:
    aws_rule: dict[str, Any] = {"ID": rule["id"], "Status": rule["status"]}
    if "filter" in rule:
        aws_rule["Filter"] = {"Prefix": (rule["filter"] or {}).get("prefix", "")}
    if "noncurrentVersionExpiration" in rule:
        aws_rule["NoncurrentVersionExpiration"] = {
            "NoncurrentDays": int(rule["noncurrentVersionExpiration"]["noncurrentDays"])
        }
    if "abortIncompleteMultipartUpload" in rule:
        aws_rule["AbortIncompleteMultipartUpload"] = {
            "DaysAfterInitiation": int(rule["abortIncompleteMultipartUpload"]["daysAfterInitiation"])
        }
    if "expiration" in rule:
        aws_rule["Expiration"] = {"Days": int(rule["expiration"]["days"])}
    return aws_rule


def _put_lifecycle(s3: Any, bucket: str, inputs: Inputs) -> None:
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket, LifecycleConfiguration={"Rules": [_lifecycle_rule(r) for r in inputs["rules"]]}
    )


def _get_lifecycle(s3: Any, bucket: str, inputs: Inputs) -> Observed | None:
    try:
        rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    except ClientError as error:
        if error_code(error) == "NoSuchLifecycleConfiguration":
            return None
        raise
    observed = []
    for rule in rules:
        entry: dict[str, Any] = {"id": rule.get("ID"), "status": rule["Status"]}
        if "Filter" in rule:
            entry["filter"] = {"prefix": rule["Filter"].get("Prefix", "")}
        if "NoncurrentVersionExpiration" in rule:
            entry["noncurrentVersionExpiration"] = {
                "noncurrentDays": rule["NoncurrentVersionExpiration"]["NoncurrentDays"]
            }
        if "AbortIncompleteMultipartUpload" in rule:
            entry["abortIncompleteMultipartUpload"] = {
                "daysAfterInitiation": rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"]
            }
        if "Expiration" in rule:
            entry["expiration"] = {"days": rule["Expiration"].get("Days")}
        observed.append(entry)
    return {"rules": observed}


_PUBLIC_ACCESS_FLAGS = {
    "blockPublicAcls": "BlockPublicAcls",
    "ignorePublicAcls": "IgnorePublicAcls",
    "blockPublicPolicy": "BlockPublicPolicy",
    "restrictPublicBuckets": "RestrictPublicBuckets",
}


def _put_public_access_block(s3: Any, bucket: str, inputs: Inputs) -> None:
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            aws: bool(inputs.get(key, False)) for key, aws in _PUBLIC_ACCESS_FLAGS.items()
        },
    )


def _get_public_access_block(s3: Any, bucket: str, inputs: Inputs) -> Observed | None:
    try:
        found = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    except ClientError as error:
        if error_code(error) == "NoSuchPublicAccessBlockConfiguration":
            return None
        raise
    return {key: bool(found.get(aws, False)) for key, aws in _PUBLIC_ACCESS_FLAGS.items()}


def _put_ownership(s3: Any, bucket: str, inputs: Inputs) -> None:
    s3.put_bucket_ownership_controls(
        Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": inputs["rule"]["objectOwnership"]}]}
    )


def _get_ownership(s3: Any, bucket: str, inputs: Inputs) -> Observed | None:
    try:
        rules = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    except ClientError as error:
        if error_code(error) == "OwnershipControlsNotFoundError":
            return None
        raise
    return {"rule": {"objectOwnership": rules[0]["ObjectOwnership"]}} if rules else None


def _put_policy(s3: Any, bucket: str, inputs: Inputs) -> None:
    s3.put_bucket_policy(Bucket=bucket, Policy=str(inputs["policy"]))


def _get_policy(s3: Any, bucket: str, inputs: Inputs) -> Observed | None:
    try:
        policy = s3.get_bucket_policy(Bucket=bucket)["Policy"]
    except ClientError as error:
        if error_code(error) == "NoSuchBucketPolicy":
            return None
        raise
    return {"policy": _same_json(policy, inputs.get("policy"))}


# --- DynamoDB -----------------------------------------------------------------------------------


class _Table:
    """``aws:dynamodb/table:Table``: CreateTable, then point-in-time recovery; id is the name."""

    KNOWN = frozenset(
        {
            "name",
            "billingMode",
            "hashKey",
            "rangeKey",
            "attributes",
            "globalSecondaryIndexes",
            "pointInTimeRecovery",
            "serverSideEncryption",
            "deletionProtectionEnabled",
            "tags",
        }
    )

    def create(self, aws: Aws, inputs: Inputs) -> str:
        _refuse_unknown("aws:dynamodb/table:Table", inputs, self.KNOWN)
        dynamodb = aws.client("dynamodb")
        name = str(inputs["name"])
        keys = [{"AttributeName": inputs["hashKey"], "KeyType": "HASH"}]
        if inputs.get("rangeKey"):
            keys.append({"AttributeName": inputs["rangeKey"], "KeyType": "RANGE"})
        params: dict[str, Any] = {
            "TableName": name,
            "BillingMode": inputs.get("billingMode", "PROVISIONED"),
            "KeySchema": keys,
            "AttributeDefinitions": [
                {"AttributeName": a["name"], "AttributeType": a["type"]} for a in inputs["attributes"]
            ],
            "DeletionProtectionEnabled": bool(inputs.get("deletionProtectionEnabled", False)),
        }
        indexes = [
            {
                "IndexName": index["name"],
                "KeySchema": [
                    {"AttributeName": key["attributeName"], "KeyType": key["keyType"]}
                    for key in index["keySchemas"]
                ],
                "Projection": {"ProjectionType": index["projectionType"]},
            }
            for index in inputs.get("globalSecondaryIndexes") or []
        ]
        if indexes:
            params["GlobalSecondaryIndexes"] = indexes
        sse = inputs.get("serverSideEncryption") or {}
        if sse.get("enabled"):
            params["SSESpecification"] = {"Enabled": True, "SSEType": "KMS"}
            if sse.get("kmsKeyArn"):
                params["SSESpecification"]["KMSMasterKeyId"] = sse["kmsKeyArn"]
        if _tags(inputs):
            params["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(_tags(inputs).items())]
        dynamodb.create_table(**params)
        dynamodb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
        if (inputs.get("pointInTimeRecovery") or {}).get("enabled"):
            try:
                self._pitr(dynamodb, name, enabled=True)
            except ClientError as error:
                raise PartialCreateError(name, error) from error
        return name

    @staticmethod
    def _pitr(dynamodb: Any, name: str, *, enabled: bool) -> None:
        dynamodb.update_continuous_backups(
            TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": enabled}
        )

    def observe(self, aws: Aws, resource_id: str, inputs: Inputs) -> Observed | None:
        dynamodb = aws.client("dynamodb")
        try:
            table = dynamodb.describe_table(TableName=resource_id)["Table"]
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return None
            raise
        backups = dynamodb.describe_continuous_backups(TableName=resource_id)["ContinuousBackupsDescription"]
        pitr = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus") == "ENABLED"
        tags = dynamodb.list_tags_of_resource(ResourceArn=table["TableArn"]).get("Tags", [])
        sse = {**(inputs.get("serverSideEncryption") or {})}
        sse["enabled"] = table.get("SSEDescription", {}).get("Status") == "ENABLED"
        observed = {
            "name": table["TableName"],
            "arn": table["TableArn"],
            "billingMode": table.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED"),
            "hashKey": next(k["AttributeName"] for k in table["KeySchema"] if k["KeyType"] == "HASH"),
            "pointInTimeRecovery": {**(inputs.get("pointInTimeRecovery") or {}), "enabled": pitr},
            "serverSideEncryption": sse,
            "deletionProtectionEnabled": bool(table.get("DeletionProtectionEnabled", False)),
            "streamArn": table.get("LatestStreamArn", ""),
            "region": aws.region,
        }
        return _with_tags(observed, {t["Key"]: t["Value"] for t in tags})

    def update(self, aws: Aws, resource_id: str, olds: Inputs, news: Inputs) -> None:
        _refuse_unknown("aws:dynamodb/table:Table", news, self.KNOWN)
        dynamodb = aws.client("dynamodb")
        changed = {k for k in {*olds, *news} if olds.get(k) != news.get(k)}
        # As Terraform does, point-in-time recovery is compared with what AWS has, not with the
        # last inputs: after a partial create (the table made, PITR refused) the inputs match
        # while the table still lacks it, and the engine's update must finish the job.
        backups = dynamodb.describe_continuous_backups(TableName=resource_id)["ContinuousBackupsDescription"]
        pitr = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus") == "ENABLED"
        if pitr != bool((news.get("pointInTimeRecovery") or {}).get("enabled")):
            changed.add("pointInTimeRecovery")
        updatable = {"pointInTimeRecovery", "deletionProtectionEnabled", "tags"}
        if changed - updatable:
            raise UnsupportedInputError(
                f"aws:dynamodb/table:Table: the stand-in cannot update {sorted(changed - updatable)}"
            )
        if "deletionProtectionEnabled" in changed:
            dynamodb.update_table(
                TableName=resource_id, DeletionProtectionEnabled=bool(news.get("deletionProtectionEnabled"))
            )
        if "pointInTimeRecovery" in changed:
            self._pitr(
                dynamodb, resource_id, enabled=bool((news.get("pointInTimeRecovery") or {}).get("enabled"))
            )
        if "tags" in changed:
            arn = dynamodb.describe_table(TableName=resource_id)["Table"]["TableArn"]
            removed = sorted(set(_tags(olds)) - set(_tags(news)))
            if removed:
                dynamodb.untag_resource(ResourceArn=arn, TagKeys=removed)
            if _tags(news):
                dynamodb.tag_resource(
                    ResourceArn=arn, Tags=[{"Key": k, "Value": v} for k, v in sorted(_tags(news).items())]
                )

    def delete(self, aws: Aws, resource_id: str, state: Inputs) -> None:
        aws.client("dynamodb").delete_table(TableName=resource_id)


# --- SQS ----------------------------------------------------------------------------------------

_QUEUE_ATTRIBUTES: Mapping[str, str] = {
    "messageRetentionSeconds": "MessageRetentionPeriod",
    "visibilityTimeoutSeconds": "VisibilityTimeout",
    "delaySeconds": "DelaySeconds",
    "maxMessageSize": "MaximumMessageSize",
    "receiveWaitTimeSeconds": "ReceiveMessageWaitTimeSeconds",
    "redrivePolicy": "RedrivePolicy",
    "sqsManagedSseEnabled": "SqsManagedSseEnabled",
    "kmsMasterKeyId": "KmsMasterKeyId",
    "policy": "Policy",
}
"""pulumi-aws's queue inputs and the SQS attributes they set."""
_JSON_ATTRIBUTES = {"redrivePolicy", "policy"}


def _attribute_value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _queue_attributes(inputs: Inputs) -> dict[str, str]:
    return {
        attribute: _attribute_value(key, inputs[key])
        for key, attribute in _QUEUE_ATTRIBUTES.items()
        if inputs.get(key) is not None
    }


class _Queue:
    """``aws:sqs/queue:Queue``: CreateQueue with its attributes and tags; id is the queue's URL."""

    KNOWN = frozenset({"name", "tags", *_QUEUE_ATTRIBUTES})

    def create(self, aws: Aws, inputs: Inputs) -> str:
        _refuse_unknown("aws:sqs/queue:Queue", inputs, self.KNOWN)
        params: dict[str, Any] = {"QueueName": str(inputs["name"]), "Attributes": _queue_attributes(inputs)}
        if _tags(inputs):
            params["tags"] = _tags(inputs)
        return str(aws.client("sqs").create_queue(**params)["QueueUrl"])

    def observe(self, aws: Aws, resource_id: str, inputs: Inputs) -> Observed | None:
        sqs = aws.client("sqs")
        try:
            attributes = sqs.get_queue_attributes(QueueUrl=resource_id, AttributeNames=["All"])["Attributes"]
        except ClientError as error:
            if _missing(error, "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"):
                return None
            raise
        observed: Observed = {
            "arn": attributes["QueueArn"],
            "url": resource_id,
            "name": attributes["QueueArn"].rsplit(":", 1)[-1],
            "region": aws.region,
        }
        for key, attribute in _QUEUE_ATTRIBUTES.items():
            if attribute not in attributes:
                continue
            if key == "policy" and inputs.get("policy") is None:
                # A policy the queue does not set is a QueuePolicy's, which reads it back itself;
                # taking it into the queue's state too would show a refresh of an unchanged stack as drift.
                continue
            value: Any = attributes[attribute]
            if key in _JSON_ATTRIBUTES:
                value = _same_json(value, inputs.get(key))
            elif key == "sqsManagedSseEnabled":
                value = value == "true"
            elif value.isdigit():
                value = int(value)
            observed[key] = value
        tags = sqs.list_queue_tags(QueueUrl=resource_id).get("Tags", {})
        return _with_tags(observed, tags)

    def update(self, aws: Aws, resource_id: str, olds: Inputs, news: Inputs) -> None:
        _refuse_unknown("aws:sqs/queue:Queue", news, self.KNOWN)
        sqs = aws.client("sqs")
        changed = {
            attribute: value
            for attribute, value in _queue_attributes(news).items()
            if _queue_attributes(olds).get(attribute) != value
        }
        if changed:
            sqs.set_queue_attributes(QueueUrl=resource_id, Attributes=changed)
        removed = sorted(set(_tags(olds)) - set(_tags(news)))
        if removed:
            sqs.untag_queue(QueueUrl=resource_id, TagKeys=removed)
        if _tags(news) != _tags(olds) and _tags(news):
            sqs.tag_queue(QueueUrl=resource_id, Tags=_tags(news))

    def delete(self, aws: Aws, resource_id: str, state: Inputs) -> None:
        aws.client("sqs").delete_queue(QueueUrl=resource_id)


class _QueueAttribute:
    """A pulumi-aws resource that is one attribute of a queue (a policy document); id is the queue's URL.

    ``aws:sqs/redriveAllowPolicy:RedriveAllowPolicy`` is the ``RedriveAllowPolicy``
    attribute, ``aws:sqs/queuePolicy:QueuePolicy`` the ``Policy`` attribute. As
    pulumi-aws does, delete sets the attribute to empty, which removes it.
    """

    def __init__(self, type_token: str, attribute: str, prop: str, read_names: tuple[str, ...]) -> None:
        self.type_token = type_token
        self.attribute = attribute
        self.prop = prop
        self.read_names = list(read_names)
        """What GetQueueAttributes asks for: moto refuses ``RedriveAllowPolicy`` by name, as older SQS did."""
        self.KNOWN = frozenset({"queueUrl", prop})

    def create(self, aws: Aws, inputs: Inputs) -> str:
        _refuse_unknown(self.type_token, inputs, self.KNOWN)
        url = str(inputs["queueUrl"])
        self._set(aws, url, str(inputs[self.prop]))
        return url

    def _set(self, aws: Aws, url: str, value: str) -> None:
        aws.client("sqs").set_queue_attributes(QueueUrl=url, Attributes={self.attribute: value})

    def observe(self, aws: Aws, resource_id: str, inputs: Inputs) -> Observed | None:
        try:
            answer = aws.client("sqs").get_queue_attributes(
                QueueUrl=resource_id, AttributeNames=self.read_names
            )
            attributes = answer.get("Attributes", {})  # absent when the queue has none of those asked for
        except ClientError as error:
            if _missing(error, "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"):
                return None
            raise
        value = attributes.get(self.attribute)
        if not value:
            return None
        return {"queueUrl": resource_id, self.prop: _same_json(value, inputs.get(self.prop))}

    def update(self, aws: Aws, resource_id: str, olds: Inputs, news: Inputs) -> None:
        _refuse_unknown(self.type_token, news, self.KNOWN)
        self._set(aws, resource_id, str(news[self.prop]))

    def delete(self, aws: Aws, resource_id: str, state: Inputs) -> None:
        self._set(aws, resource_id, "")


# --- SNS ----------------------------------------------------------------------------------------


class _Topic:
    """``aws:sns/topic:Topic``: CreateTopic with its attributes and tags; id is the topic's ARN."""

    KNOWN = frozenset({"name", "kmsMasterKeyId", "tags"})

    def create(self, aws: Aws, inputs: Inputs) -> str:
        _refuse_unknown("aws:sns/topic:Topic", inputs, self.KNOWN)
        params: dict[str, Any] = {"Name": str(inputs["name"]), "Attributes": {}}
        if inputs.get("kmsMasterKeyId"):
            params["Attributes"]["KmsMasterKeyId"] = str(inputs["kmsMasterKeyId"])
        if _tags(inputs):
            params["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(_tags(inputs).items())]
        return str(aws.client("sns").create_topic(**params)["TopicArn"])

    def observe(self, aws: Aws, resource_id: str, inputs: Inputs) -> Observed | None:
        sns = aws.client("sns")
        try:
            attributes = sns.get_topic_attributes(TopicArn=resource_id)["Attributes"]
        except ClientError as error:
            if _missing(error, "NotFound"):
                return None
            raise
        tags = sns.list_tags_for_resource(ResourceArn=resource_id).get("Tags", [])
        observed = {
            "arn": attributes["TopicArn"],
            "name": attributes["TopicArn"].rsplit(":", 1)[-1],
            "owner": attributes.get("Owner", ""),
            "kmsMasterKeyId": attributes.get("KmsMasterKeyId", ""),
            "region": aws.region,
        }
        return _with_tags(observed, {t["Key"]: t["Value"] for t in tags})

    def update(self, aws: Aws, resource_id: str, olds: Inputs, news: Inputs) -> None:
        _refuse_unknown("aws:sns/topic:Topic", news, self.KNOWN)
        sns = aws.client("sns")
        if olds.get("kmsMasterKeyId") != news.get("kmsMasterKeyId"):
            sns.set_topic_attributes(
                TopicArn=resource_id,
                AttributeName="KmsMasterKeyId",
                AttributeValue=str(news.get("kmsMasterKeyId") or ""),
            )
        if _tags(olds) != _tags(news):
            removed = sorted(set(_tags(olds)) - set(_tags(news)))
            if removed:
                sns.untag_resource(ResourceArn=resource_id, TagKeys=removed)
            if _tags(news):
                sns.tag_resource(
                    ResourceArn=resource_id,
                    Tags=[{"Key": k, "Value": v} for k, v in sorted(_tags(news).items())],
                )

    def delete(self, aws: Aws, resource_id: str, state: Inputs) -> None:
        aws.client("sns").delete_topic(TopicArn=resource_id)


class _TopicSubscription:
    """``aws:sns/topicSubscription:TopicSubscription``: Subscribe; id is the subscription's ARN."""

    KNOWN = frozenset({"topic", "protocol", "endpoint"})

    def create(self, aws: Aws, inputs: Inputs) -> str:
        _refuse_unknown("aws:sns/topicSubscription:TopicSubscription", inputs, self.KNOWN)
        return str(
            aws.client("sns").subscribe(
                TopicArn=str(inputs["topic"]),
                Protocol=str(inputs["protocol"]),
                Endpoint=str(inputs["endpoint"]),
                ReturnSubscriptionArn=True,
            )["SubscriptionArn"]
        )

    def observe(self, aws: Aws, resource_id: str, inputs: Inputs) -> Observed | None:
        try:
            attributes = aws.client("sns").get_subscription_attributes(SubscriptionArn=resource_id)[
                "Attributes"
            ]
        except ClientError as error:
            if _missing(error, "NotFound"):
                return None
            raise
        return {
            "arn": resource_id,
            "topic": attributes["TopicArn"],
            "protocol": attributes["Protocol"],
            "endpoint": attributes["Endpoint"],
            "ownerId": attributes.get("Owner", ""),
            "pendingConfirmation": attributes.get("PendingConfirmation") == "true",
            "confirmationWasAuthenticated": attributes.get("ConfirmationWasAuthenticated") == "true",
            "region": aws.region,
        }

    def update(self, aws: Aws, resource_id: str, olds: Inputs, news: Inputs) -> None:
        # Topic, protocol and endpoint all force a new subscription in pulumi-aws (Diff replaces).
        raise UnsupportedInputError("aws:sns/topicSubscription:TopicSubscription is replaced, never updated")

    def delete(self, aws: Aws, resource_id: str, state: Inputs) -> None:
        aws.client("sns").unsubscribe(SubscriptionArn=resource_id)


DEFAULT_TOPIC_POLICY_ID = "__default_policy_ID"
"""The ``Id`` of the policy SNS gives every new topic; a topic policy of one's own has another (or none)."""


def default_topic_policy(topic_arn: str, owner: str) -> str:
    """The policy SNS gives a new topic: the owning account may use it. A topic always has a policy."""
    actions = [
        "SNS:GetTopicAttributes",
        "SNS:SetTopicAttributes",
        "SNS:AddPermission",
        "SNS:RemovePermission",
        "SNS:DeleteTopic",
        "SNS:Subscribe",
        "SNS:ListSubscriptionsByTopic",
        "SNS:Publish",
    ]
    statement = {
        "Sid": "__default_statement_ID",
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Action": actions,
        "Resource": topic_arn,
        "Condition": {"StringEquals": {"AWS:SourceOwner": owner}},
    }
    return json.dumps({"Version": "2008-10-17", "Id": DEFAULT_TOPIC_POLICY_ID, "Statement": [statement]})


class _TopicPolicy:
    """``aws:sns/topicPolicy:TopicPolicy``: the topic's ``Policy`` attribute; id is the topic's ARN.

    SNS cannot leave a topic without a policy, so delete puts back the
    default one (as pulumi-aws does), for the topic's owner.
    """

    KNOWN = frozenset({"arn", "policy"})

    def create(self, aws: Aws, inputs: Inputs) -> str:
        _refuse_unknown("aws:sns/topicPolicy:TopicPolicy", inputs, self.KNOWN)
        arn = str(inputs["arn"])
        self._set(aws, arn, str(inputs["policy"]))
        return arn

    @staticmethod
    def _set(aws: Aws, arn: str, policy: str) -> None:
        aws.client("sns").set_topic_attributes(TopicArn=arn, AttributeName="Policy", AttributeValue=policy)

    def observe(self, aws: Aws, resource_id: str, inputs: Inputs) -> Observed | None:
        try:
            attributes = aws.client("sns").get_topic_attributes(TopicArn=resource_id)["Attributes"]
        except ClientError as error:
            if _missing(error, "NotFound"):
                return None
            raise
        return {
            "arn": resource_id,
            "policy": _same_json(attributes["Policy"], inputs.get("policy")),
            "owner": attributes.get("Owner", ""),
            "region": aws.region,
        }

    def update(self, aws: Aws, resource_id: str, olds: Inputs, news: Inputs) -> None:
        _refuse_unknown("aws:sns/topicPolicy:TopicPolicy", news, self.KNOWN)
        self._set(aws, resource_id, str(news["policy"]))

    def delete(self, aws: Aws, resource_id: str, state: Inputs) -> None:
        sns = aws.client("sns")
        try:
            owner = sns.get_topic_attributes(TopicArn=resource_id)["Attributes"].get("Owner", "")
        except ClientError as error:
            if _missing(error, "NotFound"):
                return
            raise
        self._set(aws, resource_id, default_topic_policy(resource_id, str(owner)))


# --- IAM ----------------------------------------------------------------------------------------


def _document(value: Any) -> Any:
    """IAM returns policy documents URL-decoded and boto3 parses them: back to a JSON value."""
    return json.loads(value) if isinstance(value, str) else value


class _Role:
    """``aws:iam/role:Role``: CreateRole with its trust policy and tags; id is the role's name."""

    KNOWN = frozenset({"name", "assumeRolePolicy", "tags", "path", "description"})

    def create(self, aws: Aws, inputs: Inputs) -> str:
        _refuse_unknown("aws:iam/role:Role", inputs, self.KNOWN)
        params: dict[str, Any] = {
            "RoleName": str(inputs["name"]),
            "AssumeRolePolicyDocument": str(inputs["assumeRolePolicy"]),
            "Path": str(inputs.get("path") or "/"),
        }
        if inputs.get("description"):
            params["Description"] = str(inputs["description"])
        if _tags(inputs):
            params["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(_tags(inputs).items())]
        aws.client("iam").create_role(**params)
        return str(inputs["name"])

    def observe(self, aws: Aws, resource_id: str, inputs: Inputs) -> Observed | None:
        try:
            role = aws.client("iam").get_role(RoleName=resource_id)["Role"]
        except ClientError as error:
            if error_code(error) == "NoSuchEntity":
                return None
            raise
        observed = {
            "name": role["RoleName"],
            "arn": role["Arn"],
            "uniqueId": role["RoleId"],
            "createDate": role["CreateDate"].isoformat(),
            "path": role.get("Path", "/"),
            "assumeRolePolicy": _same_json(
                _document(role["AssumeRolePolicyDocument"]), inputs.get("assumeRolePolicy")
            ),
        }
        return _with_tags(observed, {t["Key"]: t["Value"] for t in role.get("Tags", [])})

    def update(self, aws: Aws, resource_id: str, olds: Inputs, news: Inputs) -> None:
        _refuse_unknown("aws:iam/role:Role", news, self.KNOWN)
        iam = aws.client("iam")
        if olds.get("assumeRolePolicy") != news.get("assumeRolePolicy"):
            iam.update_assume_role_policy(RoleName=resource_id, PolicyDocument=str(news["assumeRolePolicy"]))
        if _tags(olds) != _tags(news):
            removed = sorted(set(_tags(olds)) - set(_tags(news)))
            if removed:
                iam.untag_role(RoleName=resource_id, TagKeys=removed)
            if _tags(news):
                iam.tag_role(
                    RoleName=resource_id,
                    Tags=[{"Key": k, "Value": v} for k, v in sorted(_tags(news).items())],
                )

    def delete(self, aws: Aws, resource_id: str, state: Inputs) -> None:
        aws.client("iam").delete_role(RoleName=resource_id)


class _RolePolicy:
    """``aws:iam/rolePolicy:RolePolicy``: PutRolePolicy; id is ``role:policy``."""

    KNOWN = frozenset({"name", "role", "policy"})

    def create(self, aws: Aws, inputs: Inputs) -> str:
        _refuse_unknown("aws:iam/rolePolicy:RolePolicy", inputs, self.KNOWN)
        self._put(aws, inputs)
        return f"{inputs['role']}:{inputs['name']}"

    @staticmethod
    def _put(aws: Aws, inputs: Inputs) -> None:
        aws.client("iam").put_role_policy(
            RoleName=str(inputs["role"]), PolicyName=str(inputs["name"]), PolicyDocument=str(inputs["policy"])
        )

    def observe(self, aws: Aws, resource_id: str, inputs: Inputs) -> Observed | None:
        role, name = resource_id.split(":", 1)
        try:
            found = aws.client("iam").get_role_policy(RoleName=role, PolicyName=name)
        except ClientError as error:
            if error_code(error) == "NoSuchEntity":
                return None
            raise
        return {
            "role": found["RoleName"],
            "name": found["PolicyName"],
            "policy": _same_json(_document(found["PolicyDocument"]), inputs.get("policy")),
        }

    def update(self, aws: Aws, resource_id: str, olds: Inputs, news: Inputs) -> None:
        self._put(aws, news)

    def delete(self, aws: Aws, resource_id: str, state: Inputs) -> None:
        role, name = resource_id.split(":", 1)
        aws.client("iam").delete_role_policy(RoleName=role, PolicyName=name)


# --- CloudWatch Logs ----------------------------------------------------------------------------


class _LogGroup:
    """``aws:cloudwatch/logGroup:LogGroup``: CreateLogGroup and its retention; id is the name."""

    KNOWN = frozenset({"name", "retentionInDays", "tags", "kmsKeyId"})

    def create(self, aws: Aws, inputs: Inputs) -> str:
        _refuse_unknown("aws:cloudwatch/logGroup:LogGroup", inputs, self.KNOWN)
        logs = aws.client("logs")
        name = str(inputs["name"])
        params: dict[str, Any] = {"logGroupName": name}
        if _tags(inputs):
            params["tags"] = _tags(inputs)
        if inputs.get("kmsKeyId"):
            params["kmsKeyId"] = str(inputs["kmsKeyId"])
        logs.create_log_group(**params)
        if inputs.get("retentionInDays"):
            logs.put_retention_policy(logGroupName=name, retentionInDays=int(inputs["retentionInDays"]))
        return name

    def observe(self, aws: Aws, resource_id: str, inputs: Inputs) -> Observed | None:
        logs = aws.client("logs")
        groups = logs.describe_log_groups(logGroupNamePrefix=resource_id).get("logGroups", [])
        found = next((g for g in groups if g["logGroupName"] == resource_id), None)
        if found is None:
            return None
        # pulumi-aws drops the ":*" that DescribeLogGroups appends to the ARN.
        arn = str(found["arn"]).removesuffix(":*")
        tags = logs.list_tags_for_resource(resourceArn=arn).get("tags", {})
        observed = {
            "name": resource_id,
            "arn": arn,
            "retentionInDays": int(found.get("retentionInDays", 0)),
            "region": aws.region,
        }
        if found.get("kmsKeyId"):
            observed["kmsKeyId"] = found["kmsKeyId"]
        return _with_tags(observed, tags)

    def update(self, aws: Aws, resource_id: str, olds: Inputs, news: Inputs) -> None:
        _refuse_unknown("aws:cloudwatch/logGroup:LogGroup", news, self.KNOWN)
        logs = aws.client("logs")
        if olds.get("kmsKeyId") != news.get("kmsKeyId"):
            # pulumi-aws's calls; moto 5.2 has neither, so such an update fails loudly there.
            if news.get("kmsKeyId"):
                logs.associate_kms_key(logGroupName=resource_id, kmsKeyId=str(news["kmsKeyId"]))
            else:
                logs.disassociate_kms_key(logGroupName=resource_id)
        if olds.get("retentionInDays") != news.get("retentionInDays"):
            if news.get("retentionInDays"):
                logs.put_retention_policy(
                    logGroupName=resource_id, retentionInDays=int(news["retentionInDays"])
                )
            else:
                logs.delete_retention_policy(logGroupName=resource_id)
        if _tags(olds) != _tags(news):
            arn = self.observe(aws, resource_id, news)
            assert arn is not None
            removed = sorted(set(_tags(olds)) - set(_tags(news)))
            if removed:
                logs.untag_resource(resourceArn=arn["arn"], tagKeys=removed)
            if _tags(news):
                logs.tag_resource(resourceArn=arn["arn"], tags=_tags(news))

    def delete(self, aws: Aws, resource_id: str, state: Inputs) -> None:
        aws.client("logs").delete_log_group(logGroupName=resource_id)


# --- Lambda -------------------------------------------------------------------------------------


def archive_zip(archive: Inputs) -> bytes:
    """The deployment package of an engine-serialised ``AssetArchive``, zipped as pulumi-aws zips it."""
    if archive.get(SIGNATURE_KEY) != ARCHIVE_SIGNATURE or "assets" not in archive:
        raise UnsupportedInputError(
            f"code: expected an AssetArchive of file or string assets, got {sorted(archive)}"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, asset in sorted(archive["assets"].items()):
            if asset.get(SIGNATURE_KEY) != ASSET_SIGNATURE:
                raise UnsupportedInputError(f"code: asset {name!r} is not a file or string asset")
            if "path" in asset:
                package.writestr(name, Path(asset["path"]).read_bytes())
            elif "text" in asset:
                package.writestr(name, str(asset["text"]))
            else:
                raise UnsupportedInputError(f"code: asset {name!r} has neither a path nor text")
    return buffer.getvalue()


def _function_configuration(inputs: Inputs) -> dict[str, Any]:
    params: dict[str, Any] = {
        "Role": str(inputs["role"]),
        "Handler": str(inputs["handler"]),
        "Runtime": str(inputs["runtime"]),
        "MemorySize": int(inputs.get("memorySize", 128)),
        "Timeout": int(inputs.get("timeout", 3)),
        "Environment": {"Variables": dict((inputs.get("environment") or {}).get("variables") or {})},
    }
    if inputs.get("kmsKeyArn"):
        params["KMSKeyArn"] = str(inputs["kmsKeyArn"])
    logging = inputs.get("loggingConfig")
    if logging:
        params["LoggingConfig"] = {"LogFormat": logging["logFormat"]}
        if logging.get("logGroup"):
            params["LoggingConfig"]["LogGroup"] = logging["logGroup"]
    return params


class _Function:
    """``aws:lambda/function:Function``: CreateFunction from the zipped archive; id is the name.

    moto keeps the function and its configuration; it cannot run it (that needs
    Docker), which is why nothing here invokes it.
    """

    KNOWN = frozenset(
        {
            "name",
            "role",
            "runtime",
            "handler",
            "code",
            "memorySize",
            "timeout",
            "environment",
            "loggingConfig",
            "kmsKeyArn",
            "tags",
        }
    )
    CONFIGURATION = frozenset(
        {"role", "runtime", "handler", "memorySize", "timeout", "environment", "loggingConfig", "kmsKeyArn"}
    )

    def create(self, aws: Aws, inputs: Inputs) -> str:
        _refuse_unknown("aws:lambda/function:Function", inputs, self.KNOWN)
        name = str(inputs["name"])
        aws.client("lambda").create_function(
            FunctionName=name,
            Code={"ZipFile": archive_zip(inputs["code"])},
            Tags=_tags(inputs),
            **_function_configuration(inputs),
        )
        return name

    def observe(self, aws: Aws, resource_id: str, inputs: Inputs) -> Observed | None:
        try:
            found = aws.client("lambda").get_function(FunctionName=resource_id)
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return None
            raise
        config = found["Configuration"]
        arn = config["FunctionArn"]
        observed = {
            "name": config["FunctionName"],
            "arn": arn,
            "qualifiedArn": f"{arn}:{config.get('Version', '$LATEST')}",
            "invokeArn": (
                f"arn:{aws.partition}:apigateway:{aws.region}:lambda:path/2015-03-31/functions/{arn}/invocations"
            ),
            "version": config.get("Version", "$LATEST"),
            "role": config["Role"],
            "runtime": config["Runtime"],
            "handler": config["Handler"],
            "memorySize": int(config["MemorySize"]),
            "timeout": int(config["Timeout"]),
            "environment": {"variables": dict(config.get("Environment", {}).get("Variables", {}))},
            "codeSha256": config.get("CodeSha256", ""),
            "sourceCodeSize": int(config.get("CodeSize", 0)),
            "lastModified": str(config.get("LastModified", "")),
            "region": aws.region,
        }
        if config.get("KMSKeyArn"):
            observed["kmsKeyArn"] = config["KMSKeyArn"]
        return _with_tags(observed, dict(found.get("Tags", {})))

    def update(self, aws: Aws, resource_id: str, olds: Inputs, news: Inputs) -> None:
        _refuse_unknown("aws:lambda/function:Function", news, self.KNOWN)
        client = aws.client("lambda")
        if any(olds.get(k) != news.get(k) for k in self.CONFIGURATION):
            client.update_function_configuration(FunctionName=resource_id, **_function_configuration(news))
        if olds.get("code") != news.get("code"):
            client.update_function_code(FunctionName=resource_id, ZipFile=archive_zip(news["code"]))
        if _tags(olds) != _tags(news):
            arn = client.get_function(FunctionName=resource_id)["Configuration"]["FunctionArn"]
            removed = sorted(set(_tags(olds)) - set(_tags(news)))
            if removed:
                client.untag_resource(Resource=arn, TagKeys=removed)
            if _tags(news):
                client.tag_resource(Resource=arn, Tags=_tags(news))

    def delete(self, aws: Aws, resource_id: str, state: Inputs) -> None:
        aws.client("lambda").delete_function(FunctionName=resource_id)


class _EventSourceMapping:
    """``aws:lambda/eventSourceMapping:EventSourceMapping``: CreateEventSourceMapping; id is its UUID.

    moto keeps the mapping; ``moto_server`` stops moto from serving it (which
    would run the function in Docker on every send), so the test kit's
    ``event_source_mapping.EventSourceMapping`` plays the poller with the
    batch size and response types read back from here.
    """

    KNOWN = frozenset(
        {"eventSourceArn", "functionName", "batchSize", "functionResponseTypes", "enabled", "tags"}
    )

    def create(self, aws: Aws, inputs: Inputs) -> str:
        _refuse_unknown("aws:lambda/eventSourceMapping:EventSourceMapping", inputs, self.KNOWN)
        params: dict[str, Any] = {
            "EventSourceArn": str(inputs["eventSourceArn"]),
            "FunctionName": str(inputs["functionName"]),
            "Enabled": bool(inputs.get("enabled", True)),
        }
        if inputs.get("batchSize") is not None:
            params["BatchSize"] = int(inputs["batchSize"])
        if inputs.get("functionResponseTypes"):
            params["FunctionResponseTypes"] = list(inputs["functionResponseTypes"])
        if _tags(inputs):
            params["Tags"] = _tags(inputs)
        return str(aws.client("lambda").create_event_source_mapping(**params)["UUID"])

    def observe(self, aws: Aws, resource_id: str, inputs: Inputs) -> Observed | None:
        try:
            found = aws.client("lambda").get_event_source_mapping(UUID=resource_id)
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return None
            raise
        observed: Observed = {
            "uuid": found["UUID"],
            "arn": found.get("EventSourceMappingArn", ""),
            "eventSourceArn": found["EventSourceArn"],
            "functionArn": found["FunctionArn"],
            "state": found.get("State", ""),
            "region": aws.region,
        }
        if found.get("BatchSize") is not None:
            observed["batchSize"] = int(found["BatchSize"])
        if found.get("FunctionResponseTypes"):
            observed["functionResponseTypes"] = list(found["FunctionResponseTypes"])
        return observed

    def update(self, aws: Aws, resource_id: str, olds: Inputs, news: Inputs) -> None:
        _refuse_unknown("aws:lambda/eventSourceMapping:EventSourceMapping", news, self.KNOWN)
        params: dict[str, Any] = {"UUID": resource_id, "Enabled": bool(news.get("enabled", True))}
        if news.get("batchSize") is not None:
            params["BatchSize"] = int(news["batchSize"])
        if news.get("functionResponseTypes") is not None:
            params["FunctionResponseTypes"] = list(news["functionResponseTypes"])
        aws.client("lambda").update_event_source_mapping(**params)

    def delete(self, aws: Aws, resource_id: str, state: Inputs) -> None:
        aws.client("lambda").delete_event_source_mapping(UUID=resource_id)


# --- CloudWatch alarms ---------------------------------------------------------------------------

_ALARM_FIELDS: Mapping[str, str] = {
    "alarmDescription": "AlarmDescription",
    "namespace": "Namespace",
    "metricName": "MetricName",
    "statistic": "Statistic",
    "period": "Period",
    "evaluationPeriods": "EvaluationPeriods",
    "threshold": "Threshold",
    "comparisonOperator": "ComparisonOperator",
    "treatMissingData": "TreatMissingData",
    "alarmActions": "AlarmActions",
    "okActions": "OKActions",
    "actionsEnabled": "ActionsEnabled",
}
"""pulumi-aws's metric alarm inputs and PutMetricAlarm's parameters (and DescribeAlarms' fields)."""


class _MetricAlarm:
    """``aws:cloudwatch/metricAlarm:MetricAlarm``: PutMetricAlarm (also its update); id is the alarm's name.

    As the Terraform provider does, an update sends the whole alarm again
    (PutMetricAlarm replaces it) and the tags through TagResource/UntagResource.
    """

    KNOWN = frozenset({"name", "dimensions", "tags", *_ALARM_FIELDS})

    def _put(self, aws: Aws, inputs: Inputs, *, with_tags: bool) -> str:
        _refuse_unknown("aws:cloudwatch/metricAlarm:MetricAlarm", inputs, self.KNOWN)
        name = str(inputs["name"])
        params: dict[str, Any] = {"AlarmName": name}
        for key, parameter in _ALARM_FIELDS.items():
            if inputs.get(key) is not None:
                params[parameter] = inputs[key]
        for key in ("period", "evaluationPeriods"):
            if inputs.get(key) is not None:
                params[_ALARM_FIELDS[key]] = int(inputs[key])
        if inputs.get("threshold") is not None:
            params["Threshold"] = float(inputs["threshold"])
        params["Dimensions"] = [
            {"Name": str(k), "Value": str(v)} for k, v in sorted((inputs.get("dimensions") or {}).items())
        ]
        if with_tags and _tags(inputs):
            params["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(_tags(inputs).items())]
        aws.client("cloudwatch").put_metric_alarm(**params)
        return name

    def create(self, aws: Aws, inputs: Inputs) -> str:
        return self._put(aws, inputs, with_tags=True)

    def observe(self, aws: Aws, resource_id: str, inputs: Inputs) -> Observed | None:
        cloudwatch = aws.client("cloudwatch")
        found = cloudwatch.describe_alarms(AlarmNames=[resource_id]).get("MetricAlarms", [])
        if not found:
            return None
        alarm = found[0]
        observed: Observed = {"name": alarm["AlarmName"], "arn": alarm["AlarmArn"], "region": aws.region}
        for key, field_name in _ALARM_FIELDS.items():
            if field_name in alarm:
                observed[key] = alarm[field_name]
        for key in ("period", "evaluationPeriods"):
            if key in observed:
                observed[key] = int(observed[key])
        if "threshold" in observed:
            observed["threshold"] = float(observed["threshold"])
        observed["dimensions"] = {d["Name"]: d["Value"] for d in alarm.get("Dimensions", [])}
        tags = cloudwatch.list_tags_for_resource(ResourceARN=alarm["AlarmArn"]).get("Tags", [])
        return _with_tags(observed, {t["Key"]: t["Value"] for t in tags})

    def update(self, aws: Aws, resource_id: str, olds: Inputs, news: Inputs) -> None:
        self._put(aws, news, with_tags=False)
        if _tags(olds) != _tags(news):
            cloudwatch = aws.client("cloudwatch")
            arn = cloudwatch.describe_alarms(AlarmNames=[resource_id])["MetricAlarms"][0]["AlarmArn"]
            removed = sorted(set(_tags(olds)) - set(_tags(news)))
            if removed:
                cloudwatch.untag_resource(ResourceARN=arn, TagKeys=removed)
            if _tags(news):
                cloudwatch.tag_resource(
                    ResourceARN=arn, Tags=[{"Key": k, "Value": v} for k, v in sorted(_tags(news).items())]
                )

    def delete(self, aws: Aws, resource_id: str, state: Inputs) -> None:
        aws.client("cloudwatch").delete_alarms(AlarmNames=[resource_id])


TYPES: Mapping[str, ResourceType] = {
    "aws:s3/bucket:Bucket": _Bucket(),
    "aws:s3/bucketVersioning:BucketVersioning": _BucketSetting(
        "aws:s3/bucketVersioning:BucketVersioning",
        frozenset({"bucket", "versioningConfiguration"}),
        _put_versioning,
        _get_versioning,
        _suspend_versioning,
    ),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": _BucketSetting(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        frozenset({"bucket", "rules"}),
        _put_encryption,
        _get_encryption,
        lambda s3, bucket: s3.delete_bucket_encryption(Bucket=bucket),
    ),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": _BucketSetting(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        frozenset({"bucket", "rules"}),
        _put_lifecycle,
        _get_lifecycle,
        lambda s3, bucket: s3.delete_bucket_lifecycle(Bucket=bucket),
    ),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": _BucketSetting(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        frozenset({"bucket", *_PUBLIC_ACCESS_FLAGS}),
        _put_public_access_block,
        _get_public_access_block,
        lambda s3, bucket: s3.delete_public_access_block(Bucket=bucket),
    ),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": _BucketSetting(
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        frozenset({"bucket", "rule"}),
        _put_ownership,
        _get_ownership,
        lambda s3, bucket: s3.delete_bucket_ownership_controls(Bucket=bucket),
    ),
    "aws:s3/bucketPolicy:BucketPolicy": _BucketSetting(
        "aws:s3/bucketPolicy:BucketPolicy",
        frozenset({"bucket", "policy"}),
        _put_policy,
        _get_policy,
        lambda s3, bucket: s3.delete_bucket_policy(Bucket=bucket),
    ),
    "aws:dynamodb/table:Table": _Table(),
    "aws:sqs/queue:Queue": _Queue(),
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": _QueueAttribute(
        "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", "RedriveAllowPolicy", "redriveAllowPolicy", ("All",)
    ),
    "aws:sqs/queuePolicy:QueuePolicy": _QueueAttribute(
        "aws:sqs/queuePolicy:QueuePolicy", "Policy", "policy", ("Policy",)
    ),
    "aws:sns/topic:Topic": _Topic(),
    "aws:sns/topicSubscription:TopicSubscription": _TopicSubscription(),
    "aws:sns/topicPolicy:TopicPolicy": _TopicPolicy(),
    "aws:iam/role:Role": _Role(),
    "aws:iam/rolePolicy:RolePolicy": _RolePolicy(),
    "aws:cloudwatch/logGroup:LogGroup": _LogGroup(),
    "aws:lambda/function:Function": _Function(),
    "aws:lambda/eventSourceMapping:EventSourceMapping": _EventSourceMapping(),
    "aws:cloudwatch/metricAlarm:MetricAlarm": _MetricAlarm(),
}
"""Every resource type the component registers, and how pulumi-aws makes it on AWS."""


def resource_type(type_token: str) -> ResourceType:
    """The operations of one type; a type the component does not register is refused by name."""
    if type_token not in TYPES:
        raise UnsupportedInputError(
            f"{type_token}: the moto-backed stand-in makes only the component's types: {sorted(TYPES)}"
        )
    return TYPES[type_token]


def iter_types() -> Iterator[str]:
    """The type tokens this module can make, in a stable order."""
    return iter(sorted(TYPES))
