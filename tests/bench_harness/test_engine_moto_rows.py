"""The up/destroy-on-moto rows: a run that cannot happen becomes two rows that say why, never a number."""

import pytest

from bench import engine_moto
from bench.harness import Status


def test_a_failed_run_gives_both_rows_as_not_measured_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(repeats: int, warmup: int = 1) -> None:
        raise RuntimeError("moto server did not report a port\nmore detail")

    monkeypatch.setattr(engine_moto, "up_and_destroy", broken)

    rows = engine_moto.rows(repeats=1)

    assert [row.benchmark for row in rows] == [
        "real engine on moto: pulumi up of EnvironmentStack (dev)",
        "real engine on moto: pulumi destroy of EnvironmentStack (dev)",
    ]
    assert {row.missing for row in rows} == {"RuntimeError: moto server did not report a port"}
    assert {row.status for row in rows} == {Status.NOT_MEASURED}
