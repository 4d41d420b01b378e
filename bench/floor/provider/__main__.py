"""The floor of a component provider's cold start: Pulumi's own host serving an empty component.

``make bench`` spawns this plugin exactly as it spawns ``provider/`` (the same
interpreter, the plugin directory as the script, the engine's address as the
only argument) and times both until GetSchema answers. Whatever envstack's
provider costs beyond this is ours: importing pulumi-aws, inferring the
schema of a real component, completing it with package metadata.
"""

from typing import TypedDict

import pulumi
from pulumi.provider.experimental import component_provider_host


class EmptyArgs(TypedDict):
    """No inputs: the component exists only to give the host something to serve."""


class Empty(pulumi.ComponentResource):
    """A component that registers nothing but itself."""

    def __init__(self, name: str, args: EmptyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("floor:index:Empty", name, None, opts)
        self.register_outputs({})


if __name__ == "__main__":
    component_provider_host([Empty], "floor")
