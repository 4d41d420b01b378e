"""pulumi-policy's internals that the pack wraps are the ones it was checked against.

``convert_once`` swaps three names that ``pulumi_policy.policy`` calls by
module name, and ``server`` overrides the servicer's private
``_get_resource_options`` and ``_get_provider_resource``. Neither is
pulumi-policy's public API, so ``policy/pyproject.toml`` pins pulumi-policy
to the minor version they were read in, and this test fails when the
installed one differs from what was read: the sources of the servicer's
methods are compared by hash. When it fails, read the new methods, check
that the wrapped names are still what they convert, and update ``CHECKED``
and the pin.
"""

import hashlib
import inspect
import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from pulumi_policy import policy as pulumi_policy_module
from pulumi_policy.policy import _PolicyAnalyzerServicer

ROOT = Path(__file__).resolve().parents[2]

CHECKED_VERSION = "1.21.0"
CHECKED = {
    "Analyze": "75db9cf8fc9d1585",
    "AnalyzeStack": "3917a008482c2387",
    "ConfigureStack": "e71ae9c3aeeefc4a",
    "_get_resource_options": "986051047b696f0f",
    "_get_provider_resource": "5db736069fc8d3d6",
    "__init__": "d79091472a8911d6",
}
"""The first 16 hex digits of the sha256 of each servicer method's source, as read in CHECKED_VERSION."""

WRAPPED = ("json_format", "deserialize_properties", "unknown_checking_proxy")
"""The names ``convert_once`` swaps in pulumi-policy's module."""


def _digest(name: str) -> str:
    return hashlib.sha256(inspect.getsource(getattr(_PolicyAnalyzerServicer, name)).encode()).hexdigest()[:16]


@pytest.mark.parametrize("method", sorted(CHECKED))
def test_the_servicer_methods_the_pack_wraps_are_the_ones_read(method: str) -> None:
    assert _digest(method) == CHECKED[method], (
        f"pulumi-policy {version('pulumi-policy')}'s _PolicyAnalyzerServicer.{method} moved: recheck"
        " convert_once.py and server.py against it, then update CHECKED and the pin"
    )


def test_the_names_convert_once_swaps_are_called_by_module_name() -> None:
    for name in WRAPPED:
        assert hasattr(pulumi_policy_module, name), name
    for method in ("Analyze", "AnalyzeStack"):
        source = inspect.getsource(getattr(_PolicyAnalyzerServicer, method))
        assert "json_format.MessageToDict(" in source
        assert "deserialize_properties(" in source
        assert "unknown_checking_proxy(" in source
        assert "self._get_resource_options(" in source
        assert "self._get_provider_resource(" in source


def test_the_pin_is_the_checked_minor_and_the_installed_version_is_in_it() -> None:
    project = tomllib.loads((ROOT / "policy" / "pyproject.toml").read_text())["project"]
    [requirement] = [d for d in project["dependencies"] if d.startswith("pulumi-policy")]
    major, minor, _ = CHECKED_VERSION.split(".")
    assert requirement == f"pulumi-policy>={CHECKED_VERSION},<{major}.{int(minor) + 1}"
    assert version("pulumi-policy") == CHECKED_VERSION
    dev_pin = re.search(r"^pulumi-policy==(\S+)$", (ROOT / "requirements" / "dev.in").read_text(), re.M)
    assert dev_pin is not None and dev_pin.group(1) == CHECKED_VERSION
