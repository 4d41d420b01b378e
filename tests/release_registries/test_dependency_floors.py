"""The pulumi and pulumi-aws floors: set in ``package.DEPENDENCY_FLOORS``, copied where not importable."""

import json
import re
import tomllib
from pathlib import Path

import pytest

from envstack_provider.package import DEPENDENCY_FLOORS, within_major

ROOT = Path(__file__).resolve().parents[2]
_REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)\s*(?P<spec>[<>=!~].*)$")


def _requirements(lines: list[str]) -> dict[str, str]:
    """Each requirement's name and specifier, comments and blank lines left out."""
    found = {}
    for line in lines:
        match = _REQUIREMENT.match(line.split("#", 1)[0].strip())
        if match:
            found[match["name"].lower()] = match["spec"].replace(" ", "")
    return found


def _pyproject_dependencies(path: Path) -> dict[str, str]:
    return _requirements(tomllib.loads(path.read_text(encoding="utf-8"))["project"]["dependencies"])


def _requirements_file(path: Path) -> dict[str, str]:
    return _requirements(path.read_text(encoding="utf-8").splitlines())


def _major_range(floor: str) -> str:
    """The hand-written files' spelling: ``>=3.272.0,<4``."""
    return f">={floor},<{int(floor.split('.', maxsplit=1)[0]) + 1}"


@pytest.mark.parametrize(
    "place",
    ["provider/pyproject.toml", "provider/requirements.txt", "policy/pyproject.toml"],
)
def test_each_distribution_requires_the_floors_up_to_the_next_major(place: str) -> None:
    path = ROOT / place
    declared = _pyproject_dependencies(path) if path.suffix == ".toml" else _requirements_file(path)
    for name, floor in DEPENDENCY_FLOORS.items():
        assert declared[name] == _major_range(floor), (place, name)


def test_the_repository_tests_with_the_floors_themselves() -> None:
    pins = _requirements_file(ROOT / "requirements" / "dev.in")
    for name, floor in DEPENDENCY_FLOORS.items():
        assert pins[name] == f"=={floor}", name
    assert (
        _requirements_file(ROOT / "policy" / "requirements.txt")["pulumi"]
        == f"=={DEPENDENCY_FLOORS['pulumi']}"
    )


def test_the_schema_and_the_python_sdk_carry_the_derived_ranges() -> None:
    schema = json.loads((ROOT / "schema.json").read_text(encoding="utf-8"))
    derived = {name: within_major(floor) for name, floor in DEPENDENCY_FLOORS.items()}
    assert schema["language"]["python"]["requires"] == derived
    sdk = _pyproject_dependencies(ROOT / "sdk" / "python" / "pyproject.toml")
    for name, spec in derived.items():
        assert sorted(sdk[name].split(",")) == sorted(spec.split(",")), name
