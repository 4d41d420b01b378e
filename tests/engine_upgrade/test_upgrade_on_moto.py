"""An upgrade on moto with data: dev deployed with the last release as a user installs it, then today's code.

The last release is rebuilt from git history by its own ``make dist``
(``make release-history``, ``releases/<version>/COMMIT``) and served by
pypiserver on loopback with its dependencies; a fresh virtualenv installs
``envstack-provider==<version>`` from that index alone, and its
``pulumi-resource-envstack`` is the plugin the engine finds first on
``PATH``. That release's examples/yaml is deployed onto moto as dev; objects
go into the bucket, items into the table and messages into both queues;
then the program and the plugin become the current ones, and ``preview``
and ``up`` run. Nothing may be replaced, every object, item and message must
still be there and readable, the data path must still carry messages from
the queue into the stores, and ``destroy`` must leave nothing. The whole run
is one module fixture; each test asserts one step of it.
"""

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from envstack_testkit import engine
from envstack_testkit.datapath import Outcome, Scenario, run_in_turn
from envstack_testkit.engine_moto import (
    count,
    credentials,
    deployed_stack,
    in_region,
    inventory,
    point_at_moto,
    stack_region,
    state_ids,
)
from envstack_testkit.moto_server import MotoEndpoint, moto_server
from envstack_testkit.upgrade import ANNOUNCED, operations, workspace_with_plugins
from tests.release_registries.conftest import OWN_PROJECTS, WHEELHOUSE
from tests.release_registries.isolated_install import (
    create_venv,
    download_wheels,
    link_or_copy,
    offline_environment,
    pip_install,
    wheel_requirements,
)
from tests.release_registries.package_index import serve_index
from tools.release import changelog
from tools.release.versions import REPO_ROOT, read_version

pytestmark = pytest.mark.timeout(1500)

HISTORY = REPO_ROOT / "build" / "release-history"
ENVIRONMENT = "dev"
OBJECTS = 25
ITEMS = 25
MESSAGES = 10
"""Per queue."""
DATAPATH_MESSAGES = 40


@dataclass(frozen=True)
class Held:
    """What the stores and queues hold, read without the engine, each record read back in full."""

    objects: dict[str, bytes]
    items: dict[str, str]
    queue_bodies: list[str]
    dlq_bodies: list[str]

    def counts(self) -> dict[str, int]:
        """How many of each, for the report."""
        return {
            "objects": len(self.objects),
            "items": len(self.items),
            "queue messages": len(self.queue_bodies),
            "dead-letter messages": len(self.dlq_bodies),
        }


@dataclass(frozen=True)
class Upgrade:
    """Each step's result, in the order a user runs them."""

    version: str
    installed: str
    ids_before: dict[str, set[str]]
    seeded: Held
    preview: list[dict[str, Any]]
    up: engine.Run
    ids_after: dict[str, set[str]]
    held_after: Held
    datapath: Outcome
    destroy: engine.Run
    after_destroy: dict[str, set[str]]


def install_release(tmp: Path, version: str) -> tuple[Path, str]:
    """A plugin folder with ``pulumi-resource-envstack`` of ``envstack-provider==version``, and pip's output.

    pip installs it into a fresh venv from a package index on loopback that
    serves the rebuilt release and its dependencies, and nothing else.
    """
    dist = HISTORY / version / "dist"
    wheels = sorted(dist.glob("*.whl"))
    assert wheels, f"{dist} holds no wheels: run `make release-history`"
    packages = tmp / "index-packages"
    packages.mkdir()
    link_or_copy([*wheels, *download_wheels(wheel_requirements(wheels, OWN_PROJECTS), WHEELHOUSE)], packages)
    with serve_index(packages, {"release-bot": "unused"}, tmp / "index") as index:
        python = create_venv(tmp / "venv")
        output = pip_install(
            python, index.simple_url, [f"envstack-provider=={version}"], offline_environment()
        )
    plugins = tmp / "plugins"
    plugins.mkdir()
    (plugins / "pulumi-resource-envstack").symlink_to(python.parent / "pulumi-resource-envstack")
    return plugins, output


def seed(moto: MotoEndpoint, outputs: dict[str, str]) -> None:
    """Objects in the bucket, items in the table, messages in the queue and the dead-letter queue."""
    s3, ddb, sqs = moto.client("s3"), moto.client("dynamodb"), moto.client("sqs")
    for number in range(OBJECTS):
        s3.put_object(Bucket=outputs["bucket_name"], Key=f"upgrade/{number}.json", Body=f'{{"n": {number}}}')
    for number in range(ITEMS):
        ddb.put_item(
            TableName=outputs["table_name"],
            Item={"id": {"S": f"upgrade-{number}"}, "timestamp": {"N": str(number)}},
        )
    for url, kind in ((outputs["queue_url"], "queue"), (outputs["dlq_url"], "dlq")):
        for number in range(MESSAGES):
            sqs.send_message(QueueUrl=url, MessageBody=f"upgrade-{kind}-{number}")


def drain(sqs: Any, url: str) -> list[str]:
    """Receive and delete every message of a queue: each one read back, body by body."""
    bodies: list[str] = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
        if not got:
            return sorted(bodies)
        for message in got:
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def read_back(moto: MotoEndpoint, outputs: dict[str, str]) -> Held:
    """Every seeded object and item read in full, and both queues drained and read."""
    s3, ddb, sqs = moto.client("s3"), moto.client("dynamodb"), moto.client("sqs")
    listed = s3.list_objects_v2(Bucket=outputs["bucket_name"], Prefix="upgrade/").get("Contents", [])
    objects = {
        entry["Key"]: s3.get_object(Bucket=outputs["bucket_name"], Key=entry["Key"])["Body"].read()
        for entry in listed
    }
    items = {}
    for number in range(ITEMS):
        key = {"id": {"S": f"upgrade-{number}"}}
        item = ddb.get_item(TableName=outputs["table_name"], Key=key).get("Item")
        if item:
            items[item["id"]["S"]] = item["timestamp"]["N"]
    return Held(objects, items, drain(sqs, outputs["queue_url"]), drain(sqs, outputs["dlq_url"]))


def _outputs(workspace: engine.Workspace) -> dict[str, str]:
    document = json.loads(workspace.run("stack", "output", "--json", "--show-secrets").check().stdout)
    return {key: str(value) for key, value in document.items()}


@pytest.fixture(scope="module")
def upgrade(tmp_path_factory: pytest.TempPathFactory, previous_release: str) -> Iterator[Upgrade]:
    """dev with the last release, data in, then preview and up with the current code, data read, destroy."""
    tmp = tmp_path_factory.mktemp("upgrade")
    plugins, installed = install_release(tmp, previous_release)
    old_program = HISTORY / previous_release / "src" / "examples" / "yaml"
    with moto_server() as moto, workspace_with_plugins(old_program, [plugins]) as workspace:
        workspace.init_stack(ENVIRONMENT)
        point_at_moto(workspace, ENVIRONMENT, moto)
        workspace.up().check()
        regional = in_region(moto, stack_region(workspace, ENVIRONMENT))
        outputs = _outputs(workspace)
        ids_before = state_ids(workspace.export_state())
        seed(regional, outputs)
        seeded = Held(
            {f"upgrade/{n}.json": f'{{"n": {n}}}'.encode() for n in range(OBJECTS)},
            {f"upgrade-{n}": str(n) for n in range(ITEMS)},
            sorted(f"upgrade-queue-{n}" for n in range(MESSAGES)),
            sorted(f"upgrade-dlq-{n}" for n in range(MESSAGES)),
        )
        # The user upgrades: the current program and plugin, the same stack and its config.
        shutil.copyfile(engine.YAML_EXAMPLE / "Pulumi.yaml", workspace.program / "Pulumi.yaml")
        engine.drop_source_packages(workspace.program / "Pulumi.yaml")
        workspace.extra_env = credentials()
        preview = workspace.preview("--show-sames")
        preview.check()
        up = workspace.up()
        ids_after = state_ids(workspace.export_state())
        held_after = read_back(regional, outputs)
        [datapath] = run_in_turn(
            regional,
            deployed_stack(regional, outputs),
            [Scenario("none", DATAPATH_MESSAGES)],
            timeout_seconds=600,
        )
        destroy = workspace.destroy()
        after_destroy = inventory(regional)
    yield Upgrade(
        previous_release,
        installed,
        ids_before,
        seeded,
        engine.preview_steps(preview),
        up,
        ids_after,
        held_after,
        datapath,
        destroy,
        after_destroy,
    )


def test_the_last_release_was_installed_from_the_index_and_deployed(upgrade: Upgrade) -> None:
    assert upgrade.version != read_version()
    assert f"envstack-provider-{upgrade.version}" in upgrade.installed, upgrade.installed
    assert count(upgrade.ids_before) >= 18, upgrade.ids_before


def test_the_upgrade_preview_replaces_nothing_and_shows_only_what_the_notes_announce(
    upgrade: Upgrade,
) -> None:
    changes = operations(upgrade.preview)
    assert {key: n for key, n in changes.items() if key[0] not in ANNOUNCED} == {}
    entry = changelog.entry_for(changelog.read(REPO_ROOT), read_version())
    assert entry is not None
    assert Counter({k: n for k, n in changes.items() if k[0] in ANNOUNCED}) == changelog.upgrade_operations(
        entry
    )


def test_up_with_the_current_code_keeps_every_resource_under_its_id(upgrade: Upgrade) -> None:
    upgrade.up.check()
    for token, ids in upgrade.ids_before.items():
        assert ids <= upgrade.ids_after.get(token, set()), token


def test_every_object_item_and_message_is_still_there_and_readable(upgrade: Upgrade) -> None:
    print(f"\nbefore the upgrade: {upgrade.seeded.counts()}; after: {upgrade.held_after.counts()}")
    assert upgrade.held_after == upgrade.seeded


def test_the_data_path_still_carries_messages_into_the_stores(upgrade: Upgrade) -> None:
    outcome = upgrade.datapath
    assert outcome.messages_in == DATAPATH_MESSAGES
    assert outcome.problems == ()
    assert (outcome.lost, outcome.duplicated) == (0, 0)
    assert outcome.stored_once + outcome.in_dlq == DATAPATH_MESSAGES


def test_destroy_after_the_upgrade_leaves_nothing(upgrade: Upgrade) -> None:
    upgrade.destroy.check()
    assert count(upgrade.after_destroy) == 0, upgrade.after_destroy
