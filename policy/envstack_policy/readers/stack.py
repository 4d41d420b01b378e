"""Which stack the pack is judging, taken from what the engine sends.

The engine tells an analyzer about the stack in two places: ``ConfigureStack``
(the stack, the project and the stack's config, once, before any resource)
and every resource's URN (``urn:pulumi:<stack>::<project>::...``). It does not
set ``PULUMI_STACK`` for an analyzer, so ``pulumi.get_stack()`` is empty
there; pulumi-policy's server keeps only the tags of ``ConfigureStack``, which
is why ``server.py`` records the rest here.

The environment suffix a stack's names must carry is, in order: the stack's
``<project>:environmentSuffix`` config, its ``<project>:environment`` config
(envstack's component defaults the suffix to the environment), and the
stack's name. So a developer's stack ``dev-alice`` whose stack file says
``environment: dev`` is judged by ``-dev``, the suffix its component used.
A policy's own ``suffix`` option, where a policy has one, comes before all
three.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

SUFFIX_KEY = "environmentSuffix"
ENVIRONMENT_KEY = "environment"


@dataclass(frozen=True)
class StackInfo:
    """What ``ConfigureStack`` said of the stack under analysis."""

    stack: str
    project: str
    config: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def setting(self, key: str) -> str | None:
        """The stack's ``<project>:<key>`` config value, if set and not empty."""
        value = self.config.get(f"{self.project}:{key}")
        return value or None


_configured: StackInfo | None = None


def configure(info: StackInfo | None) -> None:
    """Record what ``ConfigureStack`` sent (``None`` forgets it)."""
    global _configured  # noqa: PLW0603 - one analyzer process judges one stack
    _configured = info


def configured() -> StackInfo | None:
    """What ``ConfigureStack`` sent, if the engine called it."""
    return _configured


def stack_of(urn: str) -> str:
    """The stack name inside a URN; empty when the text is not a Pulumi URN."""
    head, separator, _ = urn.partition("::")
    if not separator or not head.startswith("urn:pulumi:"):
        return ""
    return head.removeprefix("urn:pulumi:")


def stack_name(urn: str) -> str:
    """The stack being judged: from ``ConfigureStack``, else from the resource's URN."""
    info = configured()
    return info.stack if info is not None and info.stack else stack_of(urn)


def environment(urn: str) -> str:
    """The stack's environment: its ``environment`` config, else the stack's name."""
    info = configured()
    found = info.setting(ENVIRONMENT_KEY) if info is not None else None
    return found or stack_name(urn)


def environment_suffix(urn: str) -> str:
    """The suffix every physical name must carry: the stack's suffix config, its environment, its name."""
    info = configured()
    found = info.setting(SUFFIX_KEY) if info is not None else None
    return found or environment(urn)
