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

AnalyzeStack goes one step further (``stack_resources`` and ``shared_stack``):
remembering each conversion still left pulumi-policy's loop rebuilding every
``PolicyResource``, its links and five remembered look-ups per resource for
each of the ten stack policies, and the many objects that rebuilding
allocated kept Python's cyclic collector walking a heap that grows with the
stack: the call's cost per resource grew 1.5x (CPU) from 1,000 to 10,000
resources. The stack is now built once per call, the way pulumi-policy
builds it (a test compares the two on the same request), with the collector
paused (``collector_paused``), and every stack policy is handed the same
resources in a list of its own; pulumi-policy's loop runs over an empty
request, so its enforcement levels, config, not-applicable answers and
preview unknowns stay its own. The pack's stack policies read the resources
and never change them (a test pins that too).

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

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from google.protobuf import json_format as _json_format
from pulumi_policy import PolicyResource
from pulumi_policy import policy as _policy_module
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import unknown_checking_proxy

from ..readers.links import TypedStack

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


def stack_resources(
    request: Any, options: Callable[[Any], Any], provider: Callable[[Any], Any]
) -> TypedStack:
    """Every resource of an AnalyzeStack ``request``, as pulumi-policy builds them for a stack policy.

    The same steps as pulumi-policy's ``AnalyzeStack`` takes for each policy,
    taken once: each resource's properties converted and wrapped in the
    unknown-checking proxy, its options and provider from ``options`` and
    ``provider`` (the servicer's own builders), then its parent, dependencies
    and property dependencies pointed at the other resources by URN, leaving
    out URNs that are not in the stack (a later resource wins a repeated URN,
    as in pulumi-policy's map).
    """
    built: list[tuple[PolicyResource, Any]] = []
    by_urn: dict[str, PolicyResource] = {}
    for r in request.resources:
        props = unknown_checking_proxy(deserialize_properties(_json_format.MessageToDict(r.properties)))
        resource = PolicyResource(r.type, props, r.urn, r.name, options(r), provider(r), None, [], {})
        built.append((resource, r))
        by_urn[r.urn] = resource
    for resource, r in built:
        resource.parent = by_urn.get(r.parent)
        resource.dependencies.extend(by_urn[urn] for urn in r.dependencies if urn in by_urn)
        for key, urns in r.propertyDependencies.items():
            resource.property_dependencies[key] = [by_urn[urn] for urn in urns.urns if urn in by_urn]
    return TypedStack(resource for resource, _ in built)


@contextmanager
def shared_stack(resources: TypedStack) -> Iterator[None]:
    """Within the block, every stack policy pulumi-policy runs is handed ``resources``.

    pulumi-policy builds each policy's ``StackValidationArgs`` by its module
    name, from the resources its loop built; here that loop ran over an empty
    request, and the arguments get ``resources`` instead, each policy in a
    list of its own that shares the index by type.
    """
    with _LOCK:
        original = _policy.StackValidationArgs

        def with_stack(_empty: list[PolicyResource], config: Any, stack_tags: Any) -> Any:
            return original(resources.copy(), config, stack_tags)

        _policy.StackValidationArgs = with_stack
        try:
            yield
        finally:
            _policy.StackValidationArgs = original


@contextmanager
def collector_paused() -> Iterator[None]:
    """Within the block, Python's cyclic garbage collector does not run.

    AnalyzeStack keeps every resource it builds until it answers, so each
    collection the building set off walked a heap that grows with the stack:
    with the collector running, the call's CPU per resource grew 1.2x from
    1,000 to 10,000 resources; paused, 1.07x. What the call frees, reference
    counting frees as usual; the little cyclic garbage it may leave is
    collected once the collector runs again. The caller frees the stack
    before the block ends: the allocations counted meanwhile make the
    collector's first run after it a collection of everything the call
    allocated that is still alive. A collector already off (the imports
    under ``main.serve``) stays off.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
