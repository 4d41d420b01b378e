"""The slowest tests and the count line ``make bench`` reports, read from a real pytest run."""

import subprocess
import sys
from pathlib import Path

from bench.suite import slowest_tests, summary_line, time_by_folder

SAMPLE_TESTS = """
import time

def test_slow():
    time.sleep(0.3)

def test_quick():
    pass

def test_skipped():
    import pytest
    pytest.skip("not here")
"""


def test_slowest_tests_and_the_summary_are_read_from_pytests_own_output(tmp_path: Path) -> None:
    folder = tmp_path / "tests" / "unit"
    folder.mkdir(parents=True)
    (folder / "test_sample.py").write_text(SAMPLE_TESTS)
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "--durations=0",
         "--rootdir", str(tmp_path), "tests/unit/test_sample.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout

    slow = slowest_tests(completed.stdout)

    assert slow[0].test == "tests/unit/test_sample.py::test_slow"
    assert slow[0].phase == "call"
    assert slow[0].seconds >= 0.3
    assert summary_line(completed.stdout) == "2 passed, 1 skipped"
    by_folder = time_by_folder(slow)
    assert list(by_folder) == ["tests/unit"]
    assert by_folder["tests/unit"] >= 0.3
