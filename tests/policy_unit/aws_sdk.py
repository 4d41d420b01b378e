"""The installed pulumi-aws's resource types for the policy tests, read as ``make taggable-types`` reads them.

One ``SdkSource`` serves every test of a worker: the taggable list's
regeneration and the property checks share its view of which file each name
comes from. Reading the source with ``ast`` instead of importing the SDK
keeps these checks off coverage's tracer, which slows an import of the SDK's
class bodies several times over; ``tools/taggable_types.py`` says how the
reading follows what an import would bind.
"""

import functools

from tools.aws_metadata import resource_classes
from tools.taggable_types import SdkSource


@functools.cache
def sdk() -> SdkSource:
    """The worker's one view of the installed pulumi-aws."""
    return SdkSource()


SDK_ROOT = sdk().root
"""The installed SDK's package folder."""


@functools.cache
def _registry() -> dict[str, tuple[str, str]]:
    return resource_classes()


def input_names(type_token: str) -> frozenset[str]:
    """The camelCase property names of one resource type: its ``...Args`` inputs and its outputs."""
    module_name, class_name = _registry()[type_token]
    classes = (class_name, f"{class_name}Args", f"{class_name}InitArgs")
    return frozenset(name for cls in classes for name in sdk().property_names(module_name, cls) or ())
