"""Turn pulumi-aws resources, as the engine sends them to the pack, into a Terraform plan JSON for Checkov.

pulumi-aws is bridged from the Terraform AWS provider: each pulumi-aws type is
a Terraform resource type, and each property a Terraform attribute under
another spelling. This module undoes the bridge's renaming, so that Checkov,
which reads Terraform plans (``checkov -f plan.json --framework
terraform_plan``), judges the same resources the pack judges. What it reads
of pulumi-aws comes from the installed SDK, not from a hand-typed schema:

- **Types.** ``aws:<module>/<member>:<Name>`` is ``aws_<module>_<member in
  snake_case>`` (the bridge's default rule: ``aws:sqs/queuePolicy:QueuePolicy``
  is ``aws_sqs_queue_policy``), a ``...V2`` alias is its type without ``V2``,
  and ``TYPE_EXCEPTIONS`` lists the types pulumi-aws maps by hand (RDS's
  ``aws_db_*`` types live in the ``rds`` module). ``terraform_type`` refuses a
  token the SDK does not register.
- **Attributes.** The SDK's ``_<Name>State`` class (every input and output of
  a type) names each property twice: its Pulumi name in
  ``@pulumi.getter(name=...)`` and its Python name, which is the Terraform
  attribute's snake_case. Its type annotation says what the Terraform schema
  holds: a nested ``...Args`` class is a block, which the bridge flattens to
  one object when the block allows one item (``maxItemsOne``) and Terraform
  keeps as a list of one, so the translator wraps it back; ``Sequence[...Args]``
  is a repeated block, whose name the bridge pluralised (``attributes`` for
  Terraform's ``attribute``), so it is singularised; ``Mapping[str, ...]`` is
  a map whose keys (tags, environment variables) stay as they are; JSON
  documents (policies) are strings in both.
  ``ATTRIBUTE_EXCEPTIONS`` lists the few properties pulumi-aws renames by hand
  (a function's ``name`` is Terraform's ``function_name``).
- **Unknowns.** A value the engine sends as unknown during a preview is
  ``null`` in ``after`` and ``true`` in ``after_unknown``, as Terraform plans
  show values known only after apply.
- **References.** Checkov's graph checks (``CKV2_*``) join resources through
  the plan's ``configuration`` expressions. A property whose value is another
  resource's id, ARN, name, bucket or URL (what a Pulumi program passes from
  one resource's outputs to another's inputs) becomes a reference to that
  resource, as Terraform would write ``aws_s3_bucket.data.id``.
"""

import importlib
import json
import re
import types
import typing
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pulumi
from pulumi.runtime.rpc import UNKNOWN

from tools.aws_metadata import resource_classes

PROVIDER = "registry.terraform.io/hashicorp/aws"

TYPE_EXCEPTIONS: Mapping[str, str] = {
    "aws:lb/loadBalancer:LoadBalancer": "aws_lb",
    "aws:alb/loadBalancer:LoadBalancer": "aws_alb",
    "aws:rds/instance:Instance": "aws_db_instance",
    "aws:rds/snapshot:Snapshot": "aws_db_snapshot",
    "aws:rds/snapshotCopy:SnapshotCopy": "aws_db_snapshot_copy",
    "aws:rds/clusterSnapshot:ClusterSnapshot": "aws_db_cluster_snapshot",
    "aws:rds/subnetGroup:SubnetGroup": "aws_db_subnet_group",
    "aws:rds/parameterGroup:ParameterGroup": "aws_db_parameter_group",
    "aws:rds/optionGroup:OptionGroup": "aws_db_option_group",
    "aws:rds/proxy:Proxy": "aws_db_proxy",
    "aws:rds/eventSubscription:EventSubscription": "aws_db_event_subscription",
    "aws:rds/securityGroup:SecurityGroup": "aws_db_security_group",
    "aws:sqs/redrivePolicy:RedrivePolicy": "aws_sqs_queue_redrive_policy",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": "aws_sqs_queue_redrive_allow_policy",
    "aws:cloudwatch/logGroup:LogGroup": "aws_cloudwatch_log_group",
}
"""pulumi-aws types whose Terraform type the default rule does not give."""

ATTRIBUTE_EXCEPTIONS: Mapping[tuple[str, str], str] = {
    ("aws:lambda/function:Function", "name"): "function_name",
    ("aws:lambda/permission:Permission", "function"): "function_name",
    ("aws:lambda/function:Function", "code"): "filename",
}
"""(type, Pulumi property) -> Terraform attribute, where pulumi-aws renames the attribute by hand."""

LINK_OUTPUTS = ("id", "arn", "name", "bucket", "url")
"""Outputs whose value, met in another resource's property, makes that property a reference."""

_PULUMI_NAME = "_pulumi_name"


def _snake(camel: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", camel).lower()


@cache
def _registry() -> Mapping[str, tuple[str, str]]:
    return resource_classes()


class Resource(typing.Protocol):
    """What the translator reads of a resource (``envstack_testkit``'s ``Resource`` has it)."""

    @property
    def type(self) -> str:
        """The pulumi-aws type token."""

    @property
    def name(self) -> str:
        """The logical name."""

    @property
    def properties(self) -> Mapping[str, Any]:
        """The properties as the engine sends them (outputs, for AnalyzeStack)."""


_R = typing.TypeVar("_R", bound=Resource)


def terraform_type(token: str) -> str:
    """The Terraform resource type of a pulumi-aws type token."""
    if token not in _registry():
        raise ValueError(f"{token!r} is not a resource type of the installed pulumi-aws")
    if token in TYPE_EXCEPTIONS:
        return TYPE_EXCEPTIONS[token]
    package, module_member, _ = token.split(":")
    module, member = module_member.split("/")
    member = member.removesuffix("V2")
    return f"{package}_{module}_{_snake(member)}"


def _singular(name: str) -> str:
    """The Terraform name of a repeated block the bridge pluralised."""
    for plural, single in (("indexes", "index"), ("ies", "y"), ("sses", "ss"), ("s", "")):
        if name.endswith(plural):
            return name[: -len(plural)] + single
    return name


def _strip(annotation: Any) -> Any:
    """``Input[Optional[T]]`` (a union with awaitables, outputs and None) -> ``T``."""
    while typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [
            a
            for a in typing.get_args(annotation)
            if a is not type(None)
            and typing.get_origin(a) not in (Awaitable, pulumi.Output)
            and a is not pulumi.Output
        ]
        if len(members) != 1:
            return Any
        annotation = members[0]
    return annotation


@dataclass(frozen=True)
class _Field:
    terraform: str
    annotation: Any


def _is_block(annotation: Any) -> bool:
    return isinstance(annotation, type) and any(
        getattr(getattr(v, "fget", None), _PULUMI_NAME, None) for v in vars(annotation).values()
    )


_INPUT_NAMES: Mapping[str, Any] = {"Output": pulumi.Output, "T": typing.TypeVar("T")}
"""What ``pulumi.Input``'s forward reference ``Output[T]`` names, for SDK modules that don't import them
(``pulumi_aws.lb``, ``qldb``, ``neptune``, ``networkfirewall``...)."""


@cache
def _fields(cls: type) -> Mapping[str, _Field]:
    """A nested input type's or state class's properties: Pulumi name -> Terraform name and type."""
    found: dict[str, _Field] = {}
    for attribute in vars(cls).values():
        getter = getattr(attribute, "fget", None)
        name = getattr(getter, _PULUMI_NAME, None)
        if getter is None or name is None:
            continue
        annotation = _strip(typing.get_type_hints(getter, localns=_INPUT_NAMES)["return"])
        terraform = getter.__name__
        origin = typing.get_origin(annotation)
        if origin in (Sequence, list) and _is_block(_strip(typing.get_args(annotation)[0])):
            terraform = _singular(terraform)
        found[name] = _Field(terraform, annotation)
    return found


@cache
def _state_class(token: str) -> type:
    module_name, class_name = _registry()[token]
    resource = getattr(importlib.import_module(module_name), class_name)
    home = importlib.import_module(resource.__module__)
    state: type = getattr(home, f"_{class_name}State")
    return state


def _convert(value: Any, annotation: Any, *, item: bool = False) -> tuple[Any, Any]:  # noqa: PLR0911
    """A Pulumi value as Terraform holds it, and its ``after_unknown`` mark.

    A block that is not an item of a list is a ``maxItemsOne`` block the bridge flattened: Terraform
    holds it as a list of one.
    """
    if value == UNKNOWN:
        return None, True
    if value is None:
        return None, False
    if isinstance(value, pulumi.Asset | pulumi.Archive):
        # The bridge turns an asset or archive into a file for the Terraform attribute.
        return f"{type(value).__name__}.zip", False
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if _is_block(annotation) and isinstance(value, Mapping):
        block, unknown = _block(value, _fields(annotation), "")
        if item:
            return block, unknown or False
        return [block], [unknown] if unknown else False
    if origin in (Mapping, dict) and isinstance(value, Mapping):
        inner = _strip(args[1]) if len(args) == 2 else Any
        pairs = {k: _convert(v, inner) for k, v in value.items()}
        unknown_map = {k: u for k, (_, u) in pairs.items() if u}
        return {k: v for k, (v, _) in pairs.items()}, unknown_map or False
    if origin in (Sequence, list) and isinstance(value, Sequence) and not isinstance(value, str):
        inner = _strip(args[0]) if args else Any
        items = [_convert(element, inner, item=True) for element in value]
        marks = [u for _, u in items]
        return [v for v, _ in items], marks if any(marks) else False
    return value, False


def _block(
    properties: Mapping[str, Any], fields: Mapping[str, _Field], token: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    values: dict[str, Any] = {}
    unknown: dict[str, Any] = {}
    for name, value in properties.items():
        field = fields.get(name)
        if field is None:
            raise KeyError(f"{token or 'block'} has no property {name!r} in pulumi-aws's SDK")
        terraform = ATTRIBUTE_EXCEPTIONS.get((token, name), field.terraform)
        values[terraform], mark = _convert(value, field.annotation)
        if mark:
            unknown[terraform] = mark
    return values, unknown


def attributes(token: str, properties: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A resource's Pulumi properties as Terraform attributes, and which of them are unknown."""
    return _block(properties, _fields(_state_class(token)), token)


def references(resources: Sequence[Resource]) -> dict[str, dict[str, tuple[str, str]]]:
    """For each resource, the properties that hold another resource's id, ARN, name, bucket or URL.

    Resource name -> property -> (the resource referred to, its output). That is how a Pulumi program
    wires resources together (an output passed as an input), and what Terraform writes as a reference.
    """
    targets: dict[str, tuple[str, str]] = {}
    for resource in resources:
        for output in LINK_OUTPUTS:
            value = resource.properties.get(output)
            if isinstance(value, str) and value and value != UNKNOWN:
                targets.setdefault(value, (resource.name, output))
    found: dict[str, dict[str, tuple[str, str]]] = {}
    for resource in resources:
        for key, value in resource.properties.items():
            target = targets.get(value) if isinstance(value, str) else None
            if target is not None and target[0] != resource.name:
                found.setdefault(resource.name, {})[key] = target
    return found


def neighbours(resources: Sequence[_R], name: str) -> list[_R]:
    """The resource named ``name`` and every resource it refers to or that refers to it."""
    links = references(resources)
    near = {name} | {target for target, _ in links.get(name, {}).values()}
    near |= {source for source, properties in links.items() if any(t == name for t, _ in properties.values())}
    return [r for r in resources if r.name in near]


def _identifier(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def address(case: str, resource: Resource) -> str:
    """The Terraform address of a case's resource in the combined plan."""
    return f"{terraform_type(resource.type)}.{_identifier(f'{case}__{resource.name}')}"


def plan(cases: Mapping[str, Sequence[Resource]]) -> dict[str, Any]:
    """One Terraform plan holding every case's resources, each under a name that carries its case.

    References link resources of the same case only, so cases stay apart in Checkov's graph.
    Resources of other packages than ``aws`` (the component itself) have no Terraform type and are left out.
    """
    planned_values: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    configuration: list[dict[str, Any]] = []
    for case, every in cases.items():
        resources = [r for r in every if r.type.startswith("aws:")]
        links = references(resources)
        by_name = {r.name: r for r in resources}
        for resource in resources:
            values, unknown = attributes(resource.type, resource.properties)
            here = address(case, resource)
            common = {
                "address": here,
                "mode": "managed",
                "type": terraform_type(resource.type),
                "name": here.split(".", 1)[1],
            }
            planned_values.append(
                {
                    **common,
                    "provider_name": PROVIDER,
                    "schema_version": 0,
                    "values": values,
                    "sensitive_values": {},
                }
            )
            change = {
                "actions": ["create"],
                "before": None,
                "after": values,
                "after_unknown": unknown,
                "before_sensitive": False,
                "after_sensitive": {},
            }
            changes.append({**common, "provider_name": PROVIDER, "change": change})
            expressions: dict[str, Any] = {}
            for key, (target, output) in links.get(resource.name, {}).items():
                terraform_key = ATTRIBUTE_EXCEPTIONS.get(
                    (resource.type, key), _fields(_state_class(resource.type))[key].terraform
                )
                other = address(case, by_name[target])
                expressions[terraform_key] = {"references": [f"{other}.{output}", other]}
            configuration.append(
                {**common, "provider_config_key": "aws", "expressions": expressions, "schema_version": 0}
            )
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": planned_values}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "full_name": PROVIDER}},
            "root_module": {"resources": configuration},
        },
    }


def dumps(document: Mapping[str, Any]) -> str:
    """The plan as Terraform writes it (``terraform show -json``)."""
    return json.dumps(document, indent=1, sort_keys=True)
