"""The pack: every policy, and the entry point the engine starts.

Importing this module (or any policy module) does not start anything;
``serve()`` does, because pulumi-policy's ``PolicyPack`` starts its gRPC
server and blocks as soon as it is constructed.
"""

from typing import Any

from pulumi_policy import EnforcementLevel, PolicyPack

from . import access, destroyability, encryption, naming, tags

PACK_NAME = "envstack"

POLICIES: list[Any] = [
    *encryption.POLICIES,
    *naming.POLICIES,
    *destroyability.POLICIES,
    *access.POLICIES,
    *tags.POLICIES,
]
"""Every policy of the pack, grouped by concern."""


def serve() -> None:
    """Start the analyzer: print the gRPC port on stdout and serve until the engine stops the process."""
    PolicyPack(
        name=PACK_NAME,
        policies=POLICIES,
        enforcement_level=EnforcementLevel.ADVISORY,
        description="envstack: encryption, naming, destroyability, least privilege and tags for AWS.",
        display_name="envstack guardrails",
        provider="aws",
        tags=["aws", "envstack"],
    )
