"""Event logs for the report's tests: the engine's recordings, and edits of them in issue 25's message shapes.

The edits give findings the messages the pack writes for acknowledged, stale
and invalid exemptions (the contract the three issue-25 branches share), on a
real preview's events, so the report reads what it will read once the pack
writes them; everything else in the log stays as the engine recorded it.
"""

import json
from pathlib import Path
from typing import Any

EVENT_LOGS = Path(__file__).resolve().parent / "event_logs"
PREVIEW = EVENT_LOGS / "rule_breakers_preview.jsonl"
ENGINE_EXCEPTION = EVENT_LOGS / "rule_breakers_engine_exception.jsonl"

PREFIX = "urn:pulumi:dev::rule-breakers::envstackbroken:index:RuleBreakers$"
LOOSE_BUCKET = PREFIX + "aws:s3/bucket:Bucket::loose-bucket"
V2_BUCKET = PREFIX + "aws:s3/bucketV2:BucketV2::v2-bucket"
QUEUE = PREFIX + "aws:sqs/queue:Queue::no-dlq-queue"
ROLE_POLICY = PREFIX + "aws:iam/rolePolicy:RolePolicy::broad-role-policy"
STACK = "urn:pulumi:dev::rule-breakers::pulumi:pulumi:Stack::rule-breakers-dev"


def events(path: Path = PREVIEW) -> list[dict[str, Any]]:
    """The engine events of a recorded log."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write(path: Path, log: list[dict[str, Any]]) -> Path:
    """``log`` as an event log file at ``path``."""
    path.write_text("".join(json.dumps(event) + "\n" for event in log), encoding="utf-8")
    return path


def acknowledged_message(
    exemption: str, reason: str, finding: str, approver: str = "nobody named", ticket: str = "none"
) -> str:
    """The pack's message for a finding exemption ``exemption`` acknowledged (issue 25's contract)."""
    return (
        f'ACKNOWLEDGED by exemption "{exemption}" (expires 2027-03-31; approved by {approver}; '
        f"ticket {ticket}): {reason}. Finding: {finding}"
    )


def acknowledge(
    log: list[dict[str, Any]], policy: str, urn: str, exemption: str, reason: str, **who: str
) -> None:
    """Turn ``policy``'s finding on ``urn`` into an acknowledged one, at advisory level, as the pack would."""
    for event in log:
        violation = event.get("policyEvent")
        if (
            violation
            and (violation["policyName"], violation["resourceUrn"]) == (policy, urn)
            and "\nACKNOWLEDGED by exemption" not in violation["message"]
        ):
            description, finding = violation["message"].rstrip("\n").split("\n", 1)
            message = acknowledged_message(exemption, reason, finding, **who)
            violation.update(message=f"{description}\n{message}\n", enforcementLevel="advisory")
            return
    raise AssertionError(f"no {policy} finding on {urn} in the log")


def exemptions_finding(log: list[dict[str, Any]], level: str, message: str) -> None:
    """Add a finding of the pack's exemptions policy (a stale or invalid exemption) before the summary."""
    event = {
        "sequence": 1000 + len(log),
        "timestamp": 0,
        "policyEvent": {
            "resourceUrn": STACK,
            "message": f"Exemptions name a policy, a resource, a reason and an expiry.\n{message}\n",
            "color": "never",
            "policyName": "envstack-exemptions",
            "policyPackName": "envstack",
            "policyPackVersion": "0.1.0",
            "policyPackVersionTag": "0.1.0",
            "enforcementLevel": level,
            "severity": "medium",
        },
    }
    summary = next(i for i, e in enumerate(log) if "summaryEvent" in e)
    log.insert(summary, event)


def with_exemptions() -> list[dict[str, Any]]:
    """The preview's log as the pack reports it: a baseline entry, a reviewed, a stale and a bad exemption."""
    log = events()
    acknowledge(log, "envstack-s3-versioning", LOOSE_BUCKET, "baseline-1", "baseline of 2026-11-01")
    # One baseline entry per policy and resource: both wildcard findings on the role policy are baseline-2's.
    for _ in range(2):
        acknowledge(log, "envstack-iam-no-wildcards", ROLE_POLICY, "baseline-2", "baseline of 2026-11-01")
    acknowledge(
        log,
        "envstack-s3-public-access-block",
        V2_BUCKET,
        "legacy-v2",
        "Bucket predates the rule; migration tracked",
        approver="alice@example.com",
        ticket="SEC-123",
    )
    exemptions_finding(
        log, "advisory", 'STALE exemption "baseline-7": matches no finding of envstack-sqs-encryption.'
    )
    exemptions_finding(
        log, "advisory", 'STALE exemption "old-queue": matches no finding of envstack-sqs-encryption.'
    )
    exemptions_finding(
        log, "mandatory", "INVALID exemption \"short\": field reason = 'todo': must be at least 10 characters"
    )
    return log
