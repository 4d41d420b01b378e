"""The current code previewed under the real engine over the state the last release left in each environment.

For dev, staging and prod, ``pulumi stack import`` of the last release's
baseline (``releases/<version>/baselines/``, the state its ``pulumi up``
left on moto) into a copy of examples/yaml, then ``pulumi preview`` with the
current plugin: what ``pulumi up`` would do to a stack deployed with the
last release. One moto server serves the module (the AWS provider checks its
credentials against it); the three previews run once, in a module fixture.

Then a copy of the provider that renames or re-parents a child shows why
the component must carry an alias whenever a child moves: without one the
engine deletes the queue and creates another (with every message in it
lost); with one the queue stays.
"""

import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from envstack_testkit import engine
from envstack_testkit.moto_server import MotoEndpoint, moto_server
from envstack_testkit.stack_files import ENVIRONMENTS
from envstack_testkit.upgrade import (
    ANNOUNCED,
    baseline_path,
    import_baseline,
    operations,
    workspace_with_plugins,
)
from tools.release import changelog
from tools.release.versions import REPO_ROOT, read_version

pytestmark = pytest.mark.timeout(900)

QUEUE = "aws:sqs/queue:Queue"


@dataclass(frozen=True)
class Preview:
    """One environment's upgrade preview: its steps and what they change."""

    environment: str
    run: engine.Run
    steps: list[dict[str, Any]]

    @property
    def changes(self) -> Counter[tuple[str, str]]:
        """``(operation, type)`` of every step that changes something."""
        return operations(self.steps)


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoEndpoint]:
    """moto on a loopback port for the module's previews."""
    with moto_server() as endpoint:
        yield endpoint


def preview_over(
    moto: MotoEndpoint, version: str, environment: str, plugin_dirs: tuple[Path, ...] = ()
) -> Preview:
    """``pulumi preview`` of the current examples/yaml over ``version``'s baseline for ``environment``."""
    with workspace_with_plugins(engine.YAML_EXAMPLE, plugin_dirs) as workspace:
        import_baseline(workspace, environment, baseline_path(version, environment), moto)
        run = workspace.preview("--show-sames")
        run.check()
        return Preview(environment, run, engine.preview_steps(run))


@pytest.fixture(scope="module")
def previews(moto: MotoEndpoint, previous_release: str) -> dict[str, Preview]:
    """Each environment's upgrade preview from the last release to the current code."""
    return {environment: preview_over(moto, previous_release, environment) for environment in ENVIRONMENTS}


def announced() -> Counter[tuple[str, str]]:
    """What the current version's changelog entry says an upgrade creates and updates."""
    entry = changelog.entry_for(changelog.read(REPO_ROOT), read_version())
    assert entry is not None, f"CHANGELOG.md has no entry for {read_version()}"
    return changelog.upgrade_operations(entry)


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_upgrade_replaces_and_deletes_nothing(previews: dict[str, Preview], environment: str) -> None:
    unexpected = {key: n for key, n in previews[environment].changes.items() if key[0] not in ANNOUNCED}
    assert not unexpected, f"{environment}: the upgrade would {unexpected}"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_create_and_update_is_announced_in_the_upgrade_notes(
    previews: dict[str, Preview], environment: str
) -> None:
    """The changelog's upgrade notes and the preview agree operation by operation, per environment."""
    shown = Counter({key: n for key, n in previews[environment].changes.items() if key[0] in ANNOUNCED})
    assert shown == announced(), (
        f"{environment}: the preview shows {dict(shown)}, the upgrade notes of {read_version()}"
        f" announce {dict(announced())}"
    )


def test_every_resource_of_the_baseline_is_kept_by_the_upgrade(
    previews: dict[str, Preview], previous_release: str
) -> None:
    """Each resource ``pulumi up`` left (providers aside) is in the preview under its URN, unchanged
    unless the notes announce an update: the import took, and nothing was left behind."""
    for environment, preview in previews.items():
        state = json.loads(baseline_path(previous_release, environment).read_text())
        recorded = {
            str(resource["urn"])
            for resource in engine.resources(state)
            if not str(resource["type"]).startswith("pulumi:providers:")
        }
        kept = {
            str(step["oldState"]["urn"])
            for step in preview.steps
            if step["op"] in {"same", "update"} and "oldState" in step
        }
        assert len(recorded) >= 20 and recorded == kept, (environment, recorded ^ kept)


# A copy of the provider whose work queue moved: renamed, or re-parented under the dead-letter queue.
QUEUE_BLOCK = re.compile(r"(queue = aws\.sqs\.Queue\(\n\s+)f\"\{name\}-queue\",(.*?)opts=opts,", re.DOTALL)


def moved_provider(tmp: Path, *, name: str, parent: str, alias: str | None) -> Path:
    """A plugin folder whose ``pulumi-resource-envstack`` runs a copy of the provider with the queue moved.

    ``name`` and ``parent`` replace the queue's logical name and parent;
    ``alias`` (Python source of a ``pulumi.Alias``) is the option that says
    where it was. A provider whose queue no longer matches the pattern fails
    here, naming the file, so the test never passes vacuously.
    """
    site = tmp / "site"
    source = REPO_ROOT / "provider" / "envstack_provider"
    shutil.copytree(source, site / "envstack_provider")
    messaging = site / "envstack_provider" / "messaging.py"
    aliases = f", aliases=[{alias}]" if alias else ""
    text, count = QUEUE_BLOCK.subn(
        lambda m: (
            f'{m.group(1)}f"{{name}}-{name}",{m.group(2)}'
            f"opts=pulumi.ResourceOptions(parent={parent}{aliases}),"
        ),
        messaging.read_text(),
    )
    assert count == 1, f"{messaging}: the work queue's declaration changed; update QUEUE_BLOCK"
    messaging.write_text(text)
    plugins = tmp / "plugins"
    plugins.mkdir()
    plugin = plugins / "pulumi-resource-envstack"
    python = REPO_ROOT / ".venv" / "bin" / "python"
    serve = "from envstack_provider.provider import serve; serve()"
    plugin.write_text(f'#!/bin/sh\nPYTHONPATH={site} exec {python} -c "{serve}" "$@"\n')
    plugin.chmod(0o755)
    return plugins


def queue_steps(preview: Preview) -> list[tuple[str, str, str]]:
    """``(op, new URN, old URN)`` of each step on a work queue or dead-letter queue."""
    return [
        (str(step["op"]), str(step.get("urn", "")), str(step.get("oldState", {}).get("urn", "")))
        for step in preview.steps
        if QUEUE in {step.get("newState", {}).get("type"), step.get("oldState", {}).get("type")}
    ]


MOVES = {
    "renamed": ("jobs", "parent", 'pulumi.Alias(name=f"{name}-queue")'),
    "re-parented": ("queue", "dlq", "pulumi.Alias(parent=parent)"),
}
"""Each move of the work queue: its new name, its new parent, and the alias that says where it was."""


@pytest.mark.parametrize("case", MOVES)
def test_a_moved_child_without_an_alias_is_replaced_and_with_one_stays(
    moto: MotoEndpoint, previous_release: str, tmp_path: Path, case: str
) -> None:
    name, parent, alias = MOVES[case]
    bare_plugin = moved_provider(tmp_path / "bare", name=name, parent=parent, alias=None)
    aliased_plugin = moved_provider(tmp_path / "aliased", name=name, parent=parent, alias=alias)
    bare = preview_over(moto, previous_release, "dev", (bare_plugin,))
    kept = preview_over(moto, previous_release, "dev", (aliased_plugin,))

    assert bare.changes[("create", QUEUE)] == 1 and bare.changes[("delete", QUEUE)] == 1, (
        f"{case} without an alias: {queue_steps(bare)}"
    )
    moved = [step for step in queue_steps(kept) if step[1] != step[2]]
    assert kept.changes[("create", QUEUE)] == kept.changes[("delete", QUEUE)] == 0, queue_steps(kept)
    assert len(moved) == 1 and moved[0][0] == "same", f"{case} with its alias: {queue_steps(kept)}"
    assert moved[0][2].endswith("::envstack-queue") and moved[0][1].endswith(f"::envstack-{name}")
