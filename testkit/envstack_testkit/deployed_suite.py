"""Run the original description's suite (``tests/deployed``) against a stack on moto, Lambda played meanwhile.

The suite reads a stack's outputs from the file ``pulumi stack output
--json`` writes and talks to AWS through boto3, as it would against a real
account; here the AWS SDK's standard variables (``AWS_ENDPOINT_URL``,
credentials, region) point it at moto, and ``ENVSTACK_OUTPUTS`` at the file.
moto cannot run the function (that needs Docker), so while the suite runs the
test kit's ``EventSourceMapping`` plays Lambda's poller and feeds the queue
to the real handler, configured as the stack on moto says, so that the
suite's end-to-end test sees its message reach S3 and DynamoDB.

Shared by ``tests/datapath_moto`` (stacks built from a recording) and
``tests/engine_moto`` (stacks the real engine deployed).
"""

import os
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from envstack_provider.handler.processor import Clients, Targets, process_batch

from .event_source_mapping import EventSourceMapping
from .moto_server import MotoEndpoint
from .moto_stack import MotoStack

REPO = Path(__file__).resolve().parents[2]
SUITE = "tests/deployed"
EVERY_CHECK = frozenset(
    {
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
        "test_queues_and_topic_refuse_requests_made_without_tls",
        "test_end_to_end_a_message_reaches_s3_and_dynamodb",
    }
)
"""Every test of ``tests/deployed``, by name."""


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
        report_batch_item_failures=stack.queue.report_batch_item_failures,
        region=moto.region,
    )
    stop = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            esm.drain(pollers=1, timeout_seconds=600, producer_done=stop)
        except BaseException as error:  # noqa: BLE001 - re-raised below
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not errors, errors


def run_suite(
    moto: MotoEndpoint, stack: MotoStack, outputs_file: Path, workdir: Path, environment: str = "dev"
) -> dict[str, str]:
    """Run tests/deployed against ``stack`` on moto with ``outputs_file``; return each test's outcome.

    An outcome is ``passed``, ``failure``, ``error`` or ``skipped``: a skip
    is counted, never hidden.
    """
    report = workdir / "report.xml"
    env = {
        **os.environ,
        **moto.environ(),
        "ENVSTACK_OUTPUTS": str(outputs_file),
        "ENVSTACK_ENVIRONMENT": environment,
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
