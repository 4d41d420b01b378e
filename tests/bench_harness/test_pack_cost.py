"""The pack-cost breakdown measures the phases the pack really goes through (no timing is judged here).

``bench/pack_cost.py`` starts the pack's modules in a fresh interpreter with a
clock mark after each phase, and replays a real preview's requests to a
spawned pack. These pin that every phase it prints is measured, and that the
replay sends what the engine sent.
"""

import json

from bench import pack_cost


def test_the_start_up_probe_marks_every_phase_it_names() -> None:
    phases = pack_cost.startup_once()

    assert len(phases) == len(pack_cost.STARTUP_PHASES)
    assert all(wall >= 0 and cpu >= 0 for wall, cpu in phases)
    assert {whose for _, whose in pack_cost.STARTUP_PHASES} == {pack_cost.ANY_PACK, pack_cost.ENVSTACK}


def test_the_replay_sends_each_kind_of_call_of_the_captured_preview() -> None:
    captured = json.loads(pack_cost.CAPTURE.read_text())["requests"]
    analyzed = sum(1 for call in captured if call["method"] == "Analyze")

    spent = pack_cost.requests_once()

    assert set(spent) == {
        "GetAnalyzerInfo",
        "ConfigureStack + Configure",
        f"Analyze x{analyzed}",
        "AnalyzeStack",
    }
    assert analyzed > 5


def test_the_breakdown_says_whose_each_phase_is() -> None:
    phases = [
        pack_cost.Phase("interpreter start", pack_cost.ANY_PACK, 0.05, 0.04),
        pack_cost.Phase("the pack's modules", pack_cost.ENVSTACK, 0.02, 0.01),
        pack_cost.Phase("Analyze x22", pack_cost.ENVSTACK, 0.03, None),
    ]

    text = pack_cost.render(phases)

    assert "40 ms that any Python pack pays, 10 ms envstack's own" in text
    assert text.splitlines()[2].split()[-1] == pack_cost.ENVSTACK
