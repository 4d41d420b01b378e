"""Read resource properties the way the engine sends them, unknowns included.

During ``pulumi preview`` a property computed from another resource's output
is not known yet. pulumi-policy hands policies a proxy that raises
``UnknownValueError`` when such a value is read (``Analyze``,
``AnalyzeStack``), but passes the raw sentinel strings through where it does
not proxy (``Remediate``). ``lookup`` turns both into the one ``UNKNOWN``
marker, so a policy can say "can't judge this yet" instead of crashing or
mistaking a sentinel for a real value. ``pulumi up`` analyzes again once the
value is known, so skipping an unknown never lets a violation through.
"""

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_policy.proxy import (
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
)

SENTINELS: Final = frozenset(
    {
        UNKNOWN_BOOLEAN_VALUE,
        UNKNOWN_NUMBER_VALUE,
        UNKNOWN_STRING_VALUE,
        UNKNOWN_ARRAY_VALUE,
        UNKNOWN_ASSET_VALUE,
        UNKNOWN_ARCHIVE_VALUE,
        UNKNOWN_OBJECT_VALUE,
    }
)
"""The strings the engine sends in place of values it can't know during preview."""


class Unknown:
    """The type of ``UNKNOWN``: a value that will only be known after deployment."""

    _instance: "Unknown | None" = None

    def __new__(cls) -> "Unknown":
        """Return the one instance, so ``is UNKNOWN`` works everywhere."""
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        """Show as UNKNOWN in assertion messages."""
        return "UNKNOWN"


UNKNOWN: Final = Unknown()
"""A property that exists but has no value yet (preview)."""


def _sentinel(value: Any) -> bool:
    return value is UNKNOWN or (isinstance(value, str) and value in SENTINELS)


def _step(current: Any, step: str | int) -> Any:
    """One step down a path: an index into a list or a key into an object; ``None`` if absent."""
    if isinstance(step, int):
        found = (
            isinstance(current, Sequence)
            and not isinstance(current, str)
            and -len(current) <= step < len(current)
        )
    else:
        found = isinstance(current, Mapping) and step in current
    return current[step] if found else None


def lookup(props: Any, *path: str | int) -> Any:
    """The value at ``path`` inside ``props``; ``None`` if absent, ``UNKNOWN`` if not known yet."""
    current = props
    try:
        for step in path:
            if _sentinel(current):
                return UNKNOWN
            current = _step(current, step)
    except UnknownValueError:
        return UNKNOWN
    return UNKNOWN if _sentinel(current) else current


def items(value: Any) -> list[Any]:
    """The elements of a list property; an object counts as a list of one (v7 allows both in places)."""
    if value is None or value is UNKNOWN:
        return []
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, str) or not isinstance(value, Sequence):
        return []
    return [lookup(value, index) for index in range(len(value))]


def as_list(value: Any) -> list[Any]:
    """A JSON policy field that may be a single value or a list, as a list."""
    if value is None:
        return []
    if isinstance(value, str | Mapping) or not isinstance(value, Sequence):
        return [value]
    return [lookup(value, index) for index in range(len(value))]


def truthy(value: Any) -> bool:
    """Whether a boolean-like property is set to true (``"true"`` strings included)."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return value is True


def json_object(value: Any) -> Any:
    """A JSON document property (IAM policy, redrive policy): text or an object; ``None`` if unreadable."""
    if value is UNKNOWN or value is None:
        return value
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, Mapping) else None


def statements(document: Any) -> list[Any]:
    """The statements of a policy document (``Statement`` may be one object or a list)."""
    return [s for s in as_list(lookup(document, "Statement")) if isinstance(s, Mapping)]


def labelled_statements(document: Any) -> list[tuple[str, Mapping[str, Any]]]:
    """Each statement of a policy document with the label findings name it by: ``Sid``, else ``#index``."""
    return [(str(lookup(s, "Sid") or f"#{index}"), s) for index, s in enumerate(statements(document))]


def from_another_resource(resource: Any, key: str) -> bool:
    """Whether the program set input ``key`` of a stack resource from another resource's output.

    AnalyzeStack sends each resource's outputs with its ``propertyDependencies``: the inputs the
    program built from other resources, with those resources' URNs (inputs without such a
    dependency are left out, as the real engine sends them).
    """
    dependencies = getattr(resource, "property_dependencies", None) or {}
    return key in dependencies


def output(resource: Any, key: str) -> Any:
    """A stack resource's output ``key``, where an unknown that the provider computes counts as unset.

    In a preview of a create, the bridged AWS provider returns every computed output the program
    left unset as unknown (a bucket's ``policy``, a queue's ``redrivePolicy``). A value the program
    did set is known unless it comes from another resource, and then the engine names that
    resource in ``propertyDependencies``. So an unknown without such a dependency is one the
    program left to AWS's default, which is what leaving it unset means: judging it as absent
    lets a policy fire at preview instead of waiting for ``pulumi up``. An unknown that does come
    from another resource stays ``UNKNOWN``: that value is never guessed.
    """
    value = lookup(resource.props, key)
    if value is UNKNOWN and not from_another_resource(resource, key):
        return None
    return value
