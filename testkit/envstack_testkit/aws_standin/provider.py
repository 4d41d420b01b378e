"""The stand-in AWS provider's gRPC service (see the package docstring for what it keeps of pulumi-aws)."""

import contextlib
import json
import os
import secrets
import sys
import time
from collections.abc import Iterator, Mapping
from concurrent import futures
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

if TYPE_CHECKING:
    from .resources import Aws, ResourceType

# boto3 and the translation (``resources``) are imported only once a stack
# configures endpoints (``_connect``, ``_type``): without endpoints the plugin
# starts as fast as it always did.

METADATA = Path(__file__).with_name("metadata.json")
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""How the engine and providers marshal a value that is not known until the resource exists."""

ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"

NAME_PROPERTIES: Mapping[str, str] = {
    "aws:s3/bucket:Bucket": "bucket",
    "aws:s3/bucketV2:BucketV2": "bucket",
}
"""Auto-named types whose physical name is not ``name``."""

_ARN_FORMATS: Mapping[str, str] = {
    "s3": "arn:aws:s3:::{name}",
    "iam": "arn:aws:iam::{account}:{kind}/{name}",
    "lambda": "arn:aws:lambda:{region}:{account}:function:{name}",
    "dynamodb": "arn:aws:dynamodb:{region}:{account}:table/{name}",
    "cloudwatch": "arn:aws:logs:{region}:{account}:log-group:{name}",
}
HOLD_VARIABLE = "ENVSTACK_STANDIN_AWS_HOLD_WHILE"
"""A path: while it exists, every create, update and delete waits, as a slow AWS call would.

It lets a test keep an update (and so the stack's lock) running for exactly as
long as it needs, rather than for a guessed delay. Previews never wait.
"""
HOLD_LIMIT_SECONDS = 120.0
"""A held call goes on after this long, so a test that forgets its gate cannot hang the engine."""
FAULTS_VARIABLE = "ENVSTACK_STANDIN_AWS_FAULTS"
"""JSON of ``faults.CallFault``s that break the moto-backed mode's own AWS calls (``faults.encode_faults``).

The fault rig of the data path, aimed at the plugin's boto3 session: AWS
refusing one call of an ``up``, as an outage would, while moto stays faithful.
"""

REPLACE_KEYS: Mapping[str, frozenset[str]] = {
    "aws:sns/topicSubscription:TopicSubscription": frozenset({"topic", "protocol", "endpoint"}),
    "aws:iam/rolePolicy:RolePolicy": frozenset({"role", "name"}),
    "aws:dynamodb/table:Table": frozenset({"name", "hashKey", "rangeKey"}),
    "aws:lambda/eventSourceMapping:EventSourceMapping": frozenset({"eventSourceArn"}),
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": frozenset({"queueUrl"}),
    "aws:sqs/queuePolicy:QueuePolicy": frozenset({"queueUrl"}),
    "aws:sns/topicPolicy:TopicPolicy": frozenset({"arn"}),
    **{
        token: frozenset({"bucket"})
        for token in (
            "aws:s3/bucketVersioning:BucketVersioning",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            "aws:s3/bucketPolicy:BucketPolicy",
        )
    },
}
"""Inputs that pulumi-aws cannot change in place (ForceNew in its schema), beyond the physical name."""

_ZERO: Mapping[str, Any] = {"string": "", "integer": 0, "number": 0, "boolean": False}


@cache
def metadata() -> Mapping[str, Any]:
    """``metadata.json``: pulumi-aws's version and, per resource type, its inputs and computed outputs."""
    document: Mapping[str, Any] = json.loads(METADATA.read_text())
    return document


def resource_info(type_token: str) -> Mapping[str, Any]:
    """What the metadata says of one type; an unknown type has no computed outputs."""
    info: Mapping[str, Any] = metadata()["resources"].get(type_token, {})
    return info


def schema() -> dict[str, Any]:
    """A package schema with every resource of the metadata, typed as pulumi-aws types them."""
    document = metadata()
    return {
        "name": "aws",
        "version": document["pulumiAws"],
        "meta": {"moduleFormat": "(.*)(?:/[^/]*)"},
        "config": {"variables": {"region": {"type": "string"}}},
        "provider": {"inputProperties": {"region": {"type": "string"}}},
        "resources": {
            token: {
                "inputProperties": info["inputs"],
                "requiredInputs": info["requiredInputs"],
                "properties": info["outputs"],
                "required": sorted({*info["requiredInputs"], *info["computed"]} & set(info["outputs"])),
            }
            for token, info in document["resources"].items()
        },
    }


def _plain(struct: struct_pb2.Struct) -> dict[str, Any]:
    """A Struct as JSON values; wire encodings (secrets, assets) stay as sent, to be passed back."""
    plain: dict[str, Any] = json_format.MessageToDict(struct)
    return plain


def _reveal(value: Any) -> Any:
    """``value`` with every secret wrapper replaced by what it holds: what AWS is sent."""
    from ..wire_values import SECRET_SIG, SIG_KEY  # noqa: PLC0415 - moto-backed mode only

    if isinstance(value, list):
        return [_reveal(item) for item in value]
    if not isinstance(value, dict):
        return value
    if value.get(SIG_KEY) == SECRET_SIG:
        return _reveal(value.get("value"))
    return {key: _reveal(item) for key, item in value.items()}


def _revealed(*maps: Mapping[str, Any]) -> tuple[list[dict[str, Any]], frozenset[str]]:
    """Each property map revealed for AWS, and the properties that held a secret in any of them.

    The engine sends secrets wrapped (the plugin accepts secrets), and AWS
    must get the value itself: a subscription's endpoint is the address, not
    its wrapper. What was secret on the way in is secret on the way back
    (``_concealed``), as pulumi-aws keeps it, so the state never holds it plain.
    """
    secret_keys = frozenset(key for values in maps for key, item in values.items() if _reveal(item) != item)
    return [{key: _reveal(item) for key, item in values.items()} for values in maps], secret_keys


def _concealed(values: Mapping[str, Any], secret_keys: frozenset[str]) -> dict[str, Any]:
    """``values`` with each property named in ``secret_keys`` wrapped as a secret again."""
    from ..wire_values import secret  # noqa: PLC0415 - moto-backed mode only

    return {key: secret(item) if key in secret_keys else item for key, item in values.items()}


def _struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(dict(values))
    return message


def _name_key(type_token: str) -> str:
    return NAME_PROPERTIES.get(type_token, "name")


def _service(type_token: str) -> str:
    return type_token.split(":")[1].split("/", maxsplit=1)[0]


def auto_name(logical: str) -> str:
    """pulumi-aws's default auto-name: the logical name, a dash and 7 random hex digits."""
    return f"{logical}-{secrets.token_hex(4)[:7]}"


def _config_value(args: Mapping[str, Any], variables: Mapping[str, str], key: str) -> Any:
    """A provider config value from the checked inputs, else from the ``aws:config:*`` variables.

    The engine hands a default provider its stack config as strings, so a
    structured value (``aws:endpoints``) arrives as JSON text.
    """
    value = args.get(key)
    if value is None:
        value = variables.get(f"aws:config:{key}")
    if isinstance(value, str) and value[:1] in "[{":
        value = json.loads(value)
    return value


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def endpoints_from_config(value: Any) -> dict[str, str]:
    """pulumi-aws's ``endpoints`` config (a list of one object: service key to URL) by boto3 service."""
    if value is None or value == UNKNOWN:
        return {}
    from .resources import SERVICE_ENDPOINT_KEYS  # noqa: PLC0415 - see the imports

    entries = value if isinstance(value, list) else [value]
    given: dict[str, str] = {}
    for entry in entries:
        if not isinstance(entry, Mapping):
            raise ValueError(f"aws:endpoints: each entry must map service names to URLs, got {entry!r}")
        given.update({str(k): str(v) for k, v in entry.items() if v})
    return {
        service: given[key] for service, keys in SERVICE_ENDPOINT_KEYS.items() for key in keys if key in given
    }


class StandInAws(provider_pb2_grpc.ResourceProviderServicer):
    """The ResourceProvider service the engine talks to.

    Without endpoints it makes outputs up (see the package docstring). With
    pulumi-aws's own ``endpoints`` provider config (``aws:endpoints`` in the
    stack's config, as a LocalStack or moto user of the real plugin writes
    it) it is moto-backed: every create, read, update and delete is the AWS
    calls of ``resources``, sent to those endpoints with the credentials the
    AWS SDK finds (``aws:accessKey``/``aws:secretKey``, else the standard
    ``AWS_ACCESS_KEY_ID`` chain), and every output is what AWS answered.
    """

    def __init__(self) -> None:
        self.region = DEFAULT_REGION
        self.hold = os.environ.get(HOLD_VARIABLE)
        self.aws: Aws | None = None

    def _work(self, preview: bool) -> None:
        if preview or not self.hold:
            return
        deadline = time.monotonic() + HOLD_LIMIT_SECONDS
        while os.path.exists(self.hold) and time.monotonic() < deadline:
            time.sleep(0.05)

    def GetPluginInfo(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> plugin_pb2.PluginInfo:  # noqa: N802
        """The version of pulumi-aws whose SDK the metadata was generated from."""
        return plugin_pb2.PluginInfo(version=metadata()["pulumiAws"])

    def GetSchema(  # noqa: N802
        self, request: provider_pb2.GetSchemaRequest, context: grpc.ServicerContext
    ) -> provider_pb2.GetSchemaResponse:
        """The partial pulumi-aws schema of the metadata's resources."""
        return provider_pb2.GetSchemaResponse(schema=json.dumps(schema()))

    def CheckConfig(  # noqa: N802
        self, request: provider_pb2.CheckRequest, context: grpc.ServicerContext
    ) -> provider_pb2.CheckResponse:
        """Accept the provider's config as given."""
        return provider_pb2.CheckResponse(inputs=request.news)

    def DiffConfig(  # noqa: N802
        self, request: provider_pb2.DiffRequest, context: grpc.ServicerContext
    ) -> provider_pb2.DiffResponse:
        """Config changes never replace the provider."""
        diff = self.Diff(request, context)
        return provider_pb2.DiffResponse(changes=diff.changes, diffs=diff.diffs)

    def Configure(  # noqa: N802
        self, request: provider_pb2.ConfigureRequest, context: grpc.ServicerContext
    ) -> provider_pb2.ConfigureResponse:
        """Read the region and, if configured, the endpoints; accept secrets, resources and previews."""
        args = _plain(request.args)
        variables = dict(request.variables)
        region = _config_value(args, variables, "region")
        if isinstance(region, str) and region and region != UNKNOWN:
            self.region = region
        try:
            endpoints = endpoints_from_config(_config_value(args, variables, "endpoints"))
        except ValueError as error:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(error))
        if endpoints:
            self.aws = self._connect(args, variables, endpoints, context)
        return provider_pb2.ConfigureResponse(acceptSecrets=True, supportsPreview=True, acceptResources=True)

    def _connect(
        self,
        args: Mapping[str, Any],
        variables: Mapping[str, str],
        endpoints: Mapping[str, str],
        context: grpc.ServicerContext,
    ) -> "Aws":
        """boto3 against the endpoints; credentials checked with STS unless the config skips it."""
        import boto3  # noqa: PLC0415 - see the imports
        from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415

        from ..faults import decode_faults  # noqa: PLC0415
        from .resources import Aws, NoEndpointError  # noqa: PLC0415

        access_key = _config_value(args, variables, "accessKey")
        secret_key = _config_value(args, variables, "secretKey")
        session = boto3.session.Session(
            aws_access_key_id=access_key if isinstance(access_key, str) else None,
            aws_secret_access_key=secret_key if isinstance(secret_key, str) else None,
            region_name=self.region,
        )
        faults = decode_faults(os.environ.get(FAULTS_VARIABLE, ""))
        for fault in faults:
            fault.install(session)
        aws = Aws(session=session, region=self.region, endpoints=endpoints)
        if not _true(_config_value(args, variables, "skipCredentialsValidation")):
            try:
                aws.client("sts").get_caller_identity()
            except (ClientError, BotoCoreError, NoEndpointError) as error:
                context.abort(grpc.StatusCode.UNAUTHENTICATED, f"validating provider credentials: {error}")
        return aws

    def Check(  # noqa: N802
        self, request: provider_pb2.CheckRequest, context: grpc.ServicerContext
    ) -> provider_pb2.CheckResponse:
        """The inputs, auto-named where the program gave no name (keeping an earlier auto-name)."""
        news = _plain(request.news)
        key = _name_key(request.type)
        info = resource_info(request.type)
        if key in info.get("computed", ()) and news.get(key) is None and news.get(f"{key}Prefix") is None:
            olds = _plain(request.olds)
            news[key] = olds.get(key) or auto_name(request.name)
        return provider_pb2.CheckResponse(inputs=_struct(news))

    def Diff(  # noqa: N802
        self, request: provider_pb2.DiffRequest, context: grpc.ServicerContext
    ) -> provider_pb2.DiffResponse:
        """Which inputs changed since the last deployment; a changed name or ForceNew input replaces.

        Values are compared as AWS would be sent them, secrets revealed: a
        value that only became (or stopped being) secret is no change, as
        pulumi-aws's bridge diffs after stripping secrets
        (pulumi/pulumi-terraform-bridge#1353). Without this, reading the email
        as a secret would replace the topic's subscription on upgrade.
        """
        olds = _plain(request.old_inputs) if request.HasField("old_inputs") else _plain(request.olds)
        [old, new], _ = _revealed(olds, _plain(request.news))
        changed = sorted(
            k for k in {*old, *new} if k not in request.ignoreChanges and old.get(k) != new.get(k)
        )
        if not changed:
            return provider_pb2.DiffResponse(changes=provider_pb2.DiffResponse.DIFF_NONE)
        name_key = _name_key(request.type)
        force_new = {name_key, f"{name_key}Prefix", *REPLACE_KEYS.get(request.type, ())}
        replaces = [k for k in changed if k in force_new]
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME, diffs=changed, replaces=replaces
        )

    def _outputs(
        self, type_token: str, inputs: Mapping[str, Any], preview: bool, resource_id: str
    ) -> dict[str, Any]:
        info = resource_info(type_token)
        outputs = dict(inputs)
        for key in info.get("computed", ()):
            if outputs.get(key) is not None:
                continue
            outputs[key] = UNKNOWN if preview else self._made_up(type_token, key, inputs, resource_id)
        return {k: v for k, v in outputs.items() if v is not None}

    def _made_up(self, type_token: str, key: str, inputs: Mapping[str, Any], resource_id: str) -> Any:
        """A well-formed value for a computed output once the resource "exists" (no endpoints configured)."""
        name = str(inputs.get(_name_key(type_token)) or resource_id)
        service = _service(type_token)
        if key == "arn":
            kind = type_token.rsplit(":", 1)[1].lower()
            template = _ARN_FORMATS.get(service, "arn:aws:{service}:{region}:{account}:{name}")
            return template.format(name=name, kind=kind, region=self.region, account=ACCOUNT, service=service)
        if key == "url" and service == "sqs":
            return f"https://sqs.{self.region}.amazonaws.com/{ACCOUNT}/{name}"
        if key == "region":
            return self.region
        if key == "tagsAll":
            return dict(inputs.get("tags") or {})
        spec = resource_info(type_token)["outputs"].get(key, {})
        return _ZERO.get(spec.get("type", ""))

    @staticmethod
    def _type(type_token: str) -> "ResourceType":
        from .resources import resource_type  # noqa: PLC0415 - see the imports

        return resource_type(type_token)

    def _observed(
        self, aws: "Aws", type_token: str, resource_id: str, inputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The inputs overlaid with what AWS says of the resource, read right after a create or update."""
        found = self._type(type_token).observe(aws, resource_id, inputs)
        if found is None:
            raise RuntimeError(f"{type_token} {resource_id} is not there right after it was written")
        return {k: v for k, v in {**inputs, **found}.items() if v is not None}

    def Create(  # noqa: N802
        self, request: provider_pb2.CreateRequest, context: grpc.ServicerContext
    ) -> provider_pb2.CreateResponse:
        """Inputs plus computed outputs: unknown in a preview; from AWS when moto-backed; else made up."""
        self._work(request.preview)
        inputs = _plain(request.properties)
        if self.aws is not None and not request.preview:
            aws = self.aws
            [revealed], secret_keys = _revealed(inputs)
            from .resources import PartialCreateError  # noqa: PLC0415 - see the imports

            with _aws_errors(context, "creating", request.type, request.name):
                try:
                    resource_id = self._type(request.type).create(aws, revealed)
                except PartialCreateError as partial:
                    found = self._observed(aws, request.type, partial.resource_id, revealed)
                    _abort_partially_created(
                        context,
                        f"creating {request.type} ({request.name}): {partial.cause}",
                        partial.resource_id,
                        _concealed(found, secret_keys),
                        inputs,
                    )
                outputs = self._observed(aws, request.type, resource_id, revealed)
            return provider_pb2.CreateResponse(
                id=resource_id, properties=_struct(_concealed(outputs, secret_keys))
            )
        name = inputs.get(_name_key(request.type))
        resource_id = "" if request.preview else str(name or auto_name(request.name))
        outputs = self._outputs(request.type, inputs, request.preview, resource_id)
        return provider_pb2.CreateResponse(id=resource_id, properties=_struct(outputs))

    def Read(  # noqa: N802
        self, request: provider_pb2.ReadRequest, context: grpc.ServicerContext
    ) -> provider_pb2.ReadResponse:
        """Moto-backed: the resource as AWS has it now (an empty id once gone). Else the state as given."""
        if self.aws is None:
            return provider_pb2.ReadResponse(
                id=request.id, properties=request.properties, inputs=request.inputs
            )
        [state, inputs], secret_keys = _revealed(_plain(request.properties), _plain(request.inputs))
        with _aws_errors(context, "reading", request.type, request.id):
            found = self._type(request.type).observe(self.aws, request.id, {**state, **inputs})
        if found is None:
            return provider_pb2.ReadResponse(id="")
        # As the bridge does: the inputs the program gave, with what AWS now says of each.
        refreshed_inputs = {k: found.get(k, v) for k, v in inputs.items()}
        properties = {k: v for k, v in {**state, **found}.items() if v is not None}
        return provider_pb2.ReadResponse(
            id=request.id,
            properties=_struct(_concealed(properties, secret_keys)),
            inputs=_struct(_concealed(refreshed_inputs, secret_keys)),
        )

    def Update(  # noqa: N802
        self, request: provider_pb2.UpdateRequest, context: grpc.ServicerContext
    ) -> provider_pb2.UpdateResponse:
        """The new inputs over the old outputs; moto-backed, the update's calls and then AWS's answer."""
        self._work(request.preview)
        olds = _plain(request.olds)
        news = _plain(request.news)
        if self.aws is not None and not request.preview:
            old_inputs = _plain(request.old_inputs) if request.HasField("old_inputs") else olds
            aws = self.aws
            [old_inputs, revealed], secret_keys = _revealed(old_inputs, news)
            with _aws_errors(context, "updating", request.type, request.id):
                self._type(request.type).update(aws, request.id, old_inputs, revealed)
                outputs = self._observed(aws, request.type, request.id, revealed)
            return provider_pb2.UpdateResponse(properties=_struct(_concealed(outputs, secret_keys)))
        computed = resource_info(request.type).get("computed", ())
        kept = {k: v for k, v in olds.items() if k in computed and news.get(k) is None}
        outputs = self._outputs(request.type, {**kept, **news}, request.preview, request.id)
        return provider_pb2.UpdateResponse(properties=_struct(outputs))

    def Delete(self, request: provider_pb2.DeleteRequest, context: grpc.ServicerContext) -> empty_pb2.Empty:  # noqa: N802
        """Moto-backed: the delete's calls. Else nothing: the resource only existed in the engine's state."""
        self._work(preview=False)
        if self.aws is not None:
            [state], _ = _revealed({**_plain(request.properties), **_plain(request.old_inputs)})
            with _aws_errors(context, "deleting", request.type, request.id):
                self._type(request.type).delete(self.aws, request.id, state)
        return empty_pb2.Empty()

    def Cancel(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> empty_pb2.Empty:  # noqa: N802
        """Nothing runs in the background."""
        return empty_pb2.Empty()


def _abort_partially_created(
    context: grpc.ServicerContext,
    message: str,
    resource_id: str,
    properties: Mapping[str, Any],
    inputs: Mapping[str, Any],
) -> NoReturn:
    """Fail the create as pulumi-aws does when the resource exists but is not yet as declared.

    The error carries ``ErrorResourceInitFailed`` (the resource's id, its
    properties as AWS has them, the inputs and the reason) in the gRPC
    status details, which the engine reads as a partial failure: it records
    the resource in the state with an initialization error, so the next
    ``up`` updates it to completion and ``destroy`` knows to delete it.
    """
    from google.protobuf import any_pb2  # noqa: PLC0415 - see the imports
    from google.rpc import status_pb2  # type: ignore[import-untyped]  # noqa: PLC0415

    detail = any_pb2.Any()
    detail.Pack(
        provider_pb2.ErrorResourceInitFailed(
            id=resource_id, properties=_struct(properties), inputs=_struct(inputs), reasons=[message]
        )
    )
    code = grpc.StatusCode.UNKNOWN
    status = status_pb2.Status(code=code.value[0], message=message, details=[detail])
    context.set_trailing_metadata((("grpc-status-details-bin", status.SerializeToString()),))
    context.abort(code, message)
    raise AssertionError("unreachable: abort raises")  # pragma: no cover


@contextlib.contextmanager
def _aws_errors(context: grpc.ServicerContext, verb: str, type_token: str, name: str) -> Iterator[None]:
    """Turn a failed AWS call into the error the engine prints, as pulumi-aws words it: what, which, why."""
    from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415 - see the imports

    from .resources import NoEndpointError, UnsupportedInputError  # noqa: PLC0415

    try:
        yield
    except ClientError as error:
        operation = error.operation_name
        context.abort(
            grpc.StatusCode.UNKNOWN, f"{verb} {type_token} ({name}): operation {operation}: {error}"
        )
    except (UnsupportedInputError, NoEndpointError, BotoCoreError, RuntimeError) as error:
        context.abort(grpc.StatusCode.UNKNOWN, f"{verb} {type_token} ({name}): {error}")


def serve() -> None:  # pragma: no cover - started by the engine as a plugin
    """Listen on a free loopback port and print it, as the engine expects of a plugin."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(StandInAws(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    # The engine interrupts its plugins when it is done: the normal way out.
    with contextlib.suppress(KeyboardInterrupt):
        server.wait_for_termination()
