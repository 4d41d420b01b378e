"""sdk/ is exactly what Pulumi's generators write from the checked-in schema.json.

The check runs the repository's sdkgen (Pulumi's own code generators used as a
Go library) on a copy of sdk/ and compares file by file, so a hand edit, a
stale file or a schema change without `make sdks` fails here.
"""

from pathlib import Path

import pytest

from .toolchains import LANGUAGES, SCHEMA, SDK, copy_tracked, sdkgen, tracked_files, tree_differences

pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the checked-in sdk/ (the npm lockfile is kept) with every SDK regenerated over it."""
    out = tmp_path_factory.mktemp("regenerated")
    copy_tracked(SDK, out)
    sdkgen(SCHEMA, out)
    return out


def test_checked_in_sdks_are_exactly_what_make_sdks_generates(regenerated: Path, tmp_path: Path) -> None:
    checked_in = tmp_path / "checked_in"
    copy_tracked(SDK, checked_in)

    assert tree_differences(regenerated, checked_in) == [], "run `make sdks` and commit sdk/"


def test_every_language_is_generated(regenerated: Path) -> None:
    assert sorted(p.name for p in regenerated.iterdir() if p.is_dir()) == sorted(LANGUAGES)
    assert {rel.split("/")[0] for rel in tracked_files(SDK)} == set(LANGUAGES)


def test_a_hand_edit_in_sdk_is_reported_as_drift(regenerated: Path, tmp_path: Path) -> None:
    edited = tmp_path / "edited"
    copy_tracked(SDK, edited)
    target = edited / "python" / "pulumi_envstack" / "environment_stack.py"
    target.write_text(target.read_text(encoding="utf-8") + "\n# tweaked by hand\n", encoding="utf-8")
    (edited / "go" / "envstack" / "extra.go").write_text("package envstack\n", encoding="utf-8")

    assert tree_differences(regenerated, edited) == [
        "not generated: go/envstack/extra.go",
        "differs: python/pulumi_envstack/environment_stack.py",
    ]


def test_regeneration_removes_a_file_the_generator_no_longer_writes(tmp_path: Path) -> None:
    stale = tmp_path / "python" / "pulumi_envstack" / "removed_resource.py"
    stale.parent.mkdir(parents=True)
    stale.write_text("# left over from an older schema\n", encoding="utf-8")

    sdkgen(SCHEMA, tmp_path, tidy=False)

    assert not stale.exists()
    assert (tmp_path / "python" / "pulumi_envstack" / "environment_stack.py").is_file()
