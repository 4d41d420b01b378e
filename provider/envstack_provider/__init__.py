"""envstack's Pulumi component provider: ``EnvironmentStack`` and the plugin that serves it."""

from ._version import VERSION
from .args import EnvironmentStackArgs
from .component import EnvironmentStack
from .settings import InvalidInputError

__version__ = VERSION

__all__ = ["EnvironmentStack", "EnvironmentStackArgs", "InvalidInputError", "__version__"]
