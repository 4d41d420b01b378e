"""Drift on moto: a change behind Pulumi's back is shown by a refresh, and the next `up` undoes it.

One staging stack is deployed onto moto; then, as an operator at the console
would, bucket versioning is suspended and the queue's retention cut to four
days with plain AWS calls. ``pulumi preview --refresh`` must name exactly
those two settings, ``pulumi refresh`` must take them into the state, the
next ``up`` must put the component's settings back on moto, and a preview
after it must expect no changes. The whole run is one module fixture; each
test asserts one step of it.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from envstack_provider.settings import resolve
from envstack_testkit import engine
from envstack_testkit.engine_moto import in_region, stack_region
from envstack_testkit.moto_server import MotoEndpoint
from envstack_testkit.stack_files import environment_args

from .conftest import init_on_moto, moto_workspace

STACK = "staging"
DRIFTED_RETENTION = 4 * 24 * 3600


@dataclass(frozen=True)
class Drift:
    """What each step returned and what moto said after it."""

    preview_steps: list[dict[str, Any]]
    refreshed: engine.Run
    on_moto_after_drift: tuple[str, int]
    on_moto_after_up: tuple[str, int]
    unchanged: engine.Run
    component_retention: int


def _settings(moto: MotoEndpoint, outputs: dict[str, str]) -> tuple[str, int]:
    """Bucket versioning and queue retention, as moto has them."""
    status = moto.client("s3").get_bucket_versioning(Bucket=outputs["bucket_name"]).get("Status", "")
    attributes = moto.client("sqs").get_queue_attributes(
        QueueUrl=outputs["queue_url"], AttributeNames=["All"]
    )
    return str(status), int(attributes["Attributes"]["MessageRetentionPeriod"])


@pytest.fixture(scope="module")
def drift(moto: MotoEndpoint) -> Iterator[Drift]:
    """up, drift on moto, ``preview --refresh``, ``refresh``, ``up``, a no-change preview, ``destroy``."""
    with moto_workspace(moto) as workspace:
        init_on_moto(workspace, STACK, moto)
        workspace.up().check()
        regional = in_region(moto, stack_region(workspace, STACK))
        outputs = json.loads(workspace.run("stack", "output", "--json").check().stdout)
        regional.client("s3").put_bucket_versioning(
            Bucket=outputs["bucket_name"], VersioningConfiguration={"Status": "Suspended"}
        )
        regional.client("sqs").set_queue_attributes(
            QueueUrl=outputs["queue_url"], Attributes={"MessageRetentionPeriod": str(DRIFTED_RETENTION)}
        )
        drifted = _settings(regional, outputs)
        steps = engine.preview_steps(workspace.preview("--refresh").check())
        refreshed = workspace.run("refresh", "--yes").check()
        workspace.up().check()
        restored = _settings(regional, outputs)
        unchanged = workspace.run("preview", "--expect-no-changes")
        workspace.destroy().check()
        yield Drift(
            preview_steps=steps,
            refreshed=refreshed,
            on_moto_after_drift=drifted,
            on_moto_after_up=restored,
            unchanged=unchanged,
            component_retention=resolve(environment_args(STACK, "yaml")).message_retention_seconds,
        )


def test_the_drift_is_on_moto(drift: Drift) -> None:
    assert drift.on_moto_after_drift == ("Suspended", DRIFTED_RETENTION)


def test_preview_refresh_names_exactly_the_drifted_settings(drift: Drift) -> None:
    changed = {
        step["urn"].rsplit("::", 1)[-1]: step.get("diffReasons")
        for step in drift.preview_steps
        if step.get("op") not in ("same", "refresh")
    }
    assert changed == {
        "envstack-bucket-versioning": ["versioningConfiguration"],
        "envstack-queue": ["messageRetentionSeconds"],
    }


def test_refresh_takes_the_two_changes_into_the_state(drift: Drift) -> None:
    assert "2 updated" in drift.refreshed.stdout, drift.refreshed.stdout[-2000:]


def test_the_next_up_restores_the_components_settings(drift: Drift) -> None:
    assert drift.on_moto_after_up == ("Enabled", drift.component_retention)
    assert drift.unchanged.returncode == 0, drift.unchanged.output
