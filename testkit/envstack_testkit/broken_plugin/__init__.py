"""A test plugin whose one component registers hand-written pulumi-aws resources that break the pack's rules.

Pulumi YAML can only declare resources of a package whose schema it has, and
the stand-in AWS plugin serves only a partial one, so the real-engine tests
reach rule-breaking ``aws:*`` resources through a component instead: the
engine calls this plugin's ``Construct``, the component registers its children
through the engine's resource monitor exactly as envstack's own component does,
and the engine hands each child to the policy pack. ``BROKEN`` lists which
rule each child breaks, so a test can expect every policy id in the engine's
output.
"""

from .component import BROKEN, WELL_ENCRYPTED, RuleBreakers

__all__ = ["BROKEN", "WELL_ENCRYPTED", "RuleBreakers"]
