"""The data path under load and faults: send, drain through the real handler, then audit.

One ``Scenario`` sends N messages (1% poison) to the component's queue on
moto, lets ``EventSourceMapping`` drive the real handler until the queue is
empty, and then audits every store independently of the handler:

* S3: ``list_object_versions`` on the versioned bucket, so a second write of
  the same key shows up as a second version instead of hiding as an overwrite;
* DynamoDB: a scan, one item per message id;
* SNS: a probe queue subscribed to the topic receives every announcement;
* the DLQ: every message in it, and the receive counts the mapping observed.

The result is an ``Outcome`` row (fault, messages in, stored once, in DLQ,
lost, duplicated) plus the list of every broken guarantee, which the tests
assert to be empty and the benchmark prints.

Visibility. Every queue setting is the component's own: the visibility
timeout is six times the function timeout (1800 s for 300 s), and the
stand-in mapping enforces the function timeout as Lambda does. So a batch in
flight stays hidden for as long as it would on AWS, and an invocation would
have to run for half an hour, not a few seconds too long, before its batch
could be received again, however loaded the machine (a run checks that no
message was received again while an invocation that had it was still
running, so the premise is tested, not assumed). Only the wait before a failed record is
received again is shortened, to ``RETRY_DELAY_SECONDS``: the mapping hands
the records it did not delete back to the queue (see
``event_source_mapping.py``), where SQS would have kept them hidden for the
rest of the 1800 s. Seeing a poison message fail its three receives then
takes seconds, not an hour and a half, and nothing about it depends on how
fast the machine is. Retention and ``maxReceiveCount`` are the component's.
"""

import json
import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from envstack_provider.handler.processor import OBJECT_PREFIX, Clients, Targets, process_batch

from .event_source_mapping import DeliveryLog, EventSourceMapping
from .faults import CallFault
from .moto_server import MotoEndpoint
from .moto_stack import MotoStack, deploy, queue_settings, subscribe_probe_queue
from .recording import Recording, record_environment_stack

BACKLOG = 50
"""The most messages the producer leaves waiting in the queue (see ``send``)."""
BACKLOG_CHECK_SECONDS = 0.1
"""How often a producer at its backlog asks the queue again: a few batches' worth of consumption."""
SWEEP_SECONDS = 0.5
"""How often the probe queue is emptied while a run lasts.

Often enough that it never holds more than a few dozen announcements, and
seldom enough that each sweep reads full batches of ten: sweeping as fast as
announcements arrive cost more requests than the announcements themselves.
"""

RETRY_DELAY_SECONDS = 1
"""How long after a failed invocation its records can be received again.

A second (SQS's unit) rather than none, so that a failed record still sits
out a visibility timeout, as on AWS, before it is received again.
"""


POISON_BODIES: Sequence[str] = (
    "this is not JSON",
    '["a JSON array", "not an object"]',
    '{"timestamp": "yesterday", "note": "timestamp must be a number"}',
    '{"timestamp": true}',
)
"""Malformed bodies and bodies that fail validation; the handler must never store them."""


@dataclass(frozen=True)
class Scenario:
    """One run: how many messages, how many poison, and which faults."""

    fault: str
    messages: int
    poison_fraction: float = 0.01
    faults: Callable[[], list[CallFault]] = list
    """Builds fresh fault hooks for each run."""
    seed: int = 6
    pollers: int = 1
    """Concurrent pollers of the mapping, as Lambda scales them for a busy queue."""


@dataclass(frozen=True)
class Sent:
    """The message ids the scenario sent, by kind."""

    good: frozenset[str]
    poison: frozenset[str]


@dataclass(frozen=True)
class Outcome:
    """One row of the fault table, and the evidence behind it."""

    fault: str
    messages_in: int
    stored_once: int
    in_dlq: int
    lost: int
    duplicated: int
    seconds: float
    problems: tuple[str, ...]
    """Every broken guarantee, in words; empty when the data path held."""
    fault_calls: int
    """How many calls the injected faults broke (0 for no fault)."""
    redelivered_good: int
    """Good messages received more than once: the faults' retries."""
    log: DeliveryLog = field(repr=False)
    sent: Sent = field(repr=False)

    @property
    def throughput(self) -> float:
        """Messages per second, from the first send to the empty queue."""
        return self.messages_in / self.seconds if self.seconds else 0.0


def _bodies(scenario: Scenario) -> list[tuple[bool, str]]:
    rng = random.Random(scenario.seed)
    poison_count = math.ceil(scenario.messages * scenario.poison_fraction)
    poison_at = set(rng.sample(range(scenario.messages), poison_count))
    base = 1_700_000_000_000
    return [
        (True, POISON_BODIES[i % len(POISON_BODIES)])
        if i in poison_at
        else (False, json.dumps({"seq": i, "timestamp": base + i, "payload": f"message {i}"}))
        for i in range(scenario.messages)
    ]


def send(
    endpoint: MotoEndpoint,
    queue_url: str,
    scenario: Scenario,
    *,
    queued: Callable[[], int] | None = None,
    backlog: int = BACKLOG,
    stop: threading.Event | None = None,
) -> Sent:
    """Send the scenario's messages in batches of ten; return their ids by kind.

    With ``queued`` (how many messages the queue holds, visible or in
    flight), the producer keeps at most ``backlog`` of them waiting, as a
    steady producer would: moto's SQS scans the whole queue several times for
    every message it returns, so a backlog of 10,000 would measure that scan
    instead of the data path. ``stop`` ends the sending early (the consumer
    gave up), so a stuck run fails instead of hanging.
    """
    sqs = endpoint.client("sqs")
    bodies = _bodies(scenario)
    good: set[str] = set()
    poison: set[str] = set()
    for start in range(0, len(bodies), 10):
        while queued is not None and queued() >= backlog:
            if stop is not None and stop.is_set():
                return Sent(good=frozenset(good), poison=frozenset(poison))
            time.sleep(BACKLOG_CHECK_SECONDS)
        chunk = bodies[start : start + 10]
        result = sqs.send_message_batch(
            QueueUrl=queue_url,
            Entries=[{"Id": str(i), "MessageBody": body} for i, (_, body) in enumerate(chunk)],
        )
        if result.get("Failed"):
            raise RuntimeError(f"send_message_batch failed: {result['Failed']}")
        for entry in result["Successful"]:
            (poison if chunk[int(entry["Id"])][0] else good).add(entry["MessageId"])
    return Sent(good=frozenset(good), poison=frozenset(poison))


def _drain_queue(endpoint: MotoEndpoint, url: str) -> Counter[str]:
    """Receive and delete everything in a queue; count the message ids seen."""
    sqs = endpoint.client("sqs")
    seen: Counter[str] = Counter()
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return seen
        for message in messages:
            seen[message["MessageId"]] += 1
        sqs.delete_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
        )


def _announcements(endpoint: MotoEndpoint, probe_url: str) -> Counter[str]:
    sqs = endpoint.client("sqs")
    seen: Counter[str] = Counter()
    while True:
        messages = sqs.receive_message(QueueUrl=probe_url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return seen
        for message in messages:
            seen[str(json.loads(message["Body"])["id"])] += 1
        sqs.delete_message_batch(
            QueueUrl=probe_url,
            Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
        )


def _object_versions(endpoint: MotoEndpoint, bucket: str) -> Counter[str]:
    s3 = endpoint.client("s3")
    versions: Counter[str] = Counter()
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=OBJECT_PREFIX):
        for version in page.get("Versions", []):
            key = version["Key"]
            versions[key[len(OBJECT_PREFIX) : -len(".json")]] += 1
    return versions


def _items(endpoint: MotoEndpoint, table: str) -> dict[str, dict[str, Any]]:
    dynamodb = endpoint.client("dynamodb")
    items: dict[str, dict[str, Any]] = {}
    for page in dynamodb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        for item in page.get("Items", []):
            items[item["id"]["S"]] = dict(item)
    return items


@dataclass(frozen=True)
class Audit:
    """What each store holds after the run, read without the handler's help."""

    versions: Counter[str]
    items: dict[str, dict[str, Any]]
    announced: Counter[str]
    dead_letters: Counter[str]
    source_empty: bool


@dataclass(frozen=True)
class Baseline:
    """Message ids the stores held before a run (an earlier run's), left out of this run's audit."""

    objects: frozenset[str] = frozenset()
    items: frozenset[str] = frozenset()


def baseline(endpoint: MotoEndpoint, stack: MotoStack) -> Baseline:
    """What the bucket and the table hold now, so that a run on a used stack audits only its own messages."""
    return Baseline(
        objects=frozenset(_object_versions(endpoint, stack.outputs["bucket_name"])),
        items=frozenset(_items(endpoint, stack.outputs["table_name"])),
    )


def audit(
    endpoint: MotoEndpoint,
    stack: MotoStack,
    probe_url: str,
    esm: EventSourceMapping,
    before: Baseline = Baseline(),
) -> Audit:
    """Read back the bucket, the table, the announcements and the DLQ (less what ``before`` held)."""
    versions = _object_versions(endpoint, stack.outputs["bucket_name"])
    items = _items(endpoint, stack.outputs["table_name"])
    return Audit(
        versions=Counter({k: n for k, n in versions.items() if k not in before.objects}),
        items={k: v for k, v in items.items() if k not in before.items},
        announced=_announcements(endpoint, probe_url),
        dead_letters=_drain_queue(endpoint, stack.outputs["dlq_url"]),
        source_empty=esm.queue_is_empty(),
    )


def judge(
    sent: Sent, found: Audit, log: DeliveryLog, max_receive_count: int, visibility_seconds: int
) -> tuple[dict[str, int], list[str]]:
    """Put every sent message in one category, count them, and list every broken guarantee."""
    every = sent.good | sent.poison
    dead = set(found.dead_letters)
    duplicated = {
        mid
        for mid in every
        if found.versions[mid] > 1
        or found.announced[mid] > 1
        or found.dead_letters[mid] > 1
        or (mid in dead and found.versions[mid] > 0)
    }
    stored_once = {
        mid
        for mid in sent.good - duplicated - dead
        if found.versions[mid] == 1 and mid in found.items and found.announced[mid] == 1
    }
    lost = every - duplicated - stored_once - dead
    problems = [
        *_guarantees(sent, found, stored_once, lost, duplicated),
        *_delivery(sent, log, max_receive_count, visibility_seconds),
    ]
    counts = {
        "stored_once": len(stored_once),
        "in_dlq": sum(found.dead_letters.values()),
        "lost": len(lost),
        "duplicated": len(duplicated),
    }
    return counts, problems


def _guarantees(
    sent: Sent, found: Audit, stored_once: set[str], lost: frozenset[str], duplicated: set[str]
) -> list[str]:
    problems: list[str] = []
    if stored_once != sent.good:
        problems.append(f"{len(sent.good - stored_once)} good messages not stored and announced exactly once")
    if lost:
        problems.append(f"{len(lost)} messages lost: neither fully stored nor in the DLQ")
    if duplicated:
        problems.append(f"{len(duplicated)} messages duplicated in S3, on SNS or in the DLQ")
    if set(found.dead_letters) != sent.poison:
        problems.append(
            f"the DLQ holds {len(set(found.dead_letters) - sent.poison)} messages that are not poison"
            f" and misses {len(sent.poison - set(found.dead_letters))} poison messages"
        )
    strays = (set(found.versions) | set(found.items) | set(found.announced)) - sent.good
    if strays:
        problems.append(f"{len(strays)} objects, items or announcements of poison or unknown messages")
    not_marked = sorted(mid for mid in stored_once if not found.items[mid]["announced"]["BOOL"])
    if not_marked:
        problems.append(f"{len(not_marked)} items announced on SNS but not marked announced")
    # The stores' own totals, counted independently of the per-message view.
    objects, dead_letters = sum(found.versions.values()), sum(found.dead_letters.values())
    if objects + dead_letters != len(sent.good) + len(sent.poison):
        problems.append(
            f"counts do not add up: {objects} object versions + {dead_letters} dead letters"
            f" != {len(sent.good) + len(sent.poison)} messages sent"
        )
    if not len(found.items) == len(found.versions) == sum(found.announced.values()):
        problems.append(
            f"stores disagree: {len(found.items)} items, {len(found.versions)} objects,"
            f" {sum(found.announced.values())} announcements"
        )
    if not found.source_empty:
        problems.append("the source queue is not empty")
    return problems


def _delivery(sent: Sent, log: DeliveryLog, max_receive_count: int, visibility_seconds: int) -> list[str]:
    problems: list[str] = []
    wrong = {mid: log.receives[mid] for mid in sent.poison if log.receives[mid] != max_receive_count}
    if wrong:
        problems.append(f"poison messages not received exactly {max_receive_count} times: {wrong}")
    if log.longest_invocation_seconds >= visibility_seconds:
        problems.append(
            f"an invocation took {log.longest_invocation_seconds:.2f} s, as long as the"
            f" {visibility_seconds} s visibility timeout: its batch could be redelivered while it ran"
        )
    if log.received_in_flight:
        problems.append(
            f"{len(log.received_in_flight)} messages received again while an invocation"
            " that had them was still running"
        )
    return problems


def _produce(
    endpoint: MotoEndpoint, rig: "Rig", scenario: Scenario, produced: threading.Event, stop: threading.Event
) -> Sent:
    try:
        return send(
            endpoint, rig.stack.outputs["queue_url"], scenario, queued=rig.esm.messages_in_queue, stop=stop
        )
    finally:
        produced.set()


def _read_announcements(endpoint: MotoEndpoint, probe_url: str, produced: threading.Event) -> Counter[str]:
    """Keep the probe queue short while the run lasts, for the same reason as ``send``'s backlog."""
    seen: Counter[str] = Counter()
    while not produced.wait(SWEEP_SECONDS):
        seen.update(_announcements(endpoint, probe_url))
    return seen


@dataclass(frozen=True)
class Rig:
    """The stack on moto, the handler wired to it, and the mapping that feeds it."""

    stack: MotoStack
    esm: EventSourceMapping
    probe_url: str
    before: Baseline = Baseline()
    """What the stores held before the rig was built (a stack an earlier run used)."""

    def remove_probe(self, endpoint: MotoEndpoint) -> None:
        """Unsubscribe and delete the probe queue: it is the test's, and must not outlive the run."""
        sns, sqs = endpoint.client("sns"), endpoint.client("sqs")
        probe_arn = sqs.get_queue_attributes(QueueUrl=self.probe_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        for page in sns.get_paginator("list_subscriptions_by_topic").paginate(
            TopicArn=self.stack.outputs["topic_arn"]
        ):
            for subscription in page.get("Subscriptions", []):
                if subscription.get("Endpoint") == probe_arn:
                    sns.unsubscribe(SubscriptionArn=subscription["SubscriptionArn"])
        sqs.delete_queue(QueueUrl=self.probe_url)


def _refuse_endless(faults: Sequence[CallFault], allowed: int) -> None:
    """A fault that strikes a message on as many receives as the queue allows dead-letters it by design.

    That is SQS working, not a recovery to audit; such a plan is refused before anything is created.
    """
    endless = [f"{f.service}:{f.operation}" for f in faults if f.times >= allowed]
    if endless:
        raise ValueError(
            f"faults {endless} strike a message on all {allowed} receives the queue allows;"
            f" strike it at most {allowed - 1} times so that it can recover"
        )


def build_rig(
    endpoint: MotoEndpoint,
    recording: Recording,
    *,
    faults: Sequence[CallFault] = (),
) -> Rig:
    """Deploy the recorded stack on moto and wire the handler and mapping to it."""
    _refuse_endless(faults, queue_settings(recording).max_receive_count)
    return rig_on(endpoint, deploy(endpoint, recording, with_function=False), faults=faults)


def rig_on(
    endpoint: MotoEndpoint, stack: MotoStack, *, faults: Sequence[CallFault] = (), probe_suffix: str = "probe"
) -> Rig:
    """Wire the handler and the mapping to a stack already on moto (one ``deploy`` or the engine made).

    Every setting comes from ``stack``: the function's environment, the
    mapping's batch size and response types, the function's timeout. The
    probe queue is named after the source queue and ``probe_suffix``, so runs
    that follow each other on one stack each get a probe of their own.
    """
    _refuse_endless(faults, stack.queue.max_receive_count)
    before = baseline(endpoint, stack)
    probe_url = subscribe_probe_queue(
        endpoint,
        stack.outputs["topic_arn"],
        f"{stack.outputs['queue_url'].rsplit('/', 1)[-1]}-{probe_suffix}",
    )
    session = endpoint.session()
    for fault in faults:
        fault.install(session)
    clients = Clients(
        s3=endpoint.client("s3", session),
        dynamodb=endpoint.client("dynamodb", session),
        sns=endpoint.client("sns", session),
    )
    targets = Targets.from_environ(stack.function_environment)
    esm = EventSourceMapping(
        sqs=endpoint.client("sqs"),
        queue_url=stack.outputs["queue_url"],
        queue_arn=stack.outputs["queue_arn"],
        invoke=lambda event: process_batch(clients, targets, event),
        batch_size=stack.queue.batch_size,
        report_batch_item_failures=stack.queue.report_batch_item_failures,
        region=endpoint.region,
        function_timeout_seconds=stack.queue.function_timeout_seconds,
        retry_delay_seconds=RETRY_DELAY_SECONDS,
    )
    return Rig(stack=stack, esm=esm, probe_url=probe_url, before=before)


def run_scenario(
    endpoint: MotoEndpoint,
    recording: Recording,
    scenario: Scenario,
    *,
    timeout_seconds: float = 600.0,
) -> Outcome:
    """Run one scenario on its own stack and audit every store.

    ``recording`` must give this scenario physical names of its own (an
    ``environment_suffix``) when scenarios share the moto server at once.
    """
    faults = scenario.faults()
    rig = build_rig(endpoint, recording, faults=faults)
    return run_on(endpoint, rig, scenario, faults, timeout_seconds=timeout_seconds)


def run_on(
    endpoint: MotoEndpoint,
    rig: Rig,
    scenario: Scenario,
    faults: Sequence[CallFault],
    *,
    timeout_seconds: float = 600.0,
) -> Outcome:
    """Send the scenario's messages through ``rig`` (its faults installed) and audit every store."""
    started = time.perf_counter()
    produced, stop = threading.Event(), threading.Event()
    with ThreadPoolExecutor(max_workers=2) as pool:
        sending = pool.submit(_produce, endpoint, rig, scenario, produced, stop)
        announced = pool.submit(_read_announcements, endpoint, rig.probe_url, produced)
        try:
            log = rig.esm.drain(
                pollers=scenario.pollers, timeout_seconds=timeout_seconds, producer_done=produced
            )
        finally:
            stop.set()
            produced.set()
        sent = sending.result()
        seconds = time.perf_counter() - started
        early = announced.result()
    found = audit(endpoint, rig.stack, rig.probe_url, rig.esm, rig.before)
    found.announced.update(early)
    queue = rig.stack.queue
    counts, problems = judge(sent, found, log, queue.max_receive_count, queue.visibility_timeout_seconds)
    return Outcome(
        fault=scenario.fault,
        messages_in=len(sent.good) + len(sent.poison),
        seconds=seconds,
        problems=tuple(problems),
        fault_calls=sum(f.fired for f in faults),
        redelivered_good=sum(1 for mid in sent.good if log.receives[mid] > 1),
        log=log,
        sent=sent,
        **counts,
    )


def run_in_turn(
    endpoint: MotoEndpoint, stack: MotoStack, scenarios: Sequence[Scenario], *, timeout_seconds: float = 600.0
) -> list[Outcome]:
    """Run scenarios one after another on one stack already on moto; each audits only its own messages.

    Their probe queues are removed afterwards, so the stack holds only what
    the runs stored: the objects and items a ``destroy`` must then remove.
    """
    outcomes = []
    for number, scenario in enumerate(scenarios):
        faults = scenario.faults()
        rig = rig_on(endpoint, stack, faults=faults, probe_suffix=f"probe{number}")
        try:
            outcomes.append(run_on(endpoint, rig, scenario, faults, timeout_seconds=timeout_seconds))
        finally:
            rig.remove_probe(endpoint)
    return outcomes


def scenario_recording(scenario: Scenario, environment: str = "dev") -> Recording:
    """The component recorded for one scenario: the environment's settings, a name of its own."""
    slug = "".join(c if c.isalnum() else "-" for c in scenario.fault.lower()).strip("-")[:10].strip("-")
    return record_environment_stack(
        {"environment": environment, "environment_suffix": f"{environment}-{slug}"}
    )


def run_scenarios(
    endpoint: MotoEndpoint,
    scenarios: Sequence[Scenario],
    *,
    timeout_seconds: float = 600.0,
) -> list[Outcome]:
    """Run scenarios at once, each on its own stack, so their retry waits overlap."""
    recordings = [scenario_recording(scenario) for scenario in scenarios]
    with ThreadPoolExecutor(max_workers=len(scenarios)) as pool:
        futures = [
            pool.submit(
                run_scenario,
                endpoint,
                recording,
                scenario,
                timeout_seconds=timeout_seconds,
            )
            for scenario, recording in zip(scenarios, recordings, strict=True)
        ]
        return [future.result() for future in futures]


def struck_messages(fault_messages: int) -> range:
    """Which messages a fault run's failing call strikes: the fifth seen, and a tenth of the run after it."""
    return range(5, 5 + max(10, fault_messages // 10))


def standard_scenarios(load_messages: int, fault_messages: int, load_pollers: int = 2) -> list[Scenario]:
    """The load run and the four faults of the fault table.

    Each fault strikes the fifth message its operation sees (the middle of
    the first batch) and a tenth of the run's messages after it, once each
    (see ``faults``), so every struck message fails one receive and recovers
    on the next, however slow the machine is.
    """
    struck = struck_messages(fault_messages)
    kills = {5, 2 * len(struck) + 3, 4 * len(struck) + 7}
    return [
        Scenario("none (load)", load_messages, pollers=load_pollers),
        Scenario(
            "S3 fails mid-batch",
            fault_messages,
            faults=lambda: [CallFault("s3", "PutObject", struck, "SlowDown")],
        ),
        Scenario(
            "DynamoDB fails mid-batch",
            fault_messages,
            faults=lambda: [CallFault("dynamodb", "PutItem", struck, "InternalServerError")],
        ),
        Scenario(
            "SNS fails after the write",
            fault_messages,
            faults=lambda: [CallFault("sns", "Publish", struck, "InternalError")],
        ),
        Scenario(
            "killed between writes and delete",
            fault_messages,
            faults=lambda: [CallFault("dynamodb", "UpdateItem", kills, kill_after_call=True)],
        ),
    ]


def format_table(outcomes: Sequence[Outcome]) -> str:
    """The fault table as aligned plain text.

    Beside the issue's columns, "calls broken" shows that each fault really
    struck: a fault row with nothing broken would prove nothing.
    """
    header = ("fault", "messages in", "stored once", "in DLQ", "lost", "duplicated", "calls broken", "msg/s")
    rows = [
        (
            o.fault,
            str(o.messages_in),
            str(o.stored_once),
            str(o.in_dlq),
            str(o.lost),
            str(o.duplicated),
            str(o.fault_calls),
            f"{o.throughput:.0f}",
        )
        for o in outcomes
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in [header, *rows]]
    return "\n".join(lines)
