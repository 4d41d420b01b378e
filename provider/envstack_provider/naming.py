"""Physical names of the stack's resources, and the service limits they respect.

Every name is ``envstack-<role>-<suffix>``. The suffix is capped at
``MAX_SUFFIX_LENGTH`` characters; ``NAME_LIMITS`` records each service's own
maximum so that a test can prove the longest suffix fits everywhere, instead
of discovering a too-long role name at deploy time.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

PREFIX = "envstack"
"""Fixed prefix, so a team can tell envstack's resources apart in a shared account."""

MAX_SUFFIX_LENGTH = 20
"""The longest suffix that keeps every derived name within its service's limit."""

NAME_LIMITS: Mapping[str, int] = MappingProxyType(
    {
        "bucket": 63,
        "table": 255,
        "queue": 80,
        "dlq": 80,
        "topic": 256,
        "function": 64,
        "role": 64,
        "role_policy": 128,
        "log_group": 512,
        "dlq_alarm": 255,
        "errors_alarm": 255,
        "throttles_alarm": 255,
        "queue_age_alarm": 255,
    }
)
"""Maximum length of each physical name, as the AWS service documents it."""


@dataclass(frozen=True)
class PhysicalNames:
    """The physical name of every named resource in one environment."""

    bucket: str
    table: str
    queue: str
    dlq: str
    topic: str
    function: str
    role: str
    role_policy: str
    log_group: str
    dlq_alarm: str
    errors_alarm: str
    throttles_alarm: str
    queue_age_alarm: str

    @classmethod
    def for_suffix(cls, suffix: str) -> "PhysicalNames":
        """Derive every name from the environment suffix."""
        function = f"{PREFIX}-processor-{suffix}"
        return cls(
            bucket=f"{PREFIX}-data-{suffix}",
            table=f"{PREFIX}-metadata-{suffix}",
            queue=f"{PREFIX}-ingest-{suffix}",
            dlq=f"{PREFIX}-ingest-dlq-{suffix}",
            topic=f"{PREFIX}-events-{suffix}",
            function=function,
            role=f"{PREFIX}-processor-role-{suffix}",
            role_policy=f"{PREFIX}-processor-policy-{suffix}",
            log_group=f"/aws/lambda/{function}",
            dlq_alarm=f"{PREFIX}-dlq-messages-{suffix}",
            errors_alarm=f"{PREFIX}-processor-errors-{suffix}",
            throttles_alarm=f"{PREFIX}-processor-throttles-{suffix}",
            queue_age_alarm=f"{PREFIX}-ingest-age-{suffix}",
        )
