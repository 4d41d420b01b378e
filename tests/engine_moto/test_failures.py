"""Failures on moto: AWS refusing a create in the middle of `up`, and a bucket that is not empty.

* moto's SQS refuses the source queue's ``CreateQueue`` once (the fault rig
  of the data path, aimed at the stand-in plugin's own boto3 session through
  ``FAULTS_VARIABLE``): ``up`` fails with that error, the state lists
  exactly what exists on moto, a second ``up`` completes the stack, and
  ``destroy`` leaves nothing.
* moto's DynamoDB refuses point-in-time recovery on the table ``CreateTable``
  just made (``ContinuousBackupsUnavailableException``, as AWS answers while
  backups are being enabled): the stand-in hands the engine the table's id
  with the error (``ErrorResourceInitFailed``), so the state keeps the table
  with its initialization error, a second ``up`` turns PITR on, and
  ``destroy`` removes it.
* A bucket declared without ``forceDestroy`` refuses deletion while it holds
  objects, as AWS does (``BucketNotEmpty``): ``destroy`` fails and keeps the
  bucket in the state; once emptied, it goes.
"""

from pathlib import Path

import yaml

from envstack_testkit import engine
from envstack_testkit.aws_standin.provider import FAULTS_VARIABLE
from envstack_testkit.aws_standin.resources import empty_bucket
from envstack_testkit.children import CHILDREN_WITH_EMAIL
from envstack_testkit.engine_moto import count, credentials, in_region, inventory, stack_region, state_ids
from envstack_testkit.faults import CallFault, encode_faults
from envstack_testkit.moto_server import MotoEndpoint

from .conftest import init_on_moto, moto_workspace

SOURCE_QUEUE = 2
"""The source queue is the second ``CreateQueue``: its redrive policy needs the DLQ's ARN first."""


def _held(moto: MotoEndpoint) -> dict[str, set[str]]:
    return {token: ids for token, ids in inventory(moto).items() if ids}


def test_a_refused_create_fails_up_and_the_state_lists_exactly_what_moto_holds(moto: MotoEndpoint) -> None:
    refuse = CallFault("sqs", "CreateQueue", {SOURCE_QUEUE}, error_code="InternalError")
    with moto_workspace(moto, extra_env={FAULTS_VARIABLE: encode_faults([refuse])}) as workspace:
        init_on_moto(workspace, "dev", moto)
        regional = in_region(moto, stack_region(workspace, "dev"))

        failed = workspace.up()

        assert failed.returncode != 0
        assert "CreateQueue" in failed.output and "InternalError" in failed.output, failed.output[-3000:]
        held = _held(regional)
        assert held == state_ids(workspace.export_state())
        assert [url.rsplit("/", 1)[-1] for url in held["aws:sqs/queue:Queue"]] == ["envstack-ingest-dlq-dev"]

        workspace.extra_env = credentials()  # AWS answers again
        workspace.up().check()
        assert count(_held(regional)) == CHILDREN_WITH_EMAIL
        assert _held(regional) == state_ids(workspace.export_state())

        workspace.destroy().check()
        assert count(inventory(regional)) == 0


def test_a_table_made_but_refused_pitr_is_kept_in_the_state_and_finished_by_the_next_up(
    moto: MotoEndpoint,
) -> None:
    refuse = CallFault(
        "dynamodb", "UpdateContinuousBackups", {1}, error_code="ContinuousBackupsUnavailableException"
    )
    with moto_workspace(moto, extra_env={FAULTS_VARIABLE: encode_faults([refuse])}) as workspace:
        init_on_moto(workspace, "dev", moto)
        regional = in_region(moto, stack_region(workspace, "dev"))
        dynamodb = regional.client("dynamodb")

        failed = workspace.up()

        assert failed.returncode != 0
        assert "ContinuousBackupsUnavailableException" in failed.output, failed.output[-3000:]
        [table] = [
            r for r in engine.resources(workspace.export_state()) if r["type"] == "aws:dynamodb/table:Table"
        ]
        assert table["id"] == "envstack-metadata-dev"
        assert any("ContinuousBackupsUnavailableException" in e for e in table.get("initErrors", [])), table
        assert table["outputs"]["pointInTimeRecovery"] == {"enabled": False}
        assert _held(regional) == state_ids(workspace.export_state())

        def pitr() -> str:
            backups = dynamodb.describe_continuous_backups(TableName="envstack-metadata-dev")
            return str(
                backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"][
                    "PointInTimeRecoveryStatus"
                ]
            )

        assert pitr() == "DISABLED"

        workspace.extra_env = credentials()  # AWS answers again
        workspace.up().check()
        assert pitr() == "ENABLED"
        [table] = [
            r for r in engine.resources(workspace.export_state()) if r["type"] == "aws:dynamodb/table:Table"
        ]
        assert not table.get("initErrors"), table
        assert count(_held(regional)) == CHILDREN_WITH_EMAIL

        workspace.destroy().check()
        assert count(inventory(regional)) == 0


def _kept_bucket_program(root: Path) -> Path:
    """A YAML program with one bucket and no ``forceDestroy``, as a user who wants to keep data writes it."""
    program = root / "kept-bucket"
    program.mkdir()
    (program / "Pulumi.yaml").write_text(
        yaml.safe_dump(
            {
                "name": "kept-bucket",
                "runtime": "yaml",
                "resources": {
                    "kept": {
                        "type": "aws:s3/bucket:Bucket",
                        "options": {"version": "7.51.1"},
                        "properties": {"bucket": "envstack-kept-dev"},
                    }
                },
            }
        )
    )
    (program / "Pulumi.dev.yaml").write_text(yaml.safe_dump({"config": {"aws:region": "us-east-1"}}))
    return program


def test_a_bucket_without_force_destroy_refuses_deletion_while_it_holds_objects(
    moto: MotoEndpoint, tmp_path: Path
) -> None:
    with moto_workspace(moto, _kept_bucket_program(tmp_path)) as workspace:
        init_on_moto(workspace, "dev", moto)
        workspace.up().check()
        s3 = in_region(moto, stack_region(workspace, "dev")).client("s3")
        s3.put_object(Bucket="envstack-kept-dev", Key="kept.json", Body=b"{}")

        refused = workspace.destroy()

        assert refused.returncode != 0
        assert "BucketNotEmpty" in refused.output, refused.output[-3000:]
        assert state_ids(workspace.export_state()) == {"aws:s3/bucket:Bucket": {"envstack-kept-dev"}}
        s3.head_bucket(Bucket="envstack-kept-dev")

        empty_bucket(s3, "envstack-kept-dev")
        workspace.destroy().check()
        assert state_ids(workspace.export_state()) == {}
        assert "envstack-kept-dev" not in {b["Name"] for b in s3.list_buckets()["Buckets"]}
