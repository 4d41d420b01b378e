"""Convert each resource of an Analyze or AnalyzeStack request once, not once per policy.

pulumi-policy's ``AnalyzeStack`` builds every resource's Python view inside
its loop over the stack policies, and its ``Analyze`` builds the one
resource's view inside its loop over the resource policies: the properties (``json_format.MessageToDict``,
``deserialize_properties``, ``unknown_checking_proxy``), the resource options
and the provider. With six stack policies a 10,000-resource stack is converted
six times, and that conversion, not the policies, was three quarters of the
call (3.2 s of CPU against 1.0 s converted once, measured in one process);
with some forty resource policies, each ``Analyze`` converted its resource
some forty times, on the engine's path for every resource of a preview.

``Once`` remembers each conversion for the very message object it was made
from, for the length of one call: an entry is used only for that object
(``is``), and holds it, so a message freed and another allocated at the same
address is never mistaken for it. What it shares between policies is
read-only: an unknown-checking proxy, resource options, a provider resource.
The parts a policy may change, each ``PolicyResource`` and its links to
parents and dependencies, pulumi-policy still builds afresh per policy.

While a ``Once`` is active, the three property functions that
``pulumi_policy.policy`` calls by module name are wrapped; the lock keeps two
calls from wrapping them under each other, so the engine's concurrent
``Analyze`` calls take turns (they would anyway: the policies hold the GIL).
A ``Remediate`` served meanwhile in another thread converts its own, different
messages: an entry is only ever used for the object it was made from.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from pulumi_policy import policy as _policy_module

_policy: Any = _policy_module
"""pulumi-policy's module, whose module-level names its servicer calls (loosely typed: not exported)."""

_LOCK = threading.Lock()


class Once:
    """Conversions remembered by the identity of what they were made from."""

    def __init__(self) -> None:
        """Start with nothing remembered."""
        self._seen: dict[tuple[str, int], tuple[Any, Any]] = {}

    def remembered(self, kind: str, source: Any, convert: Callable[[Any], Any]) -> Any:
        """``convert(source)``, computed once per ``source`` object."""
        key = (kind, id(source))
        entry = self._seen.get(key)
        if entry is not None and entry[0] is source:
            return entry[1]
        result = convert(source)
        self._seen[key] = (source, result)
        return result

    def wrap(self, kind: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """``function``, remembered for one-argument calls (others, like Remediate's, pass through)."""

        def remembered(source: Any, *args: Any) -> Any:
            if args:
                return function(source, *args)
            return self.remembered(kind, source, function)

        return remembered


@contextmanager
def once() -> Iterator[Once]:
    """Within the block, pulumi-policy converts each properties message only once."""
    with _LOCK:
        memo = Once()
        json_format = _policy.json_format
        deserialize = _policy.deserialize_properties
        proxy = _policy.unknown_checking_proxy
        _policy.json_format = SimpleNamespace(MessageToDict=memo.wrap("dict", json_format.MessageToDict))
        _policy.deserialize_properties = memo.wrap("deserialized", deserialize)
        _policy.unknown_checking_proxy = memo.wrap("proxy", proxy)
        try:
            yield memo
        finally:
            _policy.json_format = json_format
            _policy.deserialize_properties = deserialize
            _policy.unknown_checking_proxy = proxy
