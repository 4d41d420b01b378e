"""What one example program did under its language's mocks, in one shape for every language.

Python records in-process; Node, Go and the YAML engine print or write the
same JSON document (``language``, ``stack``, ``registrations``, ``exports``),
so the assertions and the hand-over to the provider's Construct are written
once and read every language alike.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from envstack_provider.component import TYPE_TOKEN

from .stack_configs import OUTPUTS


@dataclass(frozen=True)
class MockRegistration:
    """One RegisterResource call a program made, as its language's mock monitor saw it."""

    type: str
    name: str
    custom: bool
    inputs: Mapping[str, Any]
    state: Mapping[str, Any]
    """What the mocks answered: the resource's outputs."""
    remote: bool | None = None
    """Whether the SDK asked the engine to Construct it (None where the mocks cannot tell)."""


@dataclass(frozen=True)
class ExampleRun:
    """One example run for one stack."""

    language: str
    stack: str
    registrations: tuple[MockRegistration, ...]
    exports: Mapping[str, Any]

    def component(self) -> MockRegistration:
        """The single EnvironmentStack the program registered."""
        found = [r for r in self.registrations if r.type == TYPE_TOKEN]
        if len(found) != 1:
            raise AssertionError(f"{self.language}/{self.stack} registered {len(found)} {TYPE_TOKEN}")
        return found[0]


RunExample = Callable[[str, str], ExampleRun]
"""``runs(language, stack)``: the session's cached example runs (see conftest)."""


def component_state(name: str) -> dict[str, str]:
    """The outputs every language's mocks give an EnvironmentStack: one distinct string each.

    Distinct values let a test see that each export carries its own output,
    not a neighbour's.
    """
    return {camel: f"{name}-{camel}" for camel in OUTPUTS.values()}


def whole_numbers(value: Any) -> Any:
    """JSON and the wire carry numbers as doubles; 512.0 reads back as 512."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [whole_numbers(item) for item in value]
    return value


def from_document(document: Mapping[str, Any]) -> ExampleRun:
    """Parse the JSON document a Node, Go or YAML run produced."""
    return ExampleRun(
        language=str(document["language"]),
        stack=str(document["stack"]),
        registrations=tuple(
            MockRegistration(
                type=str(item["type"]),
                name=str(item["name"]),
                custom=bool(item["custom"]),
                inputs=whole_numbers(dict(item["inputs"])),
                state=dict(item["state"]),
                remote=item.get("remote"),
            )
            for item in document["registrations"]
        ),
        exports=dict(document["exports"]),
    )


def from_file(path: Path) -> ExampleRun:
    """Read one run's JSON file."""
    document: dict[str, Any] = json.loads(path.read_text())
    return from_document(document)
