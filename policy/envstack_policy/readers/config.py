"""Typed reading of each policy's pack config (``--policy-pack-config``).

The Pulumi CLI validates pack config against each policy's JSON schema before
it calls ``Configure``, but the analyzer protocol itself accepts anything, so
these readers check the type again and fail with the option's name rather
than letting a wrong type surface as a confusing error deep in a policy.
"""

from collections.abc import Mapping, Sequence
from typing import Any


class ConfigError(ValueError):
    """A pack config option has the wrong type."""

    def __init__(self, option: str, value: object, expected: str) -> None:
        super().__init__(f"policy config option '{option}' must be {expected}, got {value!r}")


def flag(config: Mapping[str, Any], option: str, default: bool = False) -> bool:
    """A boolean option."""
    value = config.get(option, default)
    if not isinstance(value, bool):
        raise ConfigError(option, value, "true or false")
    return value


def text(config: Mapping[str, Any], option: str) -> str | None:
    """An optional, non-empty string option."""
    value = config.get(option)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ConfigError(option, value, "a non-empty string")
    return value


def string_list_option(description: str, default: Sequence[str] = ()) -> dict[str, Any]:
    """The JSON schema of a list-of-strings option, the shape ``strings`` reads back."""
    return {
        "type": "array",
        "items": {"type": "string"},
        "default": list(default),
        "description": description,
    }


def strings(config: Mapping[str, Any], option: str, default: Sequence[str] = ()) -> tuple[str, ...]:
    """A list-of-strings option."""
    value = config.get(option, list(default))
    if (
        isinstance(value, str)
        or not isinstance(value, Sequence)
        or not all(isinstance(v, str) for v in value)
    ):
        raise ConfigError(option, value, "a list of strings")
    return tuple(value)


def string_map(config: Mapping[str, Any], option: str) -> dict[str, str]:
    """A map-of-strings option."""
    value = config.get(option, {})
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ConfigError(option, value, "a map of strings to strings")
    return dict(value)
