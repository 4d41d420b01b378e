"""The deployed-stack suite (tests/deployed) can pass and can fail: proven against moto.

The component's recorded resources are created on moto, their outputs are
written where ``pulumi stack output --json`` would put them, and the suite
runs in a pytest subprocess pointed at moto, exactly as it runs against AWS
(``deployed_suite``). The stand-in event source mapping plays Lambda
meanwhile, so the suite's end-to-end test sees its message reach S3 and
DynamoDB. Then the same suite
runs against a stack built with versioning off, no point-in-time recovery,
a wrong retention and a DLQ policy that lets plain HTTP through, and exactly the
matching checks must fail.
"""

import json
from pathlib import Path

import pytest

from envstack_testkit.deployed_suite import EVERY_CHECK
from envstack_testkit.deployed_suite import run_suite as run_deployed_suite
from envstack_testkit.moto_server import MotoEndpoint
from envstack_testkit.moto_stack import MotoStack, deploy, source_queue
from envstack_testkit.recording import Recording, replace_inputs


def run_suite(moto: MotoEndpoint, stack: MotoStack, workdir: Path) -> dict[str, str]:
    """Write the stack's outputs where ``pulumi stack output --json`` would, and run the suite on them."""
    outputs_file = workdir / "flat-outputs.json"
    outputs_file.write_text(json.dumps(dict(stack.outputs), indent=2), encoding="utf-8")
    return run_deployed_suite(moto, stack, outputs_file, workdir)


def deviate(
    recording: Recording, type_token: str, registration_name: str | None = None, **inputs: object
) -> Recording:
    """A copy of the recording with one registration's inputs changed."""
    return Recording(
        registrations=[
            replace_inputs(r, **inputs)
            if r.type == type_token and (registration_name is None or r.name == registration_name)
            else r
            for r in recording.registrations
        ],
        outputs=dict(recording.outputs),
    )


def test_the_suite_passes_against_a_stack_built_to_the_components_settings(
    moto: MotoEndpoint, dev_recording: Recording, tmp_path: Path
) -> None:
    moto.reset()
    stack = deploy(moto, dev_recording)

    outcomes = run_suite(moto, stack, tmp_path)

    assert outcomes == dict.fromkeys(EVERY_CHECK, "passed")


@pytest.fixture
def wrong_recording(dev_recording: Recording) -> Recording:
    """Versioning suspended, point-in-time recovery off, four days' retention on the queue, and a DLQ
    policy that lets plain HTTP through."""
    no_purge = {"Effect": "Deny", "Principal": "*", "Action": "sqs:PurgeQueue", "Resource": "*"}
    wrong = deviate(
        dev_recording,
        "aws:sqs/queuePolicy:QueuePolicy",
        "envstack-dlq-policy",
        policy=json.dumps({"Version": "2012-10-17", "Statement": [no_purge]}),
    )
    wrong = deviate(
        wrong,
        "aws:s3/bucketVersioning:BucketVersioning",
        versioningConfiguration={"status": "Suspended"},
    )
    wrong = deviate(wrong, "aws:dynamodb/table:Table", pointInTimeRecovery={"enabled": False})
    return deviate(
        wrong, "aws:sqs/queue:Queue", source_queue(dev_recording).name, messageRetentionSeconds=4 * 24 * 3600
    )


def test_wrong_settings_fail_exactly_the_matching_checks(
    moto: MotoEndpoint, wrong_recording: Recording, tmp_path: Path
) -> None:
    moto.reset()
    stack = deploy(moto, wrong_recording)

    outcomes = run_suite(moto, stack, tmp_path)

    failed = {name for name, outcome in outcomes.items() if outcome != "passed"}
    assert failed == {
        "test_bucket_exists_with_versioning_enabled",
        "test_table_has_point_in_time_recovery",
        "test_queue_keeps_messages_for_the_retention_period",
        "test_queues_and_topic_refuse_requests_made_without_tls",
    }
    assert {outcomes[name] for name in failed} == {"failure"}
    assert set(outcomes) == EVERY_CHECK
