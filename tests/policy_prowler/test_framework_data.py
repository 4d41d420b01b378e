"""The pack's table of framework controls is what the pinned Prowler's compliance data generates.

Prowler runs from its own virtualenv (``make prowler-venv``; its pins conflict with the
main one's), so ``tools/framework_data.py`` runs under Prowler's interpreter, as
``make framework-data`` runs it; this fails while ``envstack_policy/framework_data.py``
is stale, so a Prowler upgrade shows the controls it added, renamed or dropped (and
``tests/policy_unit/test_compliance.py`` then names the decisions they need).
"""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-prowler"
GENERATED = ROOT / "policy" / "envstack_policy" / "framework_data.py"
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


def test_the_checked_in_table_is_what_the_installed_prowler_generates(python: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "framework_data.py"
    subprocess.run(
        [str(python), str(ROOT / "tools" / "framework_data.py"), str(fresh)],
        check=True,
        timeout=TIMEOUT_SECONDS,
    )
    text = fresh.read_text(encoding="utf-8")
    assert GENERATED.read_text(encoding="utf-8") == text, (
        "policy/envstack_policy/framework_data.py differs from the installed Prowler's data:"
        " run make framework-data"
    )
    assert f'SOURCE: Final = "Prowler {VERSION}"' in text
    assert '"S3.5": ("S3", ' in text  # the FSBP's controls were read, not an empty answer
