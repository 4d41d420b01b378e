"""The installed pulumi-aws's resource types, read through ``tools/aws_metadata.py`` for the policy tests."""

import functools
import importlib
import importlib.util
from pathlib import Path

from tools.aws_metadata import properties, resource_classes

_SPEC = importlib.util.find_spec("pulumi_aws")
assert _SPEC is not None and _SPEC.origin is not None, "pulumi-aws is not installed"
SDK_ROOT = Path(_SPEC.origin).parent
"""The installed SDK's package folder."""


@functools.cache
def _registry() -> dict[str, tuple[str, str]]:
    return resource_classes()


def input_names(type_token: str) -> frozenset[str]:
    """The camelCase property names of one resource type: its ``...Args`` inputs and its outputs."""
    module_name, class_name = _registry()[type_token]
    module = importlib.import_module(module_name)
    classes = [
        getattr(module, name, None) for name in (class_name, f"{class_name}Args", f"{class_name}InitArgs")
    ]
    return frozenset(name for cls in classes if cls is not None for name in properties(cls))
