"""Which resources of a stack configure which others (stack policies).

In pulumi-aws v7 a bucket's encryption, public access block and policy are
separate resources that name the bucket in their ``bucket`` input, and an
event source mapping names its queue by ARN. A stack policy links them two
ways: through the engine's property dependencies (the ``bucket`` input came
from that bucket's output; this works during preview, when names and ARNs
may still be unknown) and through equal known values (the bucket's name or
ARN typed in by hand). Both lookups go through dictionaries, so linking is
linear in the stack's size: a stack of 10,000 resources must not cost
10,000 squared comparisons.

Finding a stack's resources of a type goes through an index too, when the
stack comes as a ``TypedStack`` (the server hands every stack policy one):
the stack policies ask for some two dozen types between them, and scanning
every resource for each, cheap while a stack fits in the processor's cache,
cost seven times as much per resource at 10,000 resources as at 1,000.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pulumi_policy import PolicyResource

from .values import UNKNOWN, lookup


@dataclass
class Links:
    """The configuring resources found for each target, by the target's URN."""

    by_target: dict[str, list[PolicyResource]] = field(default_factory=dict)
    unresolved: list[PolicyResource] = field(default_factory=list)
    """Configuring resources whose target can't be known until deployment."""

    def of(self, target: PolicyResource) -> list[PolicyResource]:
        """The resources that configure ``target``."""
        return self.by_target.get(target.urn, [])

    def targets_of(self, targets: Iterable[PolicyResource]) -> dict[str, list[PolicyResource]]:
        """The links read the other way: each configuring resource's URN -> the ``targets`` it names."""
        found: dict[str, list[PolicyResource]] = {}
        for target in targets:
            for config in self.of(target):
                found.setdefault(config.urn, []).append(target)
        return found


class TypedStack(list[PolicyResource]):
    """A stack's resources, in stack order, with their positions indexed by type.

    The index is built once per stack and shared by the copies ``copy``
    makes, one per stack policy; it is read, never changed. The pack's stack
    policies never change the list they are handed (a test pins that), so
    the index stays true to it.
    """

    def __init__(
        self,
        resources: Iterable[PolicyResource],
        by_type: Mapping[str, Sequence[tuple[int, PolicyResource]]] | None = None,
    ) -> None:
        """The resources; their index by type is ``by_type`` when a copy shares it, else built here."""
        super().__init__(resources)
        if by_type is None:
            index: dict[str, list[tuple[int, PolicyResource]]] = {}
            for position, resource in enumerate(self):
                index.setdefault(resource.resource_type, []).append((position, resource))
            by_type = index
        self.by_type = by_type

    def copy(self) -> "TypedStack":
        """A list of its own for one policy, sharing the index."""
        return TypedStack(self, self.by_type)

    def of_types(self, tokens: Iterable[str]) -> list[PolicyResource]:
        """The resources of the given types, in stack order, from the index."""
        found = [entry for token in frozenset(tokens) for entry in self.by_type.get(token, ())]
        found.sort(key=_position)
        return [resource for _, resource in found]


def _position(entry: tuple[int, PolicyResource]) -> int:
    return entry[0]


def of_types(resources: Iterable[PolicyResource], tokens: Iterable[str]) -> list[PolicyResource]:
    """The stack's resources of the given types, in stack order (through the index of a ``TypedStack``)."""
    if isinstance(resources, TypedStack):
        return resources.of_types(tokens)
    wanted = frozenset(tokens)
    return [r for r in resources if r.resource_type in wanted]


def link(
    targets: Sequence[PolicyResource], keys: Sequence[str], configs: Iterable[PolicyResource], prop: str
) -> Links:
    """Link each of ``configs`` to the targets its ``prop`` names (by a target's ``keys`` values)."""
    urns = {t.urn for t in targets}
    by_value: dict[str, str] = {}
    for target in targets:
        for key in keys:
            value = lookup(target.props, key)
            if isinstance(value, str) and value:
                by_value.setdefault(value, target.urn)
    links = Links()
    for config in configs:
        dependencies: Mapping[str, list[PolicyResource]] = config.property_dependencies or {}
        matched = {d.urn for d in dependencies.get(prop, []) if d.urn in urns}
        value = lookup(config.props, prop)
        if isinstance(value, str) and value in by_value:
            matched.add(by_value[value])
        if not matched and value is UNKNOWN:
            links.unresolved.append(config)
        for urn in matched:
            links.by_target.setdefault(urn, []).append(config)
    return links
