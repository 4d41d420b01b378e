"""The queues the data-path runs use carry the component's settings, visibility included."""

import json

from envstack_provider.settings import VISIBILITY_TIMEOUT_FACTOR
from envstack_testkit.datapath import RETRY_DELAY_SECONDS, build_rig
from envstack_testkit.moto_server import MotoEndpoint
from envstack_testkit.moto_stack import deploy, source_queue
from envstack_testkit.recording import Recording


def test_retention_and_redrive_are_the_components_and_visibility_can_be_shortened(
    moto: MotoEndpoint, dev_recording: Recording
) -> None:
    moto.reset()
    stack = deploy(moto, dev_recording, visibility_timeout_seconds=3, with_function=False)
    sqs = moto.client("sqs")
    queue = sqs.get_queue_attributes(QueueUrl=stack.outputs["queue_url"], AttributeNames=["All"])[
        "Attributes"
    ]
    dlq = sqs.get_queue_attributes(QueueUrl=stack.outputs["dlq_url"], AttributeNames=["All"])["Attributes"]
    recorded = source_queue(dev_recording).inputs

    assert (
        queue["MessageRetentionPeriod"]
        == dlq["MessageRetentionPeriod"]
        == str(recorded["messageRetentionSeconds"])
    )
    assert json.loads(queue["RedrivePolicy"]) == {
        "deadLetterTargetArn": stack.outputs["dlq_arn"],
        "maxReceiveCount": json.loads(recorded["redrivePolicy"])["maxReceiveCount"],
    }
    assert queue["VisibilityTimeout"] == "3"
    assert stack.queue.visibility_timeout_seconds == 3
    assert stack.queue.component_visibility_timeout_seconds == VISIBILITY_TIMEOUT_FACTOR * 300 == 1800
    assert (stack.queue.max_receive_count, stack.queue.message_retention_seconds) == (3, 1_209_600)
    assert (stack.queue.batch_size, stack.queue.report_batch_item_failures) == (10, True)
    assert stack.queue.function_timeout_seconds == 300


def test_the_runs_keep_the_components_visibility_and_enforce_its_function_timeout(
    moto: MotoEndpoint, dev_recording: Recording
) -> None:
    """A batch in flight is hidden as long as on AWS; only the wait after a failure is short.

    Lambda refuses a mapping whose function timeout exceeds the queue's
    visibility timeout, and AWS advises six times; the runs' queue and
    mapping are held to both.
    """
    moto.reset()
    rig = build_rig(moto, dev_recording)
    attributes = moto.client("sqs").get_queue_attributes(
        QueueUrl=rig.stack.outputs["queue_url"], AttributeNames=["VisibilityTimeout"]
    )["Attributes"]

    assert int(attributes["VisibilityTimeout"]) == rig.stack.queue.component_visibility_timeout_seconds
    assert rig.esm.function_timeout_seconds == rig.stack.queue.function_timeout_seconds
    assert (
        VISIBILITY_TIMEOUT_FACTOR * rig.stack.queue.function_timeout_seconds
        == rig.stack.queue.visibility_timeout_seconds
    )
    assert rig.esm.retry_delay_seconds == RETRY_DELAY_SECONDS
    assert 0 < RETRY_DELAY_SECONDS < rig.stack.queue.function_timeout_seconds
