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


def of_types(resources: Iterable[PolicyResource], tokens: Iterable[str]) -> list[PolicyResource]:
    """The stack's resources of the given types, in stack order."""
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
