"""Pulumi's wire encoding of property values, turned into plain Python for assertions.

The engine and the plugins exchange properties as ``google.protobuf.Struct``
values in which secrets, unknowns, assets, archives, resource references and
output values are maps tagged with a signature key. ``rpc.deserialize_properties``
turns those into live SDK objects (Outputs, Resources) that need a running
Pulumi program; a test that only wants to read what crossed the wire needs
plain values instead. This module decodes them without touching the SDK's
global state, so the harness can run in the test process next to anything else.
"""

from collections.abc import Mapping
from typing import Any, Final

from google.protobuf import json_format, struct_pb2
from pulumi.runtime import rpc

SIG_KEY: Final = rpc._special_sig_key
SECRET_SIG: Final = rpc._special_secret_sig
ASSET_SIG: Final = rpc._special_asset_sig
ARCHIVE_SIG: Final = rpc._special_archive_sig
RESOURCE_SIG: Final = rpc._special_resource_sig
OUTPUT_VALUE_SIG: Final = rpc._special_output_value_sig
UNKNOWN_TEXT: Final = rpc.UNKNOWN


class _Unknown:
    """A value the engine does not know yet (a preview's computed output)."""

    _instance: "_Unknown | None" = None

    def __new__(cls) -> "_Unknown":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()
"""The one value that stands for an unknown, so tests can write ``value is UNKNOWN``."""


def plain(value: Any) -> Any:  # noqa: PLR0911 - one branch per kind of wire value
    """Decode one JSON-shaped wire value into plain Python.

    Secrets become their value, unknowns ``UNKNOWN``, resource references
    their URN, output values their value (or ``UNKNOWN``), assets and archives
    a small dict naming what they hold, and whole floats ints (the wire
    carries every number as a double, so 512 would otherwise read as 512.0).
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == UNKNOWN_TEXT:
        return UNKNOWN
    if isinstance(value, list):
        return [plain(item) for item in value]
    if not isinstance(value, dict):
        return value
    signature = value.get(SIG_KEY)
    if signature == SECRET_SIG:
        return plain(value.get("value"))
    if signature == RESOURCE_SIG:
        return value.get("urn", "")
    if signature == OUTPUT_VALUE_SIG:
        return plain(value["value"]) if "value" in value else UNKNOWN
    if signature == ASSET_SIG:
        return {"asset": {key: item for key, item in value.items() if key != SIG_KEY}}
    if signature == ARCHIVE_SIG:
        return {"archive": {key: plain(item) for key, item in value.items() if key != SIG_KEY}}
    return {key: plain(item) for key, item in value.items()}


def plain_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    """Decode a whole property map, as found in requests and responses."""
    decoded: Mapping[str, Any] = json_format.MessageToDict(struct)
    return {key: plain(item) for key, item in decoded.items()}


def secret(value: Any) -> dict[str, Any]:
    """An input as the engine sends a secret (``config.require_secret`` in a program)."""
    return {SIG_KEY: SECRET_SIG, "value": value}


def output_value(
    value: Any = UNKNOWN, *, dependencies: tuple[str, ...] = (), is_secret: bool = False
) -> dict[str, Any]:
    """An input as the engine sends another resource's output to a component.

    The engine keeps outputs as output values for Construct: the value (absent
    while unknown, as in a preview of a create), the URNs it depends on, and
    whether it is secret.
    """
    encoded: dict[str, Any] = {SIG_KEY: OUTPUT_VALUE_SIG, "dependencies": list(dependencies)}
    if value is not UNKNOWN:
        encoded["value"] = value
    if is_secret:
        encoded["secret"] = True
    return encoded
