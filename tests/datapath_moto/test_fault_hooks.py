"""The injected faults strike chosen messages a bounded number of times, then let them through.

The fault table's "nothing lost" rests on every fault ending for every
message before its ``maxReceiveCount`` receives run out, however slow the
run. These tests pin that against real boto3 clients and a real moto server:
which calls break, that a kill comes after the write, and that a plan which
strikes nothing, or strikes a message on every receive it has, is refused.
"""

import json

import pytest
from botocore.exceptions import ClientError

from envstack_testkit.datapath import build_rig
from envstack_testkit.event_source_mapping import InvocationKilled
from envstack_testkit.faults import CallFault
from envstack_testkit.moto_server import MotoEndpoint
from envstack_testkit.moto_stack import MotoStack, deploy, queue_settings
from envstack_testkit.recording import Recording


@pytest.fixture
def stack(moto: MotoEndpoint, dev_recording: Recording) -> MotoStack:
    moto.reset()
    return deploy(moto, dev_recording, with_function=False)


def test_a_struck_message_fails_its_first_calls_and_then_goes_through(
    moto: MotoEndpoint, stack: MotoStack
) -> None:
    fault = CallFault("s3", "PutObject", {2}, "SlowDown", times=2)
    session = moto.session()
    fault.install(session)
    s3 = moto.client("s3", session)
    bucket = stack.outputs["bucket_name"]

    outcomes = []
    for key in ["a", "b", "a", "b", "b", "c"]:
        try:
            s3.put_object(Bucket=bucket, Key=key, Body=b"{}")
            outcomes.append((key, "ok"))
        except ClientError as error:
            outcomes.append((key, error.response["Error"]["Code"]))

    assert outcomes == [
        ("a", "ok"),
        ("b", "SlowDown"),
        ("a", "ok"),
        ("b", "SlowDown"),
        ("b", "ok"),
        ("c", "ok"),
    ]
    assert (fault.fired, fault.numbers, fault.strikes) == (2, {"a": 1, "b": 2, "c": 3}, {"b": 2})
    listing = moto.client("s3").list_object_versions(Bucket=bucket)
    # The failed calls never reached moto: one version each for a's two writes, one for b and c.
    assert sorted(v["Key"] for v in listing["Versions"]) == ["a", "a", "b", "c"]


def test_a_kill_comes_after_the_write_and_only_once_per_message(moto: MotoEndpoint, stack: MotoStack) -> None:
    fault = CallFault("dynamodb", "UpdateItem", {1}, kill_after_call=True)
    session = moto.session()
    fault.install(session)
    dynamodb = moto.client("dynamodb", session)
    table = stack.outputs["table_name"]

    def mark(message_id: str, value: bool) -> None:
        dynamodb.update_item(
            TableName=table,
            Key={"id": {"S": message_id}},
            UpdateExpression="SET announced = :v",
            ExpressionAttributeValues={":v": {"BOOL": value}},
        )

    with pytest.raises(InvocationKilled, match="UpdateItem for m1"):
        mark("m1", True)
    stored = moto.client("dynamodb").get_item(TableName=table, Key={"id": {"S": "m1"}}, ConsistentRead=True)
    assert stored["Item"]["announced"] == {"BOOL": True}

    mark("m1", False)  # the same message again: already struck once
    mark("m2", True)  # message 2 is not in the plan
    assert fault.fired == 1


def test_each_operation_of_the_handler_names_its_message(moto: MotoEndpoint, stack: MotoStack) -> None:
    publish = CallFault("sns", "Publish", {1}, "InternalError")
    lookup = CallFault("dynamodb", "GetItem", {1}, "InternalServerError")
    put = CallFault("dynamodb", "PutItem", {1}, "InternalServerError")
    session = moto.session()
    for fault in (publish, lookup, put):
        fault.install(session)

    with pytest.raises(ClientError, match="injected fault for m7"):
        moto.client("sns", session).publish(
            TopicArn=stack.outputs["topic_arn"], Message=json.dumps({"id": "m7"})
        )
    dynamodb = moto.client("dynamodb", session)
    with pytest.raises(ClientError, match="injected fault for m8"):
        dynamodb.get_item(TableName=stack.outputs["table_name"], Key={"id": {"S": "m8"}})
    with pytest.raises(ClientError, match="injected fault for m9"):
        dynamodb.put_item(TableName=stack.outputs["table_name"], Item={"id": {"S": "m9"}})

    assert [list(f.numbers) for f in (publish, lookup, put)] == [["m7"], ["m8"], ["m9"]]


def test_an_operation_without_a_message_is_refused() -> None:
    with pytest.raises(ValueError, match="no way to tell the message of sqs:SendMessage"):
        CallFault("sqs", "SendMessage", {1})


def test_a_fault_that_strikes_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="times must be at least 1, not 0"):
        CallFault("s3", "PutObject", {1}, times=0)


def test_a_fault_that_strikes_a_message_on_every_receive_is_refused(
    moto: MotoEndpoint, dev_recording: Recording
) -> None:
    endless = CallFault("s3", "PutObject", {1}, times=queue_settings(dev_recording).max_receive_count)
    with pytest.raises(ValueError, match=r"faults \['s3:PutObject'\] strike a message on all 3 receives"):
        build_rig(moto, dev_recording, faults=[endless])
