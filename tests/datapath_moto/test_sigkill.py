"""A real SIGKILL of the function between its writes and the delete loses and duplicates nothing.

The fault table's kill is an exception the handler cannot catch; this test
kills for real. Each invocation runs the handler in a forked child process,
as Lambda runs it in its own runtime; the first child sends itself SIGKILL
right after the fifth record's last write (the ``announced`` flag), so five
records are complete, five untouched, and nothing is deleted. The batch
comes back (the queue keeps the component's visibility timeout while the
child runs, and the mapping hands the batch back once it died, as in the
data path's runs) and must end stored and announced exactly once.
"""

import json
import multiprocessing
import os
import signal
from collections.abc import Mapping
from multiprocessing.connection import Connection
from typing import Any

from envstack_provider.handler.processor import Clients, Targets, process_batch
from envstack_testkit.datapath import RETRY_DELAY_SECONDS, Scenario, send
from envstack_testkit.event_source_mapping import EventSourceMapping, InvocationKilled
from envstack_testkit.moto_server import MotoEndpoint
from envstack_testkit.moto_stack import MotoStack, deploy, subscribe_probe_queue
from envstack_testkit.recording import Recording

KILL_AFTER_UPDATE = 5


def _child(
    moto: MotoEndpoint, stack: MotoStack, event: Mapping[str, Any], kill: bool, out: Connection
) -> None:
    session = moto.session()
    updates = 0

    def after_update(**_: object) -> None:
        nonlocal updates
        updates += 1
        if kill and updates == KILL_AFTER_UPDATE:
            os.kill(os.getpid(), signal.SIGKILL)

    session.events.register("after-call.dynamodb.UpdateItem", after_update)
    clients = Clients(
        s3=moto.client("s3", session),
        dynamodb=moto.client("dynamodb", session),
        sns=moto.client("sns", session),
    )
    out.send(process_batch(clients, Targets.from_environ(stack.function_environment), event))


def forked_invoke(
    moto: MotoEndpoint, stack: MotoStack, kills: list[bool], exits: list[tuple[int, int]]
) -> Any:
    """The function as a child process per invocation; ``kills`` says which invocations die.

    ``exits`` gets each child's exit code and how many items the table held right after it.
    """

    def invoke(event: Mapping[str, Any]) -> Mapping[str, Any]:
        receiver, sender = multiprocessing.Pipe(duplex=False)
        child = multiprocessing.get_context("fork").Process(
            target=_child, args=(moto, stack, event, kills.pop(0) if kills else False, sender)
        )
        child.start()
        sender.close()
        child.join(timeout=60)
        items = moto.client("dynamodb").scan(TableName=stack.outputs["table_name"], Select="COUNT")["Count"]
        exits.append((int(child.exitcode if child.exitcode is not None else 1), items))
        if child.exitcode != 0:
            raise InvocationKilled(f"runtime exited with {child.exitcode}")
        result: Mapping[str, Any] = receiver.recv()
        return result

    return invoke


def test_a_sigkilled_invocation_is_retried_without_loss_or_duplicates(
    moto: MotoEndpoint, dev_recording: Recording
) -> None:
    moto.reset()
    stack = deploy(moto, dev_recording, with_function=False)
    probe_url = subscribe_probe_queue(moto, stack.outputs["topic_arn"], "sigkill-probe")
    sent = send(moto, stack.outputs["queue_url"], Scenario("sigkill", 10, poison_fraction=0))
    exits: list[tuple[int, int]] = []
    esm = EventSourceMapping(
        sqs=moto.client("sqs"),
        queue_url=stack.outputs["queue_url"],
        queue_arn=stack.outputs["queue_arn"],
        invoke=forked_invoke(moto, stack, kills=[True], exits=exits),
        batch_size=stack.queue.batch_size,
        function_timeout_seconds=stack.queue.function_timeout_seconds,
        retry_delay_seconds=RETRY_DELAY_SECONDS,
    )

    log = esm.drain(pollers=1, timeout_seconds=120)

    # Killed by the signal with five records fully written; then clean invocations
    # only. SQS may hand the redelivered records back in one batch or several,
    # depending on when each becomes visible again, so the batches are not pinned.
    assert exits[0] == (-signal.SIGKILL, KILL_AFTER_UPDATE)
    assert [code for code, _ in exits[1:]] == [0] * (len(exits) - 1)
    assert exits[-1] == (0, 10)
    assert log.failed_invocations == 1
    assert log.receives == dict.fromkeys(sent.good, 2)
    assert not log.received_in_flight
    listing = moto.client("s3").list_object_versions(Bucket=stack.outputs["bucket_name"])
    assert sorted(v["Key"] for v in listing.get("Versions", [])) == sorted(
        f"messages/{m}.json" for m in sent.good
    )
    items = moto.client("dynamodb").scan(TableName=stack.outputs["table_name"])["Items"]
    assert sorted(i["id"]["S"] for i in items) == sorted(sent.good)
    assert all(i["announced"] == {"BOOL": True} for i in items)
    sqs = moto.client("sqs")
    announced: list[str] = []
    while messages := sqs.receive_message(QueueUrl=probe_url, MaxNumberOfMessages=10).get("Messages", []):
        announced += [json.loads(m["Body"])["id"] for m in messages]
        sqs.delete_message_batch(
            QueueUrl=probe_url,
            Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
        )
    assert sorted(announced) == sorted(sent.good)
    assert esm.queue_is_empty()
