"""The deployed-stack suite (tests/deployed) can pass and can fail: proven against moto.

The component's recorded resources are created on moto, their outputs are
written where ``pulumi stack output --json`` would put them, and the suite
runs in a pytest subprocess pointed at moto, exactly as it runs against AWS.
The stand-in event source mapping plays Lambda meanwhile, so the suite's
end-to-end test sees its message reach S3 and DynamoDB. Then the same suite
runs against a stack built with versioning off, no point-in-time recovery
and a wrong retention, and exactly the matching checks must fail.
"""

import json
import os
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from envstack_provider.handler.processor import Clients, Targets, process_batch
from envstack_testkit.event_source_mapping import EventSourceMapping
from envstack_testkit.moto_server import MotoEndpoint
from envstack_testkit.moto_stack import MotoStack, deploy, source_queue
from envstack_testkit.recording import Recording, replace_inputs

REPO = Path(__file__).resolve().parents[2]
SUITE = "tests/deployed"
EVERY_CHECK = {
    "test_bucket_exists_with_versioning_enabled",
    "test_bucket_is_encrypted_with_aes256",
    "test_bucket_expires_noncurrent_versions_and_aborts_multipart_uploads",
    "test_bucket_blocks_public_access",
    "test_table_is_active_with_the_timestamp_index",
    "test_table_has_point_in_time_recovery",
    "test_function_runs_the_profiles_runtime_memory_and_timeout",
    "test_function_environment_points_at_the_stacks_own_resources",
    "test_queue_keeps_messages_for_the_retention_period",
    "test_queue_redrives_to_the_dlq_after_max_receive_count",
    "test_topic_exists_encrypted_with_the_sns_managed_key",
    "test_end_to_end_a_message_reaches_s3_and_dynamodb",
}


@contextmanager
def lambda_stand_in(moto: MotoEndpoint, stack: MotoStack) -> Iterator[None]:
    """Feed the stack's queue to the real handler until the block ends."""
    esm = EventSourceMapping(
        sqs=moto.client("sqs"),
        queue_url=stack.outputs["queue_url"],
        queue_arn=stack.outputs["queue_arn"],
        invoke=lambda event: process_batch(
            Clients(s3=moto.client("s3"), dynamodb=moto.client("dynamodb"), sns=moto.client("sns")),
            Targets.from_environ(stack.function_environment),
            event,
        ),
        batch_size=stack.queue.batch_size,
    )
    stop = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            esm.drain(pollers=1, timeout_seconds=600, producer_done=stop)
        except BaseException as error:  # noqa: BLE001 - re-raised in the test below
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not errors, errors


def run_suite(moto: MotoEndpoint, stack: MotoStack, workdir: Path) -> dict[str, str]:
    """Run tests/deployed against ``stack`` on moto; return each test's outcome."""
    outputs_file = workdir / "flat-outputs.json"
    outputs_file.write_text(json.dumps(dict(stack.outputs), indent=2), encoding="utf-8")
    report = workdir / "report.xml"
    env = {
        **os.environ,
        **moto.environ(),
        "ENVSTACK_OUTPUTS": str(outputs_file),
        "ENVSTACK_ENVIRONMENT": "dev",
        "ENVSTACK_E2E_TIMEOUT": "60",
    }
    env.pop("AWS_PROFILE", None)
    with lambda_stand_in(moto, stack):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                SUITE,
                "-p",
                "no:cacheprovider",
                "--no-cov",
                "-q",
                f"--junitxml={report}",
            ],
            cwd=REPO,
            env=env,
            check=False,
            timeout=240,
            capture_output=True,
        )
    outcomes: dict[str, str] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        kinds = {child.tag for child in case} & {"failure", "error", "skipped"}
        outcomes[case.attrib["name"]] = kinds.pop() if kinds else "passed"
    return outcomes


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
    """Versioning suspended, point-in-time recovery off, four days' retention on the queue."""
    wrong = deviate(
        dev_recording,
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
    }
    assert {outcomes[name] for name in failed} == {"failure"}
    assert set(outcomes) == EVERY_CHECK
