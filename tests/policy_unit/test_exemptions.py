"""Exemptions read, validated and matched in-process, and applied by the pack's server over loopback gRPC.

The model's rules (``exemptions.py``) are called directly; what the server
does with them (a finding turned acknowledged or expired, the exemptions
policy run last and its stale entries lowered to advisory) runs through the
real servicer on a loopback channel in this process, so coverage sees both.
The same behaviours under the real engine are ``tests/engine_real/test_exemptions.py``'s.
"""

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import grpc
import pytest
from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
from pulumi_policy import StackValidationArgs

from envstack_policy import exemptions, pack
from envstack_policy.readers.stack import StackInfo
from envstack_policy.serving import server

from .conftest import NotApplicable

TODAY = date(2026, 6, 1)
POLICIES = frozenset(p.name for p in pack.POLICIES)
URN = "urn:pulumi:dev::legacy::aws:s3/bucket:Bucket::legacy-uploads"
HERE = frozenset({"urn:pulumi:dev::legacy"})
"""The stack the session tests judge, as ``exemptions.stack_prefix`` names it."""
NESTED = "urn:pulumi:dev::app::envstack:index:EnvironmentStack$aws:sqs/queue:Queue::ingest"


def entry(**fields: Any) -> dict[str, Any]:
    """A valid entry by URN, with ``fields`` changed (``None`` removes a field)."""
    base: dict[str, Any] = {
        "policy": "envstack-s3-versioning",
        "urn": URN,
        "reason": "Bucket predates the versioning rule",
        "expires": "2026-12-31",
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def read(
    *entries: object, forbidden: tuple[str, ...] = (), max_days: int = 365
) -> tuple[list[Any], list[str]]:
    rules = exemptions.Rules(POLICIES, frozenset(forbidden), max_days, TODAY)
    return exemptions.read_entries(list(entries), exemptions.PACK_SOURCE, rules)


def problems(*entries: object, **kwargs: Any) -> list[str]:
    found, messages = read(*entries, **kwargs)
    assert found == []
    return messages


def test_a_valid_entry_is_read_with_every_field() -> None:
    found, messages = read(entry(id="legacy", approvedBy="alice@example.com", ticket="SEC-1"))
    assert messages == []
    assert found == [
        exemptions.Exemption(
            "legacy",
            "envstack-s3-versioning",
            "Bucket predates the versioning rule",
            date(2026, 12, 31),
            URN,
            approved_by="alice@example.com",
            ticket="SEC-1",
        )
    ]


def test_an_entry_without_an_id_is_named_by_its_source_and_place() -> None:
    assert [e.id for e in read(entry(), entry(urn=None, type="aws:s3/*"))[0]] == [
        "pack-config[0]",
        "pack-config[1]",
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": None}, "field reason = (missing): is required"),
        ({"reason": "too short"}, 'field reason = "too short": must be at least 10 characters'),
        ({"reason": "two\nlines of it"}, 'field reason = "two\\nlines of it": must be on one line'),
        ({"reason": 42}, "field reason = 42: must be a non-empty string"),
        ({"reason": "   "}, 'field reason = "   ": must be a non-empty string'),
        ({"policy": None}, "field policy = (missing): is required"),
        ({"policy": "envstack-nope"}, 'field policy = "envstack-nope": is not a policy of the pack'),
        (
            {"policy": "envstack-exemptions"},
            'field policy = "envstack-exemptions": '
            "exemptions for this policy are forbidden by the pack config",
        ),
        ({"expires": None}, "field expires = (missing): is required (an ISO date, YYYY-MM-DD)"),
        ({"expires": "31/12/2026"}, 'field expires = "31/12/2026": must be an ISO date (YYYY-MM-DD)'),
        ({"expires": "2026-02-30"}, 'field expires = "2026-02-30": must be an ISO date (YYYY-MM-DD)'),
        ({"expires": 20261231}, "field expires = 20261231: must be an ISO date (YYYY-MM-DD)"),
        (
            {"expires": "2027-06-02"},
            'field expires = "2027-06-02": must be no later than 2027-06-01 (365 days ahead)',
        ),
        ({"urn": "legacy-uploads"}, 'field urn = "legacy-uploads": must be a Pulumi URN (urn:pulumi:...)'),
        (
            {"type": "aws:s3/*"},
            f'field urn = "{URN}": name the resource by urn or by type and name, not both',
        ),
        (
            {"urn": None},
            "field urn = (missing): an exemption names its resource by urn, or by type and/or name globs",
        ),
        ({"urn": ""}, 'field urn = "": must be a non-empty string'),
        ({"approvedBy": "alice; bob"}, "field approvedBy = \"alice; bob\": must not contain ';'"),
        ({"ticket": "SEC-1 (old)"}, "field ticket = \"SEC-1 (old)\": must not contain ')'"),
        ({"id": 'say "hi"'}, 'field id = "say \\"hi\\"": must not contain \'"\''),
        (
            {"owner": "alice"},
            'field owner = "alice": is not a field of an exemption '
            "(id, policy, urn, type, name, reason, expires, approvedBy, ticket)",
        ),
    ],
)
def test_a_malformed_entry_names_the_field_the_value_and_the_rule(
    fields: dict[str, Any], message: str
) -> None:
    assert problems(entry(**fields)) == [f'INVALID exemption "pack-config[0]": {message}']


def test_every_problem_of_an_entry_is_reported_under_its_id() -> None:
    assert problems(entry(id="x", reason="short", expires="soon")) == [
        'INVALID exemption "x": field reason = "short": must be at least 10 characters',
        'INVALID exemption "x": field expires = "soon": must be an ISO date (YYYY-MM-DD)',
    ]


def test_a_forbidden_policy_cannot_be_exempted() -> None:
    assert problems(entry(), forbidden=("envstack-s3-versioning",)) == [
        'INVALID exemption "pack-config[0]": field policy = "envstack-s3-versioning": '
        "exemptions for this policy are forbidden by the pack config"
    ]


def test_the_engines_text_of_an_unquoted_yaml_date_and_a_date_object_are_read() -> None:
    found, _ = read(entry(expires="2026-07-01 00:00:00 +0000 UTC"), entry(id="b", expires=date(2026, 7, 2)))
    assert [e.expires for e in found] == [date(2026, 7, 1), date(2026, 7, 2)]


def test_a_maximum_of_days_is_configurable() -> None:
    assert problems(entry(expires="2026-06-09"), max_days=7) == [
        'INVALID exemption "pack-config[0]": field expires = "2026-06-09": '
        "must be no later than 2026-06-08 (7 days ahead)"
    ]


def test_an_entry_that_is_not_a_mapping_or_a_list_that_is_not_a_list_is_reported() -> None:
    assert problems("legacy") == [
        'INVALID exemption "pack-config[0]": field entry = "legacy": must be a mapping of exemption fields'
    ]
    rules = exemptions.Rules(POLICIES, today=TODAY)
    assert exemptions.read_entries("all of them", "stack-config", rules) == (
        [],
        ['INVALID exemption "stack-config": field exemptions = "all of them": must be a list of exemptions'],
    )


def test_a_long_value_is_shortened_in_the_message() -> None:
    (message,) = problems(entry(urn="x" * 500))
    assert message.endswith("...: must be a Pulumi URN (urn:pulumi:...)")
    assert len(message) < 250


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"forbidden": "envstack-kms-rotation"}, 'field forbidden = "envstack-kms-rotation": must be a list'),
        ({"forbidden": ["envstack-nope"]}, 'field forbidden = "envstack-nope": is not a policy of the pack'),
        ({"maxDays": "a year"}, 'field maxDays = "a year": must be a whole number of days from 1 to 3650'),
        ({"maxDays": True}, "field maxDays = true: must be a whole number"),
        ({"maxDays": 30.5}, "field maxDays = 30.5: must be a whole number"),
        ({"maxDays": 0}, "field maxDays = 0: must be a whole number"),
        ({"maxDays": 5000}, "field maxDays = 5000: must be a whole number"),
    ],
)
def test_a_wrong_pack_option_is_reported_and_the_default_kept(config: dict[str, Any], message: str) -> None:
    rules, found = exemptions.read_rules(config, POLICIES, TODAY)
    assert len(found) == 1
    assert found[0].startswith('INVALID exemption "pack-config": ' + message)
    assert rules.max_days == exemptions.DEFAULT_MAX_DAYS


def test_the_pack_options_are_read_with_protobufs_float_days() -> None:
    rules, found = exemptions.read_rules({"forbidden": ["envstack-naming-suffix"], "maxDays": 90.0}, POLICIES)
    assert found == []
    assert rules.forbidden == {"envstack-naming-suffix"}
    assert rules.max_days == 90


def session(
    *entries: dict[str, Any], stack_entries: object = None, secret: bool = False
) -> exemptions.Session:
    info = None
    if stack_entries is not None:
        text = stack_entries if isinstance(stack_entries, str) else json.dumps(stack_entries)
        info = StackInfo("dev", "legacy", {exemptions.STACK_CONFIG_KEY: text})
    keys = [exemptions.STACK_CONFIG_KEY] if secret else []
    return exemptions.session_for({"exemptions": list(entries)}, info, POLICIES, keys, TODAY)


def test_exact_urns_and_globs_match_their_policys_findings_only() -> None:
    found = session(
        entry(id="exact"),
        entry(id="glob", urn=None, policy="envstack-sqs-encryption", type="aws:sqs/*", name="in*"),
    )
    assert found.match("envstack-s3-versioning", URN) == exemptions.Verdict(found.exemptions[0], False)
    assert found.match("envstack-s3-encryption", URN) is None
    assert found.match("envstack-sqs-encryption", NESTED) == exemptions.Verdict(found.exemptions[1], False)
    assert found.match("envstack-sqs-encryption", NESTED.replace("::ingest", "::dlq")) is None
    assert found.stale(HERE) == []


def test_a_glob_without_a_name_matches_every_name_and_a_finding_without_urn_only_a_catch_all() -> None:
    found = session(entry(urn=None, type="*"))
    assert found.match("envstack-s3-versioning", NESTED) is not None
    assert exemptions.resource_of("") == ("", "")
    assert found.match("envstack-s3-versioning", "") is not None
    assert session(entry(urn=None, type="aws:*")).match("envstack-s3-versioning", "") is None


def test_an_expired_exemption_still_matches_but_no_longer_waives() -> None:
    found = session(
        entry(id="old", expires="2026-05-31"), entry(id="today", urn=URN + "2", expires="2026-06-01")
    )
    verdict = found.match("envstack-s3-versioning", URN)
    assert verdict is not None
    assert verdict.expired
    assert (
        verdict.message("finding") == 'finding (exemption "old" expired on 2026-05-31 and no longer applies)'
    )
    today = found.match("envstack-s3-versioning", URN + "2")
    assert today is not None
    assert not today.expired
    assert found.stale(HERE) == []


def test_the_acknowledged_message_reads_back_with_the_shared_pattern() -> None:
    (exemption,) = session(entry(id="legacy", reason="Migration is tracked.", ticket="SEC-9")).exemptions
    message = exemptions.acknowledged(exemption, "S3 buckets have versioning enabled.\nlegacy: not enabled.")
    assert message.startswith(
        'ACKNOWLEDGED by exemption "legacy" (expires 2026-12-31; approved by nobody named;'
    )
    parsed = exemptions.ACKNOWLEDGED_PATTERN.match(message)
    assert parsed is not None
    assert parsed.groupdict() == {
        "id": "legacy",
        "expires": "2026-12-31",
        "approver": "nobody named",
        "ticket": "SEC-9",
        "reason": "Migration is tracked.",
        "finding": "S3 buckets have versioning enabled.\nlegacy: not enabled.",
    }


def test_an_unmatched_exemption_is_stale_with_what_it_named() -> None:
    found = session(entry(id="by-urn"), stack_entries=[entry(id="by-type", urn=None, type="aws:sqs/*")])
    assert [exemptions.stale(e) for e in found.stale(HERE)] == [
        f'STALE exemption "by-urn": no finding of envstack-s3-versioning on {URN} in this run; '
        "delete the entry once what it waived is fixed",
        'STALE exemption "by-type": no finding of envstack-s3-versioning on type aws:sqs/* and name * '
        "in this run; delete the entry once what it waived is fixed",
    ]


def test_only_entries_for_the_stack_judged_can_be_stale() -> None:
    # The pack config is shared by every stack: another stack's URN, or a pattern, is not stale here.
    found = session(
        entry(id="other-stack", urn=URN.replace("dev::", "prod::")),
        entry(id="pattern", urn=None, type="aws:sqs/*"),
        stack_entries=[entry(id="own-pattern", urn=None, type="aws:sqs/*")],
    )
    assert [e.id for e in found.stale(HERE)] == ["own-pattern"]
    assert [e.id for e in found.stale(frozenset({"urn:pulumi:prod::legacy"}))] == [
        "other-stack",
        "own-pattern",
    ]
    assert exemptions.stack_prefix(NESTED) == "urn:pulumi:dev::app"


def test_both_sources_are_read_and_ids_must_be_unique() -> None:
    found = session(entry(id="legacy"), stack_entries=[entry(), entry(id="legacy", urn=URN + "2")])
    assert [e.id for e in found.exemptions] == ["legacy", "stack-config[0]"]
    assert found.problems == (
        'INVALID exemption "legacy": field id = "legacy": must be unique across both sources',
    )


def test_stack_config_that_is_not_json_or_secret_is_reported_without_its_value() -> None:
    assert session(stack_entries="legacy-uploads").problems == (
        'INVALID exemption "stack-config": field exemptions = "legacy-uploads": must be a list of exemptions',
    )
    assert session(stack_entries=[entry(reason="short")], secret=True).problems == (
        'INVALID exemption "stack-config[0]": field reason = [secret]: must be at least 10 characters',
    )


def test_no_config_at_all_means_no_exemptions() -> None:
    empty = exemptions.session_for(None, StackInfo("dev", "legacy", {}), POLICIES)
    assert (empty.exemptions, empty.problems, empty.stale(HERE)) == ((), (), [])


def test_the_session_is_built_once_until_forgotten() -> None:
    assert exemptions.built() is None
    first = exemptions.current(lambda: session(entry()))
    assert exemptions.current(session) is first
    assert exemptions.built() is first
    exemptions.forget()
    assert exemptions.built() is None


def test_the_exemptions_policy_is_not_applicable_before_any_session() -> None:
    reported: list[str] = []

    def report(message: str, urn: str | None = None) -> None:
        reported.append(message)

    with pytest.raises(NotApplicable) as raised:
        exemptions.POLICY.validate(StackValidationArgs([], None), report)
    assert raised.value.reason == "no exemption was read in this run"
    assert reported == []


# The server, over a loopback channel in this process.


@pytest.fixture
def analyzer() -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    running, port = server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield analyzer_pb2_grpc.AnalyzerStub(channel)
    finally:
        channel.close()
        running.stop(0)


def configure(
    stub: analyzer_pb2_grpc.AnalyzerStub, settings: dict[str, Any], stack_entries: list[Any]
) -> None:
    """Configure and ConfigureStack as the engine sends them: the pack config, then the stack's config."""
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    request.policyConfig[exemptions.POLICY_NAME].properties.update(settings)
    request.policyConfig[exemptions.POLICY_NAME].enforcementLevel = analyzer_pb2.MANDATORY
    stub.Configure(request)
    stub.ConfigureStack(
        analyzer_pb2.AnalyzerStackConfigureRequest(
            stack="dev",
            project="legacy",
            config={exemptions.STACK_CONFIG_KEY: json.dumps(stack_entries)},
        )
    )


def bucket(**properties: Any) -> analyzer_pb2.AnalyzerResource:
    struct = struct_pb2.Struct()
    struct.update({"bucket": "legacy-uploads-dev", "forceDestroy": True, **properties})
    return analyzer_pb2.AnalyzerResource(
        type="aws:s3/bucket:Bucket", name="legacy-uploads", urn=URN, properties=struct
    )


def by_policy(response: analyzer_pb2.AnalyzeResponse) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = {}
    for d in response.diagnostics:
        found.setdefault(d.policyName, []).append((d.enforcementLevel, d.message))
    return found


GONE_QUEUE = "urn:pulumi:dev::legacy::aws:sqs/queue:Queue::deleted-last-quarter"


def test_the_server_acknowledges_expires_and_reports_stale_and_invalid_entries(
    analyzer: analyzer_pb2_grpc.AnalyzerStub,
) -> None:
    configure(
        analyzer,
        {
            "exemptions": [
                entry(
                    id="central", policy="envstack-s3-encryption", urn=None, type="aws:s3/*", name="legacy-*"
                ),
                entry(id="lapsed", policy="envstack-s3-force-destroy", expires="2020-01-01"),
                entry(id="gone", policy="envstack-sqs-encryption", urn=GONE_QUEUE),
                entry(id="elsewhere", policy="envstack-sqs-encryption", urn=None, type="aws:sqs/queue:Queue"),
            ],
            "forbidden": ["envstack-s3-tls-only"],
        },
        [
            entry(id="local", policy="envstack-naming-suffix"),
            entry(id="refused", policy="envstack-s3-tls-only"),
        ],
    )
    # Resource policies, in Analyze: they report without a URN; the server matches the resource's.
    resource = bucket(bucket="legacy-uploads", forceDestroy=False)
    analyzed = by_policy(
        analyzer.Analyze(
            analyzer_pb2.AnalyzeRequest(
                type=resource.type, name=resource.name, urn=resource.urn, properties=resource.properties
            )
        )
    )
    ((level, message),) = analyzed["envstack-naming-suffix"]
    assert level == analyzer_pb2.ADVISORY
    # The engine's shape is kept: the policy's description, then the acknowledged finding.
    description, _, finding = message.partition("\n")
    assert description == "Physically named resources carry the environment suffix."
    assert finding.startswith(
        'ACKNOWLEDGED by exemption "local" (expires 2026-12-31; approved by nobody named'
    )
    assert "does not end with the environment suffix '-dev'" in message
    ((level, message),) = analyzed["envstack-s3-force-destroy"]
    assert level == analyzer_pb2.MANDATORY
    assert message.endswith('(exemption "lapsed" expired on 2020-01-01 and no longer applies)')

    # Stack policies, in AnalyzeStack: they report with the resource's URN; the exemptions policy comes last.
    stacked = by_policy(analyzer.AnalyzeStack(analyzer_pb2.AnalyzeStackRequest(resources=[resource])))
    ((level, message),) = stacked["envstack-s3-encryption"]
    assert (level, message.split('"')[1]) == (analyzer_pb2.ADVISORY, "central")
    ((level, message),) = stacked["envstack-s3-tls-only"]
    assert level == analyzer_pb2.MANDATORY
    assert "ACKNOWLEDGED" not in message
    assert stacked["envstack-exemptions"] == [
        (
            analyzer_pb2.MANDATORY,
            'INVALID exemption "refused": field policy = "envstack-s3-tls-only": '
            "exemptions for this policy are forbidden by the pack config",
        ),
        (
            analyzer_pb2.ADVISORY,
            f'STALE exemption "gone": no finding of envstack-sqs-encryption on {GONE_QUEUE} '
            "in this run; delete the entry once what it waived is fixed",
        ),
    ]


def test_a_stack_policys_finding_on_a_resource_is_acknowledged_too(
    analyzer: analyzer_pb2_grpc.AnalyzerStub,
) -> None:
    # envstack-s3-versioning is a stack policy: it reports with the bucket's URN from AnalyzeStack.
    configure(analyzer, {"exemptions": [entry(id="central")]}, [])
    stacked = by_policy(analyzer.AnalyzeStack(analyzer_pb2.AnalyzeStackRequest(resources=[bucket()])))
    ((level, message),) = stacked["envstack-s3-versioning"]
    assert level == analyzer_pb2.ADVISORY
    assert message.partition("\n")[2].startswith('ACKNOWLEDGED by exemption "central"')
    assert "envstack-exemptions" not in stacked


def test_the_exemptions_policy_runs_after_every_other_policy() -> None:
    names = [p.name for p in server._exemptions_last([exemptions.POLICY, *pack.POLICIES[:3]])]
    assert names[-1] == exemptions.POLICY_NAME
    assert names.count(exemptions.POLICY_NAME) == 1
