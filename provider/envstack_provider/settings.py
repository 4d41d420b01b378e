"""Validation of the component's inputs into fully resolved settings.

Validation runs before the component registers itself or any child, so a bad
input costs nothing: the error names the input, the value and the rule, and no
resource is left half-created. The result is a frozen ``Settings`` in which
every default (common or from the environment's profile) is already applied,
so the resource modules never see a missing value.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NotRequired, cast, get_args, get_origin

import pulumi

from .args import EnvironmentStackArgs
from .naming import MAX_SUFFIX_LENGTH, PhysicalNames
from .profiles import PROFILES

SUPPORTED_RUNTIMES = ("python3.12", "python3.13", "python3.14")
"""Python runtimes AWS Lambda supports without a deprecation date in sight."""

DEFAULT_RUNTIME = "python3.14"
"""The newest Python AWS Lambda supports; a policy test fails when AWS's lifecycle data names a newer one."""
DEFAULT_TIMEOUT_SECONDS = 300
DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 30
DEFAULT_MESSAGE_RETENTION_SECONDS = 1_209_600
DEFAULT_MAX_RECEIVE_COUNT = 3
VISIBILITY_TIMEOUT_FACTOR = 6
"""AWS advises a queue visibility timeout of six times the function timeout."""

LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip
"""The retention periods CloudWatch Logs accepts."""

_SUFFIX = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key|alias)/[A-Za-z0-9/_-]+$")
_TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$")
MIN_QUEUE_AGE_ALARM_SECONDS = 60
"""CloudWatch's shortest period for SQS's metrics: a lower age threshold could never be seen."""
ALARM_INPUTS = (
    "alarm_topic_arn",
    "dlq_alarm_threshold",
    "function_errors_alarm_threshold",
    "function_throttles_alarm_threshold",
    "queue_age_alarm_seconds",
)
"""The inputs that tune the alarms: refused with ``alarms_enabled`` false rather than silently ignored."""
_TAG_KEY_MAX = 128
_TAG_VALUE_MAX = 256

_INPUT_TYPES = {
    name: get_args(hint)[0] if get_origin(hint) is cast(object, NotRequired) else hint
    for name, hint in EnvironmentStackArgs.__annotations__.items()
}

KNOWN_INPUTS = frozenset(_INPUT_TYPES)
"""Every input by its Python name: the keys of ``EnvironmentStackArgs``, the schema's source."""

INTEGER_INPUTS = tuple(name for name, hint in _INPUT_TYPES.items() if hint is int)
"""The inputs typed ``int`` in ``EnvironmentStackArgs``: each follows ``whole_number``."""

INTEGER_RANGES: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "lambda_memory_mb": (128, 10240),
        "lambda_timeout_seconds": (1, 900),
        "noncurrent_version_expiration_days": (1, 36500),
        "message_retention_seconds": (60, 1_209_600),
        "max_receive_count": (1, 1000),
        "dlq_alarm_threshold": (1, 100_000),
        "function_errors_alarm_threshold": (1, 100_000),
        "function_throttles_alarm_threshold": (1, 100_000),
        "queue_age_alarm_seconds": (MIN_QUEUE_AGE_ALARM_SECONDS, 1_209_600),
    }
)
"""The inclusive bounds of each ranged integer input; each input's docstring in ``args.py`` states them."""


class InvalidInputError(ValueError):
    """An input of ``EnvironmentStack`` broke a rule; nothing was registered."""

    def __init__(self, field: str, value: object, rule: str) -> None:
        self.field = field
        self.value = value
        self.rule = rule
        super().__init__(self.describe(field))

    def describe(self, name: str) -> str:
        """The message, naming the input as the caller knows it (snake_case or schema camelCase)."""
        return f"EnvironmentStack input '{name}' has invalid value {self.value!r}: {self.rule}"


@dataclass(frozen=True)
class Settings:
    """Every setting of one environment's stack, validated and defaulted."""

    environment: str
    suffix: str
    names: PhysicalNames
    lambda_memory_mb: int
    lambda_timeout_seconds: int
    lambda_runtime: str
    noncurrent_version_expiration_days: int
    message_retention_seconds: int
    max_receive_count: int
    log_retention_days: int
    notification_email: pulumi.Input[str] | None
    kms_key_arn: pulumi.Input[str] | None
    tags: Mapping[str, str]
    alarms_enabled: bool
    alarm_topic_arn: pulumi.Input[str] | None
    """The topic the alarms notify; ``None`` means the stack's own topic."""
    dlq_alarm_threshold: int
    function_errors_alarm_threshold: int
    function_throttles_alarm_threshold: int
    queue_age_alarm_seconds: int

    @property
    def visibility_timeout_seconds(self) -> int:
        """The queue's visibility timeout, derived from the function timeout."""
        return self.lambda_timeout_seconds * VISIBILITY_TIMEOUT_FACTOR


def whole_number(field: str, value: object, *, from_wire: bool = False) -> int:
    """The rule of every integer input: an int, never a bool.

    The provider's wire carries every number as a float, so there (``from_wire``)
    a whole float stands for its int and a fraction breaks the rule.
    """
    if from_wire and isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(field, value, "must be a whole number")
    return value


def _int_in_range(args: Mapping[str, Any], field: str, default: int) -> int:
    value = whole_number(field, _plain(args, field, default))
    low, high = INTEGER_RANGES[field]
    if not low <= value <= high:
        raise InvalidInputError(field, value, f"must be from {low} to {high}")
    return value


def _plain(args: Mapping[str, Any], field: str, default: Any = None) -> Any:
    """A value that decides what gets registered, so it must be known now."""
    value = args.get(field, default)
    if isinstance(value, pulumi.Output):
        raise InvalidInputError(
            field,
            value,
            "must be a plain value known before deployment, not an Output: it decides which resources exist",
        )
    return value


def _checked_input(
    args: Mapping[str, Any], field: str, check: Callable[[object], str]
) -> pulumi.Input[str] | None:
    """Check a plain value now, or an Output when it resolves (it may be secret or unknown in preview)."""
    value = args.get(field)
    if value is None:
        return None
    if isinstance(value, pulumi.Output):
        return value.apply(check)
    return check(value)


def _environment(args: Mapping[str, Any]) -> str:
    value = _plain(args, "environment")
    if value not in PROFILES:
        raise InvalidInputError("environment", value, f"must be one of {', '.join(PROFILES)}")
    return str(value)


def _suffix(args: Mapping[str, Any], environment: str) -> str:
    value = _plain(args, "environment_suffix", environment)
    if not isinstance(value, str) or len(value) > MAX_SUFFIX_LENGTH or not _SUFFIX.match(value):
        raise InvalidInputError(
            "environment_suffix",
            value,
            f"must be 1 to {MAX_SUFFIX_LENGTH} lowercase letters, digits and hyphens,"
            " starting and ending with a letter or digit",
        )
    return value


def _runtime(args: Mapping[str, Any]) -> str:
    value = _plain(args, "lambda_runtime", DEFAULT_RUNTIME)
    if value not in SUPPORTED_RUNTIMES:
        raise InvalidInputError("lambda_runtime", value, f"must be one of {', '.join(SUPPORTED_RUNTIMES)}")
    return str(value)


def _log_retention(args: Mapping[str, Any], default: int) -> int:
    value = _plain(args, "log_retention_days", default)
    if isinstance(value, bool) or value not in LOG_RETENTION_DAYS:
        raise InvalidInputError(
            "log_retention_days",
            value,
            "must be one of the periods CloudWatch Logs accepts: "
            + ", ".join(str(days) for days in LOG_RETENTION_DAYS),
        )
    return int(value)


def _email(value: object) -> str:
    if not isinstance(value, str) or len(value) > 254 or not _EMAIL.match(value):
        raise InvalidInputError(
            "notification_email", value, "must be an email address such as team@example.com"
        )
    return value


def _kms_key(value: object) -> str:
    if not isinstance(value, str) or not _KMS_KEY_ARN.match(value):
        raise InvalidInputError(
            "kms_key_arn",
            value,
            "must be a KMS key or alias ARN such as arn:aws:kms:us-east-1:123456789012:key/<key-id>",
        )
    return value


def _topic(value: object) -> str:
    if not isinstance(value, str) or not _TOPIC_ARN.match(value):
        raise InvalidInputError(
            "alarm_topic_arn",
            value,
            "must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts",
        )
    return value


def _alarms_enabled(args: Mapping[str, Any], default: bool) -> bool:
    value = _plain(args, "alarms_enabled", default)
    if not isinstance(value, bool):
        raise InvalidInputError("alarms_enabled", value, "must be true or false")
    if not value:
        tuned = [field for field in ALARM_INPUTS if args.get(field) is not None]
        if tuned:
            raise InvalidInputError(
                tuned[0], args[tuned[0]], "tunes an alarm, but alarms_enabled is false: remove one of them"
            )
    return value


def _tags(args: Mapping[str, Any], environment: str) -> Mapping[str, str]:
    value = _plain(args, "tags", {})
    if not isinstance(value, Mapping):
        raise InvalidInputError("tags", value, "must be a map of strings to strings")
    for key, tag in value.items():
        if not isinstance(key, str) or not isinstance(tag, str):
            raise InvalidInputError("tags", value, "must be a map of strings to strings")
        if not 1 <= len(key) <= _TAG_KEY_MAX or key.lower().startswith("aws:"):
            raise InvalidInputError(
                "tags",
                value,
                f"tag key {key!r} must be 1 to {_TAG_KEY_MAX} characters and not start with 'aws:'",
            )
        if len(tag) > _TAG_VALUE_MAX:
            raise InvalidInputError(
                "tags", value, f"tag {key!r} has a value longer than {_TAG_VALUE_MAX} characters"
            )
    return MappingProxyType({"Environment": environment, "ManagedBy": "envstack", **value})


def resolve(args: Mapping[str, Any]) -> Settings:
    """Validate ``args`` and apply every default; raise ``InvalidInputError`` on the first bad input."""
    if not isinstance(args, Mapping):
        raise InvalidInputError("args", args, "must be a mapping of EnvironmentStack inputs")
    unknown = sorted(set(args) - KNOWN_INPUTS)
    if unknown:
        raise InvalidInputError(
            unknown[0], args[unknown[0]], f"is not an input; known inputs: {', '.join(sorted(KNOWN_INPUTS))}"
        )
    environment = _environment(args)
    profile = PROFILES[environment]
    suffix = _suffix(args, environment)
    timeout = _int_in_range(args, "lambda_timeout_seconds", DEFAULT_TIMEOUT_SECONDS)
    return Settings(
        environment=environment,
        suffix=suffix,
        names=PhysicalNames.for_suffix(suffix),
        lambda_memory_mb=_int_in_range(args, "lambda_memory_mb", profile.lambda_memory_mb),
        lambda_timeout_seconds=timeout,
        lambda_runtime=_runtime(args),
        noncurrent_version_expiration_days=_int_in_range(
            args, "noncurrent_version_expiration_days", DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS
        ),
        message_retention_seconds=_int_in_range(
            args, "message_retention_seconds", DEFAULT_MESSAGE_RETENTION_SECONDS
        ),
        max_receive_count=_int_in_range(args, "max_receive_count", DEFAULT_MAX_RECEIVE_COUNT),
        log_retention_days=_log_retention(args, profile.log_retention_days),
        notification_email=_checked_input(args, "notification_email", _email),
        kms_key_arn=_checked_input(args, "kms_key_arn", _kms_key),
        tags=_tags(args, environment),
        alarms_enabled=_alarms_enabled(args, profile.alarms_enabled),
        alarm_topic_arn=_checked_input(args, "alarm_topic_arn", _topic),
        dlq_alarm_threshold=_int_in_range(args, "dlq_alarm_threshold", 1),
        function_errors_alarm_threshold=_int_in_range(
            args, "function_errors_alarm_threshold", profile.function_errors_alarm_threshold
        ),
        function_throttles_alarm_threshold=_int_in_range(
            args, "function_throttles_alarm_threshold", profile.function_throttles_alarm_threshold
        ),
        queue_age_alarm_seconds=_int_in_range(
            args, "queue_age_alarm_seconds", max(MIN_QUEUE_AGE_ALARM_SECONDS, timeout)
        ),
    )
