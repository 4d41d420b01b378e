"""How `prowler_scan` reads Prowler's output: which findings are the stack's, what is an error, what is known.

The scan itself runs in test_deploy.py on what the engine deployed; these pin
the reading on Prowler's own OCSF shapes, so that a finding on another
stack's resource, or a check moto could not serve, can never pass as the
stack's.
"""

from pathlib import Path
from typing import Any

from . import prowler_scan


def finding(check: str, uid: str, status: str = "FAIL", fsbp: list[str] | None = None, text: str = "") -> Any:
    """One finding as Prowler 5.46 writes it in OCSF JSON (the fields the reading uses)."""
    compliance = {prowler_scan.FSBP: fsbp} if fsbp else {"CIS-7.0": ["1.1"]}
    return {
        "metadata": {"event_code": check},
        "status_code": status,
        "status_detail": text,
        "message": text,
        "resources": [{"uid": uid}],
        "unmapped": {"compliance": compliance},
    }


def test_only_the_stacks_resources_are_judged_by_their_generic_name() -> None:
    verdict = prowler_scan.judge(
        [
            finding("s3_bucket_object_lock", "arn:aws:s3:::envstack-data-dev", fsbp=["S3.15"]),
            finding("s3_bucket_object_lock", "arn:aws:s3:::envstack-data-dev-old"),
            finding("s3_bucket_object_lock", "arn:aws:s3:::envstack-pulumi-state"),
            finding(
                "sns_subscription_not_using_http_endpoints",
                "arn:aws:sns:us-east-2:123456789012:envstack-events-dev:0f1e",
                "PASS",
            ),
        ],
        "dev",
    )
    assert verdict.failed == {("s3_bucket_object_lock", "envstack-data-<suffix>")}
    assert verdict.fsbp == {("s3_bucket_object_lock", "envstack-data-<suffix>")}
    assert verdict.passed == {("sns_subscription_not_using_http_endpoints", "envstack-events-<suffix>")}


def test_a_check_moto_could_not_serve_is_an_error_never_a_pass() -> None:
    verdict = prowler_scan.judge(
        [
            finding("kms_cmk_rotation_enabled", "arn:aws:kms:r:1:key/envstack-key-dev", "MANUAL"),
            finding(
                "iam_x", "arn:aws:iam::1:role/envstack-role-dev", "PASS", text="has not been implemented"
            ),
        ],
        "dev",
    )
    assert verdict.passed == frozenset()
    assert verdict.errors == {
        ("kms_cmk_rotation_enabled", "envstack-key-<suffix>"),
        ("iam_x", "envstack-role-<suffix>"),
    }


def test_logged_errors_are_read_whole_and_matched_to_the_known_ones(tmp_path: Path) -> None:
    log = tmp_path / "prowler.log"
    log.write_text(
        '{"timestamp": "t", "module": "iam_service", "message": "NotImplementedError: '
        'The lookup_events action has not been implemented"}\n'
        '{"timestamp": "t", "module": "s3_service", "message": "b\'<p>a \\x first line\n'
        'Either the server is overloaded or there is an error in the application"}\n'
        '{"timestamp": "t", "module": "sqs_service", "message": "AccessDenied on the stack\'s queue"}\n'
    )
    scan = prowler_scan.Scan(process=None, output=tmp_path)  # type: ignore[arg-type]
    logged = prowler_scan.errors_logged(scan)
    assert [entry.split(":", 1)[0] for entry in logged] == ["iam_service", "s3_service", "sqs_service"]
    assert prowler_scan.unexplained(logged) == ["sqs_service: AccessDenied on the stack's queue"]
    assert {source for source, _ in prowler_scan.scan_errors().values()} == {"moto", "prowler"}


def test_every_decision_has_a_reason_and_names_a_resource_by_its_generic_name() -> None:
    decisions = prowler_scan.decisions()
    assert len({(d.check, d.resource) for d in decisions}) == len(decisions)
    for decision in decisions:
        assert decision.resource.startswith("envstack-") and decision.resource.endswith("-<suffix>"), decision
        assert len(decision.reason) > 40, decision
