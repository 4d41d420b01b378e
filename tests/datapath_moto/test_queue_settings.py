"""The queues the data-path runs use carry the component's settings; only visibility is shortened."""

import json

from envstack_provider.settings import VISIBILITY_TIMEOUT_FACTOR
from envstack_testkit.datapath import invocation_budget_seconds, shortened_visibility_timeout_seconds
from envstack_testkit.moto_server import MotoEndpoint
from envstack_testkit.moto_stack import deploy, source_queue
from envstack_testkit.recording import Recording


def test_retention_and_redrive_are_the_components_and_visibility_is_the_derived_one(
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


def test_the_shortened_visibility_outlasts_twice_the_invocation_budget() -> None:
    for slowest in (0.01, 0.15, 0.6, 2.3):
        budget = invocation_budget_seconds(slowest)
        visibility = shortened_visibility_timeout_seconds(budget)
        assert budget >= 2 * slowest
        assert visibility >= 2 * budget
        assert visibility == int(visibility) >= 1
    assert shortened_visibility_timeout_seconds(invocation_budget_seconds(0.01)) == 1
