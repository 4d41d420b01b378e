"""``make bench-representative`` copies only a run of every benchmark group, the newest one."""

import json
from pathlib import Path

import pytest

from bench import representative, run
from bench.run import GROUPS


def _results(directory: Path, name: str, groups: list[str]) -> Path:
    path = directory / f"bench-{name}.json"
    path.write_text(json.dumps({"rows": [], "details": {"settings": {"groups": groups}}}))
    return path


def test_the_newest_run_of_every_group_is_copied_and_partial_runs_are_passed_over(tmp_path: Path) -> None:
    target = tmp_path / "representative.json"
    _results(tmp_path, "20261201T000000Z", list(GROUPS))
    full = _results(tmp_path, "20261202T000000Z", list(GROUPS))
    _results(tmp_path, "20261203T000000Z", ["policy"])
    assert representative.main(tmp_path, target) == 0
    assert target.read_text() == full.read_text()


def test_without_a_full_run_nothing_is_copied(tmp_path: Path) -> None:
    target = tmp_path / "representative.json"
    _results(tmp_path, "20261203T000000Z", ["policy"])
    assert representative.main(tmp_path, target) == 1
    assert not target.exists()


def test_a_run_records_the_groups_it_chose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "policy_rows", lambda *args: [])  # the group's benchmarks are not the point
    assert run.main(["--only", "policy", "--results", str(tmp_path)]) == 0
    [written] = tmp_path.glob("bench-*.json")
    assert json.loads(written.read_text())["details"]["settings"]["groups"] == ["policy"]
    with pytest.raises(LookupError, match="none of every group"):
        representative.newest_full_run(tmp_path)
