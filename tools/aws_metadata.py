"""Generate what the stand-in AWS plugin knows of pulumi-aws, from pulumi-aws's own Python SDK.

The real-engine tests run a stand-in for the pulumi-aws plugin, which cannot be
downloaded here. Where the component and the policy pack depend on the real
plugin's wire behaviour, the stand-in must behave the same, and the most
important piece of that is which outputs the bridged provider *computes*: in a
preview of a create, every computed output the program did not set comes back
unknown. That fact is in the SDK, not in a list anyone should type by hand:

- the SDK registers every resource class under its type token in the
  ``resource_modules`` JSON that ``pulumi_aws/__init__.py`` hands to
  ``_utilities.register`` (read here with ``ast``, not with regexes);
- each output is a ``@pulumi.getter(name=...)`` property whose annotation is
  ``pulumi.Output[T]`` for a value that is always present (required or
  computed in the Terraform schema) and ``pulumi.Output[Optional[T]]`` for one
  that may be absent; the ``...Args`` class does the same for inputs.

So an output is computed when it is always present but not a required input.
The same walk gives each property's camelCase name and a coarse type, which is
enough for a schema that Pulumi YAML can type-check a program against.

Run by ``make aws-metadata``; ``tests/engine_real`` fails when the checked-in
file and the installed SDK disagree.
"""

import argparse
import ast
import importlib
import inspect
import json
import sys
import types
import typing
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import pulumi

SERVICES = ("s3", "dynamodb", "sqs", "sns", "iam", "lambda_", "cloudwatch", "kms")
"""The pulumi-aws modules whose resources the component, the pack's tests and the benchmarks declare."""

OUTPUT = (
    Path(__file__).resolve().parents[1] / "testkit" / "envstack_testkit" / "aws_standin" / "metadata.json"
)

_PULUMI_NAME = "_pulumi_name"
_PRIMITIVES: Mapping[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}


def resource_classes(package: str = "pulumi_aws") -> dict[str, tuple[str, str]]:
    """Every resource type token of the SDK, with the module and class that implement it."""
    module = importlib.import_module(package)
    source = Path(inspect.getfile(module)).read_text()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "register":
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "resource_modules" and isinstance(value, ast.Constant):
                    entries = json.loads(str(value.value))
                    return {
                        token: (entry["fqn"], class_name)
                        for entry in entries
                        for token, class_name in entry["classes"].items()
                    }
    raise LookupError(f"{package}/__init__.py registers no resource_modules")


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """``Output[T]``/``Input[T]`` -> ``(T, optional)``."""
    inner = annotation
    args = typing.get_args(annotation)
    if (
        typing.get_origin(annotation) is not None
        and args
        and getattr(annotation, "__origin__", None) in (pulumi.Output,)
    ):
        inner = args[0]
    return _strip_optional(inner)


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(members) < len(typing.get_args(annotation))
        inner = members[0] if len(members) == 1 else annotation
        if optional:
            return _strip_input(inner), True
        return _strip_input(annotation), False
    return annotation, False


def _strip_input(annotation: Any) -> Any:
    """``Input[T]`` is ``Union[T, Awaitable[T], Output[T]]``: keep ``T``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.get_args(annotation)[0]
    return annotation


def type_spec(annotation: Any) -> dict[str, Any]:
    """A coarse schema type: primitives as themselves, maps and lists of strings typed, the rest Any."""
    annotation = _strip_input(annotation)
    if annotation in _PRIMITIVES:
        return {"type": _PRIMITIVES[annotation]}
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (Mapping, dict, typing.Mapping) and len(args) == 2:
        return {"type": "object", "additionalProperties": type_spec(args[1])}
    if origin in (Sequence, list, typing.Sequence) and len(args) == 1:
        return {"type": "array", "items": type_spec(args[0])}
    return {"$ref": "pulumi.json#/Any"}


def properties(cls: type) -> dict[str, tuple[dict[str, Any], bool]]:
    """Each ``@pulumi.getter`` property of a class: camelCase name -> (type, optional)."""
    found: dict[str, tuple[dict[str, Any], bool]] = {}
    for attribute in vars(cls).values():
        getter = attribute.fget if isinstance(attribute, property) else None
        name = getattr(getter, _PULUMI_NAME, None)
        if getter is None or name is None:
            continue
        annotation = getter.__annotations__.get("return")
        if isinstance(annotation, str):
            annotation = eval(annotation, getter.__globals__)
        inner, optional = _unwrap(annotation)
        found[name] = (type_spec(inner), optional)
    return found


def describe(token: str, module_name: str, class_name: str) -> dict[str, Any]:
    """One resource type: its inputs, required inputs, outputs and computed outputs."""
    resource = getattr(importlib.import_module(module_name), class_name)
    # Pulumi's Python generator names a resource's args ``<Name>InitArgs`` where ``<Name>Args`` is
    # taken by an input type (s3's BucketVersioningArgs is Bucket's inline ``versioning``).
    home = importlib.import_module(resource.__module__)
    args = getattr(home, f"{class_name}InitArgs", None) or getattr(home, f"{class_name}Args", None)
    inputs = properties(args) if args is not None else {}
    outputs = properties(resource)
    required = sorted(name for name, (_, optional) in inputs.items() if not optional)
    computed = sorted(
        name for name, (_, optional) in outputs.items() if not optional and name not in required
    )
    return {
        "inputs": {name: spec for name, (spec, _) in sorted(inputs.items())},
        "requiredInputs": required,
        "outputs": {name: spec for name, (spec, _) in sorted(outputs.items())},
        "computed": computed,
    }


def generate(services: Sequence[str] = SERVICES) -> dict[str, Any]:
    """The metadata document for every resource of the given pulumi-aws modules."""
    wanted = {f"pulumi_aws.{service}" for service in services}
    resources = {
        token: describe(token, module_name, class_name)
        for token, (module_name, class_name) in sorted(resource_classes().items())
        if module_name in wanted
    }
    return {
        "generatedBy": "tools/aws_metadata.py (make aws-metadata)",
        "pulumiAws": metadata.version("pulumi_aws"),
        "services": list(services),
        "resources": resources,
    }


def render(document: Mapping[str, Any]) -> str:
    """The file's exact text, so the drift test compares bytes."""
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with ``--check``, compare) the metadata file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the file differs from the SDK")
    options = parser.parse_args(argv)
    text = render(generate())
    if options.check:
        current = options.output.read_text() if options.output.exists() else ""
        if current != text:
            print(f"{options.output} is out of date: run `make aws-metadata`", file=sys.stderr)
            return 1
        return 0
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
