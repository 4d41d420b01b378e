"""Facts about pulumi-aws resource types, read from the installed pulumi-aws SDK's source.

The policy pack must not import pulumi-aws (a policy pack installs only its
own requirements, and importing 1,700 resource modules would take seconds),
so it ships ``envstack_policy/taggable.py`` as plain data. This module
derives the same data from the installed SDK, so a test can fail the day a
pulumi-aws upgrade adds or removes a taggable type, and
``python -m envstack_testkit.aws_types`` rewrites the data file.
"""

import functools
import importlib.util
import keyword
import re
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

_TOKEN = re.compile(r"super\(\w+, __self__\)\.__init__\(\s*'(aws:[^']+)'")
_TAGS_INPUT = re.compile(r"\n\s+tags: pulumi\.Input")
_GETTER = re.compile(
    r'@pulumi\.getter\(name="(\w+)"\)|@pulumi\.getter\s*\n\s+def (\w+)\(self\) -> pulumi\.Output'
)

_SPEC = importlib.util.find_spec("pulumi_aws")
assert _SPEC is not None and _SPEC.origin is not None, "pulumi-aws is not installed"
SDK_ROOT = Path(_SPEC.origin).parent
"""The installed SDK's package folder (found without importing it, which takes seconds)."""


@functools.cache
def resource_sources() -> tuple[tuple[str, str], ...]:
    """Every resource module of the SDK: (type token, source text); read once per process."""
    return tuple(_scan(sorted(SDK_ROOT.rglob("*.py"))))


def _scan(paths: list[Path]) -> Iterator[tuple[str, str]]:
    for path in paths:
        source = path.read_text(encoding="utf-8")
        match = _TOKEN.search(source)
        if match:
            yield match.group(1), source


def _guess_path(type_token: str) -> Path:
    """Where the SDK keeps a type's module (``aws:cloudwatch/logGroup:X`` -> ``cloudwatch/log_group.py``)."""
    module, _, name = type_token.split(":")[1].partition("/")
    folder = f"{module}_" if keyword.iskeyword(module) else module
    return SDK_ROOT / folder / f"{re.sub(r'(?<!^)(?=[A-Z])', '_', name).lower()}.py"


def _init_signature(source: str) -> str:
    start = source.find("def _internal_init(")
    return source[start : source.find("):", start)]


def taggable_types() -> frozenset[str]:
    """The type tokens whose resources take a ``tags`` input."""
    return frozenset(
        token for token, source in resource_sources() if _TAGS_INPUT.search(_init_signature(source))
    )


def input_names(type_token: str) -> frozenset[str]:
    """The camelCase property names of one resource type's outputs (a superset of its inputs)."""
    guess = _guess_path(type_token)
    candidates = list(_scan([guess])) if guess.exists() else []
    for token, source in [*candidates, *resource_sources()]:
        if token == type_token:
            names = set()
            for match in _GETTER.finditer(source):
                names.add(match.group(1) or _camel(match.group(2)))
            return frozenset(names)
    raise KeyError(type_token)


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)


def render_taggable(tokens: frozenset[str]) -> str:
    """The source of ``envstack_policy/taggable.py``."""
    lines = [
        '"""The pulumi-aws v7 resource types that take a ``tags`` input (generated; do not edit).',
        "",
        "Regenerate with ``python -m envstack_testkit.aws_types policy/envstack_policy/taggable.py``",
        "after upgrading pulumi-aws; a unit test fails while this list and the installed SDK differ.",
        f"Generated from pulumi-aws {pulumi_aws_version()}.",
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


def pulumi_aws_version() -> str:
    """The installed pulumi-aws version."""
    return version("pulumi-aws")


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(render_taggable(taggable_types()), encoding="utf-8")
