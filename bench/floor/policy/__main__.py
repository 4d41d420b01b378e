"""The floor of a policy pack's cold start: pulumi-policy serving one policy that checks nothing.

``make bench`` spawns this pack exactly as it spawns ``policy/`` (``python -u
-m pulumi.policy <engine> <pack folder>``, as the engine does) and times both
until GetAnalyzerInfo answers. What envstack's pack costs beyond this is
ours: importing its policy modules and building their config schemas.
"""

from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationArgs, ResourceValidationPolicy


def _accept(args: ResourceValidationArgs, report_violation: object) -> None:
    """Every resource passes: the policy exists only so that the pack has one."""


PolicyPack(
    name="floor",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=[
        ResourceValidationPolicy(
            name="floor-accept-everything",
            description="Accepts every resource.",
            validate=_accept,
        )
    ],
)
