"""The programs that cannot import ``component.TYPE_TOKEN`` spell it exactly.

Go, Java, JavaScript and YAML code cannot import the Python constant, so each
of these files writes the token out; the harnesses among them pick the
component's registration by it. This test reads the files: it starts no
program and no engine.
"""

import re
from pathlib import Path

import pytest

from envstack_provider.component import TYPE_TOKEN

ROOT = Path(__file__).resolve().parents[2]
SPELLED_IN = ("examples/yaml/Pulumi.yaml",)
PACKAGE, MODULE, _ = TYPE_TOKEN.split(":")
TOKEN = re.compile(rf"\b{re.escape(PACKAGE)}:{re.escape(MODULE)}:\w+")


@pytest.mark.parametrize("relative", SPELLED_IN)
def test_each_copy_of_the_type_token_is_the_components(relative: str) -> None:
    spelled = TOKEN.findall((ROOT / relative).read_text(encoding="utf-8"))
    assert spelled, f"{relative} no longer spells the type token: drop it from SPELLED_IN"
    assert set(spelled) == {TYPE_TOKEN}
