"""The pack's table of framework controls is what the pinned Prowler's compliance data generates.

Prowler runs from its own virtualenv (``make prowler-venv``; its pins conflict with the
main one's), so ``tools/framework_data.py`` runs under Prowler's interpreter, as
``make framework-data`` runs it; this fails while ``envstack_policy/data/framework_data.py``
is stale, so a Prowler upgrade shows the controls it added, renamed or dropped (and
``tests/policy_unit/test_compliance.py`` then names the decisions they need).
"""

import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from envstack_policy.compliance import DECISIONS

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-prowler"
GENERATED = ROOT / "policy" / "envstack_policy" / "data" / "framework_data.py"
VERSION = "5.46.0"
"""The Prowler that requirements/prowler.in pins (a test pins the two together)."""
TIMEOUT_SECONDS = 120


@pytest.fixture(scope="module")
def python() -> Path:
    """Prowler's interpreter: missing, the test fails with the make target that builds it."""
    path = VENV / "bin" / "python"
    if not path.exists():
        raise RuntimeError(f"{path} is missing: run `make prowler-venv` (make test builds it first)")
    return path


def test_the_pinned_prowler_is_the_one_installed(python: Path) -> None:
    assert f"prowler=={VERSION}\n" in (ROOT / "requirements" / "prowler.in").read_text()
    done = subprocess.run(
        [str(python), "-c", "from importlib.metadata import version; print(version('prowler'))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=TIMEOUT_SECONDS,
    )
    assert done.stdout.strip() == VERSION


@pytest.fixture(scope="module")
def fresh(python: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The table as the installed Prowler's data generates it now (once per module)."""
    out = tmp_path_factory.mktemp("prowler") / "framework_data.py"
    subprocess.run(
        [str(python), str(ROOT / "tools" / "framework_data.py"), str(out)],
        check=True,
        timeout=TIMEOUT_SECONDS,
    )
    return out.read_text(encoding="utf-8")


def test_the_checked_in_table_is_what_the_installed_prowler_generates(fresh: str) -> None:
    assert GENERATED.read_text(encoding="utf-8") == fresh, (
        "policy/envstack_policy/data/framework_data.py differs from the installed Prowler's data:"
        " run make framework-data"
    )
    assert f'SOURCE: Final = "Prowler {VERSION}"' in fresh
    assert '"S3.5": ("S3", ' in fresh  # the FSBP's controls were read, not an empty answer


def test_every_control_the_installed_prowler_holds_in_scope_has_a_decision(fresh: str) -> None:
    """On a Prowler upgrade this names the controls to decide in compliance.py, before the table moves."""
    namespace: dict[str, Any] = {}
    exec(compile(fresh, "framework_data.py", "exec"), namespace)  # the generator's output, never edited
    controls: Mapping[str, Mapping[str, Any]] = namespace["CONTROLS"]
    for framework, decided in DECISIONS.items():
        assert sorted(set(controls[framework]) - set(decided)) == [], (
            f"{framework}: controls with no decision"
        )
        assert sorted(set(decided) - set(controls[framework])) == [], f"{framework}: decided, not in Prowler"
    assert len(controls["aws-fsbp"]) + len(controls["cis-aws"]) > 100
