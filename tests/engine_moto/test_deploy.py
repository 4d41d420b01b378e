"""`pulumi up` onto moto for dev, staging and prod; the original suite, the data path, then `destroy`.

One run per environment is a module fixture (``deployment``), in the order a
user runs it, keeping what each step returned and what moto held: ``up`` on
a copy of examples/yaml pointed at moto, ``pulumi stack output --json >
cfn-outputs/flat-outputs.json``, what moto holds read back resource by
resource, ``tests/deployed`` run on that file against moto, a no-change
preview, for dev the data path's load and its four faults on what the engine
deployed, a poison message driven into the dead-letter queue until its
alarm goes off, Prowler's scan of everything the stack holds (started in
the background right after ``up``, awaited before ``destroy``), and
``destroy``. prod keeps its state in a bucket on moto
(``PULUMI_BACKEND_URL=s3://...``), as the original description deploys.
Each test asserts one behaviour of those runs.
"""

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from envstack_provider.messaging import SNS_MANAGED_KEY, queue_tls_policy, topic_policy
from envstack_provider.settings import Settings, resolve
from envstack_provider.storage import deny_insecure_transport
from envstack_testkit import engine
from envstack_testkit.children import CHILDREN_WITH_EMAIL
from envstack_testkit.datapath import (
    POISON_BODIES,
    Outcome,
    Scenario,
    rig_on,
    run_in_turn,
    standard_scenarios,
)
from envstack_testkit.deployed_suite import EVERY_CHECK, run_suite
from envstack_testkit.engine_moto import (
    count,
    deployed_stack,
    in_region,
    inventory,
    stack_region,
    state_ids,
    write_outputs_file,
)
from envstack_testkit.moto_server import MotoEndpoint
from envstack_testkit.stack_files import ENVIRONMENTS, environment_args
from envstack_testkit.wire_values import SECRET_SIG, SIG_KEY

from . import alarm_evaluation, prowler_scan
from .conftest import STATE_BUCKET, init_on_moto, moto_workspace, s3_backend_url

pytestmark = pytest.mark.timeout(1800)

LOAD_MESSAGES = int(os.environ.get("ENVSTACK_ENGINE_LOAD_MESSAGES", "10000"))
"""The original description's load: 10,000 messages, 1% poison, on dev's stack as the engine deployed it."""
FAULT_MESSAGES = 50
DRAIN_SECONDS = 1500.0
"""How long one run may take to empty the queue (10,000 messages: about 330 s on a quiet 2-core machine)."""
RESOURCES = CHILDREN_WITH_EMAIL
"""What the component declares for each environment (every stack file sets an email)."""
STATE_IN_S3 = "prod"
"""The environment whose run keeps its state in a bucket on moto."""


def faults_then_load() -> list[Scenario]:
    """The four faults, then the load.

    Each run reads the whole bucket and table before and after it (its
    ``Baseline`` and its audit), so the short runs go while both are small.
    """
    load, *faults = standard_scenarios(LOAD_MESSAGES, FAULT_MESSAGES)
    return [*faults, load]


@dataclass(frozen=True)
class Deployment:
    """What each step of one environment's up-to-destroy run returned, and what moto held."""

    environment: str
    settings: Settings
    outputs: dict[str, str]
    on_moto_after_up: dict[str, set[str]]
    state_after_up: dict[str, set[str]]
    exported_after_up: str
    """``pulumi stack export`` after ``up``, as the state file holds it (secrets encrypted)."""
    facts: dict[str, Any]
    """What moto says of each declared setting (``read_facts``)."""
    suite: dict[str, str]
    unchanged: engine.Run
    datapath: list[Outcome]
    held_before_destroy: dict[str, int]
    on_moto_after_destroy: dict[str, set[str]]
    state_after_destroy: list[dict[str, Any]]
    state_keys: list[str]
    seconds: dict[str, float]
    alarms: dict[str, dict[str, Any]]
    """The stack's alarms as moto describes them after ``up``, by name."""
    dlq_alarm: dict[str, Any]
    """The DLQ's alarm after a poison message reached the DLQ and CloudWatch's evaluation ran."""
    dlq_alarm_before: dict[str, Any]
    """The same alarm evaluated while the DLQ was still empty."""
    dlq_depth: int
    prowler: prowler_scan.Verdict
    prowler_errors: list[str]
    """What Prowler logged as errors: APIs moto lacks, each a known gap, never a pass."""


def read_facts(moto: MotoEndpoint, outputs: dict[str, str]) -> dict[str, Any]:
    """The settings the component declares, as moto answers for each, read without the engine."""
    s3, sqs, sns = moto.client("s3"), moto.client("sqs"), moto.client("sns")
    iam, logs, lam, ddb = (
        moto.client("iam"),
        moto.client("logs"),
        moto.client("lambda"),
        moto.client("dynamodb"),
    )
    bucket = outputs["bucket_name"]
    function = lam.get_function(FunctionName=outputs["function_name"])
    role_name = outputs["role_arn"].rsplit("/", 1)[-1]
    [log_group] = [
        g
        for g in logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/")["logGroups"]
        if g["logGroupName"].endswith(outputs["function_name"])
    ]
    table_arn = outputs["table_arn"]
    return {
        "bucket_policy": json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]),
        "bucket_ownership": s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"],
        "bucket_tags": {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]},
        "table_tags": {
            t["Key"]: t["Value"] for t in ddb.list_tags_of_resource(ResourceArn=table_arn)["Tags"]
        },
        "queue_tags": sqs.list_queue_tags(QueueUrl=outputs["queue_url"]).get("Tags", {}),
        "dlq_redrive_allow": json.loads(
            sqs.get_queue_attributes(QueueUrl=outputs["dlq_url"], AttributeNames=["All"])["Attributes"][
                "RedriveAllowPolicy"
            ]
        ),
        "queue_policies": {
            key: json.loads(
                sqs.get_queue_attributes(QueueUrl=outputs[key], AttributeNames=["Policy"])["Attributes"][
                    "Policy"
                ]
            )
            for key in ("queue_url", "dlq_url")
        },
        "topic_policy": json.loads(
            sns.get_topic_attributes(TopicArn=outputs["topic_arn"])["Attributes"]["Policy"]
        ),
        "subscriptions": [
            (s["Protocol"], s["Endpoint"])
            for s in sns.list_subscriptions_by_topic(TopicArn=outputs["topic_arn"])["Subscriptions"]
        ],
        "topic_key": sns.get_topic_attributes(TopicArn=outputs["topic_arn"])["Attributes"].get(
            "KmsMasterKeyId"
        ),
        "function_role": function["Configuration"]["Role"],
        "function_tags": function.get("Tags", {}),
        "role_trust": iam.get_role(RoleName=role_name)["Role"]["AssumeRolePolicyDocument"],
        "role_policies": iam.list_role_policies(RoleName=role_name)["PolicyNames"],
        "log_group": (log_group["logGroupName"], log_group.get("retentionInDays")),
        "mapping": [
            (m["EventSourceArn"], m["BatchSize"], m.get("FunctionResponseTypes"))
            for m in lam.list_event_source_mappings()["EventSourceMappings"]
            if m["FunctionArn"] == outputs["function_arn"]
        ],
    }


def _held(moto: MotoEndpoint, outputs: dict[str, str]) -> dict[str, int]:
    """How much data the stack's bucket and table hold: what destroy must remove with them."""
    s3, ddb = moto.client("s3"), moto.client("dynamodb")
    versions = sum(
        len(page.get("Versions", []))
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=outputs["bucket_name"])
    )
    items = sum(
        page["Count"]
        for page in ddb.get_paginator("scan").paginate(TableName=outputs["table_name"], Select="COUNT")
    )
    return {"object_versions": versions, "items": items}


def _alarms(moto: MotoEndpoint, suffix: str) -> dict[str, dict[str, Any]]:
    return {
        a["AlarmName"]: a
        for a in moto.client("cloudwatch").describe_alarms()["MetricAlarms"]
        if a["AlarmName"].endswith(f"-{suffix}")
    }


def _poison_into_the_dlq(moto: MotoEndpoint, stack: Any) -> int:
    """One poison message, failed by the real handler until the queue moves it to the DLQ; the DLQ's depth.

    The test kit's mapping feeds the handler in Lambda's place; moto's SQS counts
    the receives and moves the message after ``maxReceiveCount``. The depth is
    then published as SQS's metric, which moto does not emit itself.
    """
    rig = rig_on(moto, stack, probe_suffix="alarm")
    moto.client("sqs").send_message(QueueUrl=stack.outputs["queue_url"], MessageBody=POISON_BODIES[0])
    rig.esm.drain(timeout_seconds=120.0)
    rig.remove_probe(moto)
    return alarm_evaluation.publish_queue_depth(moto, stack.outputs["dlq_url"])


def _fire_the_dlq_alarm(
    moto: MotoEndpoint, stack: Any, environment: str
) -> tuple[dict[str, Any], int, dict[str, Any]]:
    """The DLQ alarm evaluated on an empty DLQ, the DLQ's depth after a poison message, the alarm then."""
    name = resolve(environment_args(environment, "yaml")).names.dlq_alarm
    alarm_evaluation.publish_queue_depth(moto, stack.outputs["dlq_url"])
    before = alarm_evaluation.evaluate(moto, name)
    depth = _poison_into_the_dlq(moto, stack)
    return before, depth, alarm_evaluation.evaluate(moto, name)


@pytest.fixture(scope="module", params=ENVIRONMENTS)
def deployment(
    request: pytest.FixtureRequest, moto: MotoEndpoint, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    """``up`` onto moto, outputs file, suite, no-change preview, data path (dev), ``destroy``."""
    environment: str = request.param
    backend_url = None
    if environment == STATE_IN_S3:
        moto.client("s3").create_bucket(Bucket=STATE_BUCKET)
        backend_url = s3_backend_url(moto)
    seconds: dict[str, float] = {}
    with moto_workspace(moto, backend_url=backend_url) as workspace:
        init_on_moto(workspace, environment, moto)
        started = time.perf_counter()
        workspace.up().check()
        seconds["up"] = time.perf_counter() - started
        regional = in_region(moto, stack_region(workspace, environment))
        outputs_file = write_outputs_file(workspace)
        outputs = {k: str(v) for k, v in json.loads(outputs_file.read_text()).items()}
        ignore = frozenset({STATE_BUCKET})
        on_moto = inventory(regional, ignore_buckets=ignore)
        exported = workspace.export_state()
        state_after_up = state_ids(exported)
        facts = read_facts(regional, outputs)
        scan = prowler_scan.start(regional, tmp_path_factory.mktemp(f"prowler-{environment}"))
        alarms = _alarms(regional, environment)
        stack = deployed_stack(regional, outputs)
        started = time.perf_counter()
        suite = run_suite(regional, stack, outputs_file, tmp_path_factory.mktemp(environment), environment)
        seconds["suite"] = time.perf_counter() - started
        unchanged = workspace.run("preview", "--expect-no-changes")
        datapath: list[Outcome] = []
        if environment == "dev":
            started = time.perf_counter()
            datapath = run_in_turn(
                regional,
                stack,
                faults_then_load(),
                timeout_seconds=DRAIN_SECONDS,
            )
            seconds["datapath"] = time.perf_counter() - started
        started = time.perf_counter()
        dlq_alarm_before, dlq_depth, dlq_alarm = _fire_the_dlq_alarm(regional, stack, environment)
        seconds["alarm"] = time.perf_counter() - started
        held = _held(regional, outputs)
        state_keys = (
            [o["Key"] for o in moto.client("s3").list_objects_v2(Bucket=STATE_BUCKET).get("Contents", [])]
            if backend_url
            else []
        )
        started = time.perf_counter()
        found, returncode, stderr_tail = prowler_scan.findings(scan)
        verdict = prowler_scan.judge(found, environment, returncode, stderr_tail)
        prowler_errors = prowler_scan.errors_logged(scan)
        seconds["prowler (after the rest)"] = time.perf_counter() - started
        started = time.perf_counter()
        workspace.destroy().check()
        seconds["destroy"] = time.perf_counter() - started
        after = inventory(regional, ignore_buckets=ignore)
        print(f"\n{environment}: on moto after up {count(on_moto)}, after destroy {count(after)}; {seconds}")
        yield Deployment(
            environment=environment,
            settings=resolve(environment_args(environment, "yaml")),
            outputs=outputs,
            on_moto_after_up=on_moto,
            state_after_up=state_after_up,
            exported_after_up=json.dumps(exported),
            facts=facts,
            suite=suite,
            unchanged=unchanged,
            datapath=datapath,
            held_before_destroy=held,
            on_moto_after_destroy=after,
            state_after_destroy=engine.resources(workspace.export_state()),
            state_keys=state_keys,
            seconds=seconds,
            alarms=alarms,
            dlq_alarm=dlq_alarm,
            dlq_alarm_before=dlq_alarm_before,
            dlq_depth=dlq_depth,
            prowler=verdict,
            prowler_errors=prowler_errors,
        )


def test_up_leaves_on_moto_exactly_the_resources_the_state_lists(deployment: Deployment) -> None:
    held = {token: ids for token, ids in deployment.on_moto_after_up.items() if ids}
    assert held == deployment.state_after_up
    assert count(held) == RESOURCES


def test_the_deployed_suite_passes_on_the_engines_outputs_with_none_skipped(deployment: Deployment) -> None:
    assert deployment.suite == dict.fromkeys(EVERY_CHECK, "passed")


def test_the_outputs_are_what_moto_answered(deployment: Deployment) -> None:
    outputs, names = deployment.outputs, deployment.settings.names
    assert outputs["bucket_name"] == names.bucket
    assert outputs["queue_url"] in deployment.on_moto_after_up["aws:sqs/queue:Queue"]
    assert outputs["topic_arn"] in deployment.on_moto_after_up["aws:sns/topic:Topic"]
    assert outputs["function_name"] in deployment.on_moto_after_up["aws:lambda/function:Function"]
    assert outputs["queue_url"].startswith("http://127.0.0.1:"), "a made-up URL, not moto's"


def test_the_bucket_refuses_plain_http_and_is_owned_by_its_owner(deployment: Deployment) -> None:
    bucket_arn = deployment.outputs["bucket_arn"]
    assert deployment.facts["bucket_policy"] == json.loads(deny_insecure_transport(bucket_arn))
    assert deployment.facts["bucket_ownership"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]


def test_both_queues_and_the_topic_refuse_plain_http(deployment: Deployment) -> None:
    outputs, facts = deployment.outputs, deployment.facts
    assert facts["queue_policies"] == {
        "queue_url": json.loads(queue_tls_policy(outputs["queue_arn"])),
        "dlq_url": json.loads(queue_tls_policy(outputs["dlq_arn"])),
    }
    assert facts["topic_policy"] == json.loads(
        topic_policy(outputs["topic_arn"], outputs["topic_arn"].rsplit("-", 1)[-1])
    )


def test_every_resource_carries_the_suffix_and_the_tags(deployment: Deployment) -> None:
    settings, facts = deployment.settings, deployment.facts
    for key in ("bucket_tags", "table_tags", "queue_tags", "function_tags"):
        assert facts[key] == dict(settings.tags), key
    suffix = f"-{settings.suffix}"
    named = [
        *deployment.on_moto_after_up["aws:s3/bucket:Bucket"],
        *deployment.on_moto_after_up["aws:dynamodb/table:Table"],
        *(url.rsplit("/", 1)[-1] for url in deployment.on_moto_after_up["aws:sqs/queue:Queue"]),
        *deployment.on_moto_after_up["aws:iam/role:Role"],
        *deployment.on_moto_after_up["aws:lambda/function:Function"],
        *deployment.on_moto_after_up["aws:cloudwatch/logGroup:LogGroup"],
    ]
    assert named and all(name.endswith(suffix) for name in named), named


def test_the_function_runs_as_its_role_fed_by_its_queue_and_logs_with_the_retention(
    deployment: Deployment,
) -> None:
    facts, settings = deployment.facts, deployment.settings
    assert facts["function_role"] == deployment.outputs["role_arn"]
    assert facts["role_trust"]["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert facts["role_policies"] == [settings.names.role_policy]
    assert facts["log_group"] == (settings.names.log_group, settings.log_retention_days)
    assert facts["mapping"] == [(deployment.outputs["queue_arn"], 10, ["ReportBatchItemFailures"])]


def test_the_topic_is_encrypted_and_mails_the_configured_address(deployment: Deployment) -> None:
    assert deployment.facts["topic_key"] == SNS_MANAGED_KEY
    assert deployment.facts["subscriptions"] == [("email", deployment.settings.notification_email)]
    assert deployment.facts["dlq_redrive_allow"] == {
        "redrivePermission": "byQueue",
        "sourceQueueArns": [deployment.outputs["queue_arn"]],
    }


def test_the_state_keeps_the_address_moto_was_given_secret(deployment: Deployment) -> None:
    """AWS got the plain address (above); the state the engine wrote holds it only encrypted."""
    [subscription] = [
        resource
        for resource in json.loads(deployment.exported_after_up)["deployment"]["resources"]
        if resource["type"] == "aws:sns/topicSubscription:TopicSubscription"
    ]
    assert subscription["outputs"]["endpoint"][SIG_KEY] == SECRET_SIG
    assert subscription["inputs"]["endpoint"][SIG_KEY] == SECRET_SIG
    email = deployment.settings.notification_email
    assert isinstance(email, str)
    assert email not in deployment.exported_after_up


def test_a_second_preview_expects_no_changes(deployment: Deployment) -> None:
    assert deployment.unchanged.returncode == 0, deployment.unchanged.output


@pytest.mark.parametrize("deployment", ["dev"], indirect=True)
def test_the_data_path_loses_and_duplicates_nothing_on_what_the_engine_deployed(
    deployment: Deployment,
) -> None:
    *faults, load = deployment.datapath
    assert load.messages_in == LOAD_MESSAGES
    print(
        f"\nload: {load.messages_in} in, {load.lost} lost, {load.duplicated} duplicated, {load.seconds:.0f} s"
    )
    for outcome in deployment.datapath:
        assert outcome.problems == (), outcome.fault
        assert (outcome.lost, outcome.duplicated) == (0, 0), outcome.fault
    assert all(f.fault_calls > 0 for f in faults), "a fault that never struck proves nothing"


@pytest.mark.parametrize("deployment", ["dev"], indirect=True)
def test_destroy_empties_a_used_stack(deployment: Deployment) -> None:
    # The bucket held every stored message's version and the table its item, and destroy still succeeded.
    assert deployment.held_before_destroy["object_versions"] >= LOAD_MESSAGES * 0.99
    assert deployment.held_before_destroy["items"] >= LOAD_MESSAGES * 0.99
    assert count(deployment.on_moto_after_destroy) == 0, deployment.on_moto_after_destroy


def test_destroy_leaves_nothing_on_moto_and_nothing_in_the_state(deployment: Deployment) -> None:
    assert count(deployment.on_moto_after_destroy) == 0, deployment.on_moto_after_destroy
    assert deployment.state_after_destroy == []


@pytest.mark.parametrize("deployment", [STATE_IN_S3], indirect=True)
def test_one_run_keeps_its_state_in_a_bucket_on_moto(deployment: Deployment) -> None:
    assert [k for k in deployment.state_keys if k.endswith(f"/{STATE_IN_S3}.json")], deployment.state_keys


def test_each_environment_has_its_four_alarms_naming_the_stacks_topic(deployment: Deployment) -> None:
    names = deployment.settings.names
    assert set(deployment.alarms) == {
        names.dlq_alarm,
        names.errors_alarm,
        names.throttles_alarm,
        names.queue_age_alarm,
    }
    for name, alarm in deployment.alarms.items():
        assert alarm["AlarmActions"] == [deployment.outputs["topic_arn"]], name
        assert alarm["OKActions"] == [deployment.outputs["topic_arn"]], name


def test_a_poison_message_in_the_dlq_puts_its_alarm_into_alarm(deployment: Deployment) -> None:
    assert deployment.dlq_alarm_before["StateValue"] == "OK", "an empty DLQ must not alarm"
    assert deployment.dlq_depth == 1
    assert deployment.dlq_alarm["StateValue"] == "ALARM", deployment.dlq_alarm.get("StateReason")
    assert deployment.dlq_alarm["AlarmActions"] == [deployment.outputs["topic_arn"]]
    assert deployment.dlq_alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": deployment.outputs["dlq_url"].rsplit("/", 1)[-1]}
    ]


def test_prowler_ran_and_judged_the_stacks_resources(deployment: Deployment) -> None:
    verdict = deployment.prowler
    print(f"\n{deployment.environment}: Prowler {dict(verdict.statuses)}")
    assert verdict.returncode == 0, verdict.stderr_tail
    assert len(verdict.passed) >= 20, "a scan that judged next to nothing proves nothing"


def test_every_prowler_failure_is_fixed_or_decided_and_every_decision_still_applies(
    deployment: Deployment,
) -> None:
    verdict = deployment.prowler
    decided = {(d.check, d.resource) for d in prowler_scan.decisions()}
    undecided = sorted(verdict.failed - decided)
    assert undecided == [], (
        f"Prowler failures neither fixed nor decided in prowler_decisions.toml: {undecided}"
    )
    stale = sorted(decided - verdict.failed - verdict.errors)
    assert stale == [], f"decisions that no longer apply (Prowler passes them now): {stale}"


def test_prowlers_errors_from_moto_are_the_known_gaps_not_passes(deployment: Deployment) -> None:
    print(f"\n{deployment.environment}: Prowler logged {len(deployment.prowler_errors)} errors:")
    for error in deployment.prowler_errors:
        print(f"  {error[:400]}")
    assert prowler_scan.unexplained(deployment.prowler_errors) == []
    # A check moto could not serve is an error, never a pass.
    assert not deployment.prowler.passed & deployment.prowler.errors
    assert deployment.prowler.errors == frozenset(), sorted(deployment.prowler.errors)


def _suffix_of(topic_arn: str) -> str:
    """The stack's suffix, read from its topic's name (``envstack-events-<suffix>``)."""
    return topic_arn.rsplit(":", 1)[-1].removeprefix("envstack-events-")
