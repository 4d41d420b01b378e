"""The pack's layout (docs/CONVENTIONS.md's table): each module in its place, imports only downhill.

Read from the source's import statements, not by importing: a new module at
the top of the package, a reader that reaches into a policy or a generated
table that imports the pack fails here with the module, the import and the
rule it breaks.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "policy" / "envstack_policy"

TOP_LEVEL = {"__init__", "_version", "pack", "compliance", "exemptions", "cli"}
"""Modules that stay at the top: the package, its version, the list of policies, the controls they
cover and the adoption features. Every other module belongs to a subpackage."""

PLACES = ("policies", "readers", "data", "serving", "reports")

MAY_IMPORT = {
    "policies": {"policies", "readers", "data", "compliance"},
    "readers": {"readers", "data"},
    "data": set(),
    "compliance": {"data"},
    "exemptions": {"readers"},
    "reports": {"reports", "exemptions"},
    "pack": {"policies", "exemptions"},
    "cli": {"pack", "reports"},
    "serving": {"serving", "pack", "exemptions", "readers", "_version"},
}
"""Which places each place may import (its first name under ``envstack_policy``)."""


def _modules() -> dict[str, Path]:
    """Every module of the pack by dotted name under ``envstack_policy`` (``readers.values``)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path) -> set[str]:
    """The pack's modules and packages that ``name`` imports, as dotted names under ``envstack_policy``."""
    here = name.split(".")[:-1]  # the package a module (or a package's __init__) sits in
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.split(".")[0] == "envstack_policy":
                target = node.module.split(".")[1:]
            else:
                continue
            if PACKAGE.joinpath(*target).is_dir():  # `from .readers import tokens`: the names are modules
                imported |= {".".join([*target, alias.name]) for alias in node.names}
            else:  # `from .readers.values import lookup`: the module is the target
                imported.add(".".join(target))
        elif isinstance(node, ast.Import):
            imported |= {
                alias.name.removeprefix("envstack_policy.")
                for alias in node.names
                if alias.name.startswith("envstack_policy.")
            }
    return imported


def _place(name: str) -> str:
    return name.split(".", maxsplit=1)[0]


def test_every_module_is_at_the_top_by_name_or_in_a_place() -> None:
    misplaced = [name for name in _modules() if "." not in name and name not in TOP_LEVEL]
    assert not misplaced, (
        f"{misplaced} sit at the top of envstack_policy: a policy goes in policies/, a shared reader in "
        "readers/, a generated table in data/, serving code in serving/ (docs/CONVENTIONS.md)"
    )
    assert {_place(name) for name in _modules()} == TOP_LEVEL | set(PLACES)


def test_subpackages_hold_no_imports_so_each_name_has_one_import_path() -> None:
    for place in PLACES:
        init = PACKAGE / place / "__init__.py"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{place}/__init__.py says what the place holds"
        statements = [node for node in tree.body if not isinstance(node, ast.Expr)]
        assert not statements, f"{place}/__init__.py re-exports or runs code: keep it a docstring only"


@pytest.mark.parametrize("name", sorted(_modules()))
def test_each_module_imports_only_what_its_place_may(name: str) -> None:
    place = _place(name)
    allowed = MAY_IMPORT.get(place)
    imported = _imports(name, _modules()[name])
    if allowed is None:
        assert not imported, f"envstack_policy.{name} imports {sorted(imported)}"
        return
    broken = sorted(target for target in imported if _place(target) not in allowed)
    assert not broken, (
        f"envstack_policy.{name} ({place}) imports {broken}; {place} may import only {sorted(allowed)}"
    )


def test_the_import_reader_resolves_relative_and_absolute_imports(tmp_path: Path) -> None:
    """The rule above is only as good as its reading of imports: pin it on each form the pack uses."""
    source = tmp_path / "x.py"
    source.write_text(
        "from .. import compliance\nfrom ..readers import tokens\nfrom ..data.taggable import T\n"
        "from .access import f\nfrom envstack_policy.serving import main\nimport envstack_policy.pack\n"
        "import os\nfrom pulumi_policy import Policy\n",
        encoding="utf-8",
    )
    assert _imports("policies.x", source) == {
        "compliance",
        "readers.tokens",
        "data.taggable",
        "policies.access",
        "serving.main",
        "pack",
    }
    package_init = tmp_path / "__init__.py"
    package_init.write_text("from . import values\nfrom .links import link\n", encoding="utf-8")
    assert _imports("readers.__init__", package_init) == {"readers.values", "readers.links"}
