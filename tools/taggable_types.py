"""Generate ``policy/envstack_policy/taggable.py``: the pulumi-aws resource types that take a ``tags`` input.

The policy pack must not import pulumi-aws (a pack installs only its own
requirements, and importing 1,700 resource modules takes seconds), so it ships
the list as plain data, generated here from the installed pulumi-aws as
``schema.json`` is generated from the component: ``make taggable-types``
rewrites it, and a unit test fails while the file and the SDK differ.

The SDK is read through ``tools/aws_metadata.py``: its resource registry names
each type's module and class, and a type is taggable when its ``...Args``
class (``...InitArgs`` where a nested type took that name) has a ``tags`` property.
"""

import argparse
import importlib
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from tools.aws_metadata import properties, resource_classes

OUTPUT = Path(__file__).resolve().parents[1] / "policy" / "envstack_policy" / "taggable.py"


def taggable_types() -> frozenset[str]:
    """The type tokens whose ``...Args`` class takes a ``tags`` input."""
    found = set()
    for token, (module_name, class_name) in resource_classes().items():
        module = importlib.import_module(module_name)
        # Where ``...Args`` is already a nested input type's name, the resource's is ``...InitArgs``.
        args = getattr(module, f"{class_name}InitArgs", None) or getattr(module, f"{class_name}Args", None)
        if args is not None and "tags" in properties(args):
            found.add(token)
    return frozenset(found)


def render(tokens: frozenset[str], pulumi_aws_version: str) -> str:
    """The exact text of ``envstack_policy/taggable.py``, so the drift test compares bytes."""
    lines = [
        '"""The pulumi-aws v7 resource types that take a ``tags`` input (generated; do not edit).',
        "",
        "Regenerate with ``make taggable-types`` after upgrading pulumi-aws (tools/taggable_types.py);",
        "a unit test fails while this list and the installed SDK differ.",
        f"Generated from pulumi-aws {pulumi_aws_version}.",
        '"""',
        "",
        "TAGGABLE_TYPES = frozenset(",
        "    {",
        *(f'        "{token}",' for token in sorted(tokens)),
        "    }",
        ")",
        "",
    ]
    return "\n".join(lines)


def generate() -> str:
    """The file's text for the installed pulumi-aws."""
    return render(taggable_types(), metadata.version("pulumi-aws"))


def main(argv: Sequence[str] | None = None) -> int:
    """Write the file (default: the pack's) from the installed pulumi-aws."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, nargs="?", default=OUTPUT)
    options = parser.parse_args(argv)
    options.output.write_text(generate(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
