"""The pack's entry point sets its process up before the heavy imports, for both ways the engine starts it.

``envstack_policy.serving.main`` is what the ``envstack-policy-pack`` executable and
``policy/__main__.py`` run. It keeps the cyclic collector off while the
server's imports (pulumi-policy, the Pulumi SDK) load, and the server turns
it back on, tuned, before it answers anything. ``make bench`` prints what
each start-up phase costs (``bench/pack_cost.py``).
"""

import gc
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from envstack_policy import pack
from envstack_policy.serving import main, server

POLICY_DIR = Path(__file__).resolve().parents[2] / "policy"


@pytest.fixture
def restore_gc() -> Iterator[None]:
    """Give the test process back the collector's settings the entry point changes for the pack's own."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)
    gc.enable()


@pytest.mark.usefixtures("restore_gc")
def test_the_entry_point_turns_the_collector_off_before_the_server_serves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(server, "serve", lambda: seen.append(gc.isenabled()))

    main.serve()

    assert seen == [False]


@pytest.mark.usefixtures("restore_gc")
def test_tuning_freezes_the_imported_heap_and_turns_the_collector_back_on() -> None:
    gc.disable()

    pack.tune_garbage_collection()

    assert gc.isenabled()
    assert gc.get_threshold()[0] == pack.GC_THRESHOLD
    assert gc.get_freeze_count() > 0


def test_both_ways_of_starting_the_pack_go_through_the_entry_point() -> None:
    project = tomllib.loads((POLICY_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["envstack-policy-pack"] == "envstack_policy.serving.main:serve"
    assert "from envstack_policy.serving.main import serve" in (POLICY_DIR / "__main__.py").read_text(
        encoding="utf-8"
    )
