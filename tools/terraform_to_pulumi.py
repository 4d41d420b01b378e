"""Turn a Terraform configuration, as Checkov's HCL parser reads it, into pulumi-aws v7 resources.

The reverse of ``tools/terraform_plan.py``, by the same naming rule, read
from the same installed SDK, so that Terraform fixtures written by others
(a scanner's test cases) reach the pack in the shapes the engine would send:

- **Types.** A Terraform type is the pulumi-aws token ``terraform_type``
  maps to it; where both ``X`` and its ``XV2`` alias map to one Terraform
  type, the token without ``V2`` (pulumi-aws v7's current name) is taken.
- **Attributes.** Each Terraform attribute is the property the SDK's
  ``_<Name>State`` class names for it; a block (a list of objects, as the
  parser gives every block) becomes one object when the SDK types it as one
  (``maxItemsOne``), else a list under the pluralised name; maps and lists
  stay as they are. A Terraform attribute the SDK does not know fails the
  translation.
- **References.** ``aws_x.name.attr`` becomes the value the referred
  resource would have: its name, bucket, URL or ARN in account
  ``ACCOUNT`` and region ``REGION`` (what the engine sends once the other
  resource exists), and the referred resource carries those outputs among
  its properties, so ``terraform_plan.references`` links the two again; a
  resource the configuration refers to but does not declare is taken as made
  elsewhere, with the values AWS would give it.
  ``data.aws_iam_policy_document`` is rendered to its JSON document as the
  data source would, ``data.aws_caller_identity`` is ``ACCOUNT`` and
  ``jsonencode`` encodes its argument. Anything else (variables, locals,
  other data sources, other functions) raises ``UntranslatableError``: a fixture
  is translated exactly or not at all.
"""

import json
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from tools.terraform_plan import (
    ATTRIBUTE_EXCEPTIONS,
    _fields,
    _is_block,
    _registry,
    _state_class,
    _strip,
    terraform_type,
)
from tools.terraform_plan import (
    attributes as terraform_attributes,
)

ACCOUNT = "123456789012"
REGION = "us-east-1"
LINE_KEYS = ("__start_line__", "__end_line__")
"""What the parser adds to every block."""


class UntranslatableError(ValueError):
    """A fixture the translator cannot turn into pulumi-aws resources exactly."""


@dataclass(frozen=True)
class Resource:
    """One pulumi-aws resource: its type token, logical name and properties (inputs and outputs)."""

    type: str
    name: str
    properties: Mapping[str, Any]


@cache
def pulumi_types() -> Mapping[str, str]:
    """Terraform type -> pulumi-aws token (the token without ``V2`` where an alias shares the type)."""
    found: dict[str, str] = {}
    for token in sorted(_registry(), key=lambda t: t.split(":")[-1].endswith("V2")):
        found.setdefault(terraform_type(token), token)
    return found


def pulumi_type(terraform: str) -> str:
    """The pulumi-aws token of a Terraform type; a type pulumi-aws does not have is untranslatable."""
    token = pulumi_types().get(terraform)
    if token is None:
        raise UntranslatableError(f"{terraform} is not a resource type of the installed pulumi-aws")
    return token


def _inverse(fields: Mapping[str, Any], token: str) -> dict[str, tuple[str, Any]]:
    """Terraform attribute -> (Pulumi property, its annotation)."""
    found = {field.terraform: (name, field.annotation) for name, field in fields.items()}
    for (owner, name), terraform in ATTRIBUTE_EXCEPTIONS.items():
        if owner == token:
            found[terraform] = (name, fields[name].annotation)
    return found


_REFERENCE = re.compile(r"\$\{([^{}]*)\}")
_WHOLE = re.compile(r"^\$\{(.*)\}$", re.DOTALL)


@dataclass(frozen=True)
class _Scope:
    """What references resolve against: each resource's outputs, each policy document's JSON."""

    outputs: Mapping[str, Mapping[str, str]]
    documents: dict[str, Callable[[], str]]

    def value(self, expression: str) -> Any:
        """The value of one expression between ``${`` and ``}``."""
        expression = expression.strip()
        call = re.fullmatch(r"jsonencode\((.*)\)", expression, re.DOTALL)
        if call:
            return json.dumps(self.resolve(_literal(call.group(1))))
        parts = expression.split(".")
        if parts[0] == "data" and len(parts) == 4:
            if parts[1] == "aws_caller_identity" and parts[3] == "account_id":
                return ACCOUNT
            if parts[1] == "aws_iam_policy_document" and parts[3] == "json" and parts[2] in self.documents:
                return self.documents[parts[2]]()
        if len(parts) == 3 and parts[0].startswith("aws_"):
            # A resource the configuration does not declare is one made elsewhere: its values are
            # what AWS would give a resource of that type and name.
            found = self.outputs.get(".".join(parts[:2])) or outputs(parts[0], parts[1], {})
            if parts[2] in found:
                return found[parts[2]]
        raise UntranslatableError(f"cannot evaluate ${{{expression}}}")

    def resolve(self, value: Any) -> Any:
        """A parsed value with every reference replaced by what it refers to."""
        if isinstance(value, str):
            whole = _WHOLE.match(value)
            if whole and "${" not in whole.group(1):
                return self.value(whole.group(1))
            if whole and whole.group(1).startswith("jsonencode("):
                return self.value(whole.group(1))
            return _REFERENCE.sub(lambda m: str(self.value(m.group(1))), value)
        if isinstance(value, Mapping):
            return {k: self.resolve(v) for k, v in value.items() if k not in LINE_KEYS}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value


def _literal(text: str) -> Any:
    """An HCL object or list literal (``jsonencode``'s argument, as the parser prints it) as a value."""
    candidate = re.sub(r"\bTrue\b", "true", re.sub(r"\bFalse\b", "false", text))
    try:
        return json.loads(candidate.replace("'", '"'))
    except json.JSONDecodeError as error:
        raise UntranslatableError(
            f"jsonencode of an expression that is not a literal: {text[:80]}"
        ) from error


def _name_of(terraform: str, logical: str, attributes: Mapping[str, Any]) -> str:
    for key in ("bucket", "name", "function_name", "identifier", "cluster_identifier"):
        wrapped = attributes.get(key)
        value = wrapped[0] if isinstance(wrapped, list) and len(wrapped) == 1 else None
        if isinstance(value, str) and "${" not in value:
            return value
    return logical.replace("_", "-")


def outputs(terraform: str, logical: str, attributes: Mapping[str, Any]) -> dict[str, str]:
    """What another resource reads of this one once it exists: id, name, ARN and the like.

    AWS's formats: a bucket's id is its name and its ARN has no region or account, a queue's id is
    its URL, a topic's id is its ARN, a key's id is a UUID, a role's or a function's id its name.
    """
    name = _name_of(terraform, logical, attributes)
    service = terraform.removeprefix("aws_").split("_")[0]
    arn = f"arn:aws:{service}:{REGION}:{ACCOUNT}:{name}"
    found = {"id": name, "name": name}
    if terraform == "aws_s3_bucket":
        found |= {"bucket": name, "arn": f"arn:aws:s3:::{name}"}
    elif terraform == "aws_sqs_queue":
        url = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"
        found |= {"id": url, "url": url, "arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"}
    elif terraform == "aws_sns_topic":
        found |= {
            "id": f"arn:aws:sns:{REGION}:{ACCOUNT}:{name}",
            "arn": f"arn:aws:sns:{REGION}:{ACCOUNT}:{name}",
        }
    elif terraform == "aws_kms_key":
        key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"kms/{logical}"))
        found |= {"id": key, "key_id": key, "arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key}"}
    elif terraform in ("aws_iam_role", "aws_iam_policy", "aws_iam_user", "aws_iam_group"):
        kind = terraform.removeprefix("aws_iam_")
        found |= {"arn": f"arn:aws:iam::{ACCOUNT}:{kind}/{name}"}
        if kind == "policy":
            found["id"] = found["arn"]
    elif terraform == "aws_lambda_function":
        found |= {"function_name": name, "arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"}
    else:
        found["arn"] = arn
    return found


def _one(values: Any, what: str) -> Any:
    if isinstance(values, list):
        if len(values) != 1:
            raise UntranslatableError(f"{what}: a block that allows one item has {len(values)}")
        return values[0]
    return values


def _attribute(value: Any, what: str) -> Any:
    """An attribute's value: the parser wraps each in a list of one (a block is a list of objects)."""
    if not isinstance(value, list) or len(value) != 1:
        raise UntranslatableError(f"{what}: {value!r} is not an attribute as the parser writes one")
    return value[0]


def _value(value: Any, annotation: Any, what: str) -> Any:
    """A Terraform value (blocks as lists, as the parser gives them) in the shape the SDK types."""
    if _is_block(annotation):
        return _block(_one(value, what), _inverse(_fields(annotation), ""), what)
    origin = getattr(annotation, "__origin__", None)
    args = getattr(annotation, "__args__", ())
    if origin in (Sequence, list) and args and _is_block(_strip(args[0])):
        inner = _strip(args[0])
        return [_block(item, _inverse(_fields(inner), ""), what) for item in value]
    return _attribute(value, what)


def _block(attributes: Mapping[str, Any], fields: Mapping[str, tuple[str, Any]], what: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in attributes.items():
        if key in LINE_KEYS:
            continue
        if key not in fields:
            raise UntranslatableError(f"{what} has no attribute {key!r} in pulumi-aws's SDK")
        name, annotation = fields[key]
        found[name] = _value(value, annotation, f"{what}.{key}")
    return found


_DOCUMENT_BLOCKS = ("statement", "principals", "not_principals", "condition")


def _unwrap(block: Mapping[str, Any]) -> dict[str, Any]:
    """A policy document's block with its attributes unwrapped and its blocks unwrapped in turn."""
    return {
        key: [_unwrap(b) for b in value] if key in _DOCUMENT_BLOCKS else _attribute(value, key)
        for key, value in block.items()
        if key not in LINE_KEYS
    }


def _statement(statement: Mapping[str, Any]) -> dict[str, Any]:
    """One ``statement`` block of ``aws_iam_policy_document`` as the data source renders it."""
    rendered: dict[str, Any] = {}
    if "sid" in statement:
        rendered["Sid"] = statement["sid"]
    rendered["Effect"] = statement.get("effect", "Allow")
    for key, name in (("actions", "Action"), ("not_actions", "NotAction")):
        if key in statement:
            rendered[name] = _single(statement[key])
    for key, name in (("resources", "Resource"), ("not_resources", "NotResource")):
        if key in statement:
            rendered[name] = _single(statement[key])
    for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        if key in statement:
            blocks = statement[key]
            if len(blocks) == 1 and blocks[0]["type"] == "*" and blocks[0]["identifiers"] == ["*"]:
                rendered[name] = "*"
            else:
                rendered[name] = {block["type"]: _single(block["identifiers"]) for block in blocks}
    if "condition" in statement:
        conditions: dict[str, dict[str, Any]] = {}
        for condition in statement["condition"]:
            conditions.setdefault(condition["test"], {})[condition["variable"]] = _single(condition["values"])
        rendered["Condition"] = conditions
    return rendered


def _single(values: Any) -> Any:
    """A list of one as the data source renders it: the one value."""
    return values[0] if isinstance(values, list) and len(values) == 1 else values


def _blocks(parsed: Mapping[str, Any], kind: str) -> list[tuple[str, str, Mapping[str, Any]]]:
    """Every ``resource`` (or ``data``) block: its type, its name and its attributes."""
    return [
        (terraform, logical, attributes)
        for group in parsed.get(kind, [])
        for terraform, named in group.items()
        for logical, attributes in named.items()
    ]


def translate(parsed: Mapping[str, Any]) -> list[Resource]:
    """Every resource of one parsed Terraform configuration, as pulumi-aws resources.

    Resources are named by their Terraform names, prefixed with their Terraform type less ``aws_``
    where two types share a name (Terraform allows it; the pack and Checkov's plan tell resources
    apart by name, as a Pulumi program's readers do); properties are the inputs the configuration sets
    plus the outputs another resource could read (id aside, which pulumi-aws does not model as a
    property).
    """
    for other in sorted(set(parsed) - {"resource", "data"}):
        raise UntranslatableError(f"a configuration with {other!r} blocks")
    declared = _blocks(parsed, "resource")
    documents = {n: a for kind, n, a in _blocks(parsed, "data") if kind == "aws_iam_policy_document"}
    unknown_data = [
        f"data.{kind}.{n}"
        for kind, n, _ in _blocks(parsed, "data")
        if kind not in ("aws_iam_policy_document", "aws_caller_identity")
    ]
    if unknown_data:
        raise UntranslatableError(f"data sources the translator does not evaluate: {', '.join(unknown_data)}")
    scope = _Scope(
        {f"{t}.{logical}": outputs(t, logical, attributes) for t, logical, attributes in declared}, {}
    )
    for name, statements in documents.items():
        scope.documents[name] = _document_of(statements, scope)
    shared = {n for n in (logical for _, logical, _ in declared) if sum(d[1] == n for d in declared) > 1}
    found = []
    for terraform, logical, attributes in declared:
        token = pulumi_type(terraform)
        name = f"{terraform.removeprefix('aws_')}_{logical}" if logical in shared else logical
        fields = _inverse(_fields(_state_class(token)), token)
        resolved = scope.resolve(attributes)
        properties = _block(resolved, fields, f"{terraform}.{logical}")
        _round_trip(token, properties, resolved, f"{terraform}.{logical}")
        for output, value in outputs(terraform, logical, attributes).items():
            if output in fields and fields[output][0] not in properties:
                properties[fields[output][0]] = value
        found.append(Resource(token, name, properties))
    return found


def _document_of(attributes: Mapping[str, Any], scope: _Scope) -> Callable[[], str]:
    """An ``aws_iam_policy_document``'s ``json``, rendered when a reference reads it."""

    def render() -> str:
        resolved = _unwrap(scope.resolve(attributes))
        statements = [_statement(s) for s in resolved.get("statement", [])]
        return json.dumps({"Version": resolved.get("version", "2012-10-17"), "Statement": statements})

    return render


def _as_planned(parsed: Any, planned: Any) -> Any:
    """A parsed value in a plan's shape (attributes unwrapped, blocks kept as lists), led by the plan."""
    blocks = isinstance(planned, list) and planned and all(isinstance(p, dict) for p in planned)
    if blocks and isinstance(parsed, list) and len(parsed) == len(planned):
        return [_as_planned_block(a, b) for a, b in zip(parsed, planned, strict=True)]
    return parsed[0] if isinstance(parsed, list) and len(parsed) == 1 else parsed


def _as_planned_block(parsed: Any, planned: Mapping[str, Any]) -> Any:
    if not isinstance(parsed, Mapping):
        return parsed
    return {k: _as_planned(v, planned.get(k)) for k, v in parsed.items() if k not in LINE_KEYS}


def _round_trip(token: str, properties: Mapping[str, Any], parsed: Mapping[str, Any], what: str) -> None:
    """Check that ``tools.terraform_plan`` turns the translation back into the fixture's attributes.

    The two translators read the SDK the same way, so a property that one of them misnames or
    misshapes shows up here, before any policy or Checkov sees it.
    """
    planned, _ = terraform_attributes(token, properties)
    expected = _as_planned_block(parsed, planned)
    back = {k: v for k, v in planned.items() if k in expected}
    if back != expected:
        raise UntranslatableError(
            f"{what} does not translate back to its attributes: {back!r} != {expected!r}"
        )
