"""Per-environment profiles: the defaults that differ between dev, staging and prod.

Everything that is the same in every environment lives in ``settings.py`` as a
plain default; only what a platform team tunes per environment belongs here.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Profile:
    """Defaults selected by the ``environment`` input."""

    lambda_memory_mb: int
    log_retention_days: int
    alarms_enabled: bool = True
    """Alarms are on everywhere: dev's failures are worth hearing of too, if less urgently."""
    function_errors_alarm_threshold: int = 1
    function_throttles_alarm_threshold: int = 1


PROFILES: Mapping[str, Profile] = MappingProxyType(
    {
        "dev": Profile(
            lambda_memory_mb=512,
            log_retention_days=7,
            function_errors_alarm_threshold=5,
            function_throttles_alarm_threshold=5,
        ),
        "staging": Profile(lambda_memory_mb=512, log_retention_days=30),
        "prod": Profile(lambda_memory_mb=1024, log_retention_days=90),
    }
)
"""The known environments, in promotion order."""
