"""The component provider that the Pulumi engine starts as a plugin.

It is Pulumi's own ``ComponentProvider``, the class behind
``component_provider_host``, with two additions the plain host cannot make:
the served schema carries the package names of ``package.py`` (so
``pulumi package add`` generates SDKs with the right names), and an invalid
input reaches the engine as an invalid-property error on the schema name of
the input, instead of a stack trace.
"""

import json
import sys
from typing import Any

from pulumi import Inputs, ResourceOptions
from pulumi.errors import InputPropertyError
from pulumi.provider import ConstructResult, main
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.experimental.util import camel_case
from pulumi.provider.server import ComponentInitError

from . import debug_lines, package
from ._version import VERSION
from .component import EnvironmentStack
from .settings import INTEGER_INPUTS, InvalidInputError, whole_number


class EnvstackProvider(ComponentProvider):
    """Serves ``EnvironmentStack`` with the complete, published schema."""

    def __init__(self, version: str = VERSION) -> None:
        super().__init__([EnvironmentStack], package.PACKAGE_NAME, None, version)
        self.schema = json.dumps(self.schema_document(), sort_keys=True)

    def schema_document(self) -> dict[str, Any]:
        """The schema as a JSON document: inferred from the code, completed with names."""
        inferred: dict[str, Any] = json.loads(str(self.schema))
        return package.complete(inferred)

    def construct(
        self,
        name: str,
        resource_type: str,
        inputs: Inputs,
        options: ResourceOptions | None = None,
    ) -> ConstructResult:
        """Construct the component, turning bad inputs into property errors."""
        inputs = dict(inputs)
        for key in map(camel_case, INTEGER_INPUTS):
            value = inputs.get(key)
            if isinstance(value, float):
                # The SDK's ComponentProvider (3.272) converts integers but then
                # passes the float on anyway; hand the component a real int.
                try:
                    inputs[key] = whole_number(key, value, from_wire=True)
                except InvalidInputError as error:
                    raise InputPropertyError(key, error.describe(key)) from error
        try:
            return super().construct(name, resource_type, inputs, options)
        except ComponentInitError as error:
            inner = error.inner
            if isinstance(inner, InvalidInputError):
                name = camel_case(inner.field)
                raise InputPropertyError(name, inner.describe(name)) from inner
            raise


def serve(args: list[str] | None = None) -> None:  # pragma: no cover - exercised as a subprocess
    """Start the gRPC server and print its port, as the engine expects of a plugin."""
    debug_lines.keep_debug_lines_local()
    main(EnvstackProvider(), sys.argv[1:] if args is None else args)
