"""Exemptions in the spawned pack: both sources over gRPC, on the real component's recorded dev stack.

The pack runs as its own process, as the engine starts it, with the stack's
config in ``ConfigureStack`` and the pack config in ``Configure``; a preview's
calls (Analyze per resource, then AnalyzeStack) are replayed from the
recording. The pack config's suffix makes every physically named child break
``envstack-naming-suffix``, which gives the exemptions real findings to
match. The same under the real CLI is ``tests/engine_real/test_exemptions.py``.
"""

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from envstack_testkit.analyzer_harness import Diagnostic, PolicyAnalyzer, review_recording
from envstack_testkit.recording import Recording

SOON = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
STACK_FILE_ENTRIES = [
    {
        "id": "suffix-rename-pending",
        "policy": "envstack-naming-suffix",
        "type": "aws:*",
        "name": "*",
        "reason": "Names move to the -alice suffix with the next release",
        "expires": SOON,
    },
    {"policy": "envstack-naming-suffix", "type": "aws:sqs/*", "reason": "queues", "expires": SOON},
]


@pytest.fixture(scope="module")
def pack_with_stack_exemptions() -> Iterator[PolicyAnalyzer]:
    """The pack for stack dev, its stack config carrying exemptions as the engine passes them (JSON text)."""
    config = {"envstack-policy:exemptions": json.dumps(STACK_FILE_ENTRIES)}
    with PolicyAnalyzer(stack="dev", stack_config=config) as analyzer:
        yield analyzer


def preview(
    analyzer: PolicyAnalyzer, recording: Recording, exemptions: Sequence[Mapping[str, object]]
) -> list[Diagnostic]:
    analyzer.configure(
        {
            "envstack-naming-suffix": {"suffix": "alice"},
            "envstack-exemptions": {
                "exemptions": list(exemptions),
                "forbidden": ["envstack-kms-public-policy"],
            },
        }
    )
    return review_recording(analyzer, recording)


def test_a_stack_file_pattern_acknowledges_each_finding_and_a_malformed_entry_is_mandatory(
    pack_with_stack_exemptions: PolicyAnalyzer, recordings: dict[str, Recording]
) -> None:
    found = preview(pack_with_stack_exemptions, recordings["dev"], [])
    naming = [d for d in found if d.policy == "envstack-naming-suffix"]
    assert len(naming) >= 5
    assert {d.level for d in naming} == {"advisory"}
    # Each keeps the engine's shape: the policy's description, then the acknowledged finding.
    assert all(
        d.message.partition("\n")[2].startswith('ACKNOWLEDGED by exemption "suffix-rename-pending"')
        for d in naming
    )
    assert [(d.level, d.message) for d in found if d.policy == "envstack-exemptions"] == [
        (
            "mandatory",
            'INVALID exemption "stack-config[1]": field reason = "queues": must be at least 10 characters',
        )
    ]
    assert [d for d in found if d.level == "mandatory" and d.policy != "envstack-exemptions"] == []


def test_a_forbidden_central_entry_is_refused_and_an_expired_one_restores_the_level(
    pack_with_stack_exemptions: PolicyAnalyzer, recordings: dict[str, Recording]
) -> None:
    topic = (
        "urn:pulumi:dev::pulumi-infra::envstack:index:EnvironmentStack$aws:sns/topic:Topic::envstack-topic"
    )
    central = [
        {
            "id": "lapsed",
            "policy": "envstack-naming-suffix",
            "urn": topic,
            "reason": "Renamed in May, then reverted",
            "expires": "2020-05-31",
        },
        {
            "id": "refused",
            "policy": "envstack-kms-public-policy",
            "type": "aws:kms/*",
            "reason": "Shared key for now",
            "expires": SOON,
        },
    ]
    found = preview(pack_with_stack_exemptions, recordings["dev"], central)
    # The URN entry comes first, so the topic's finding meets the expired exemption, not the pattern.
    (lapsed,) = [d for d in found if "envstack-topic" in d.message and d.policy == "envstack-naming-suffix"]
    assert lapsed.level == "mandatory"
    assert lapsed.message.endswith('(exemption "lapsed" expired on 2020-05-31 and no longer applies)')
    others = [d for d in found if d.policy == "envstack-naming-suffix" and d is not lapsed]
    assert others
    assert {d.level for d in others} == {"advisory"}
    invalid = [d.message for d in found if d.policy == "envstack-exemptions" and d.level == "mandatory"]
    assert (
        'INVALID exemption "refused": field policy = "envstack-kms-public-policy": '
        "exemptions for this policy are forbidden by the pack config"
    ) in invalid
