"""The coverage matrix of policy/README.md, read as data: the one place that says what covers what."""

import re
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "policy" / "README.md"
STATUSES = ("covered", "decision", "not applicable", "conflict")
"""A row's status: a check the pack leaves uncovered with no reason has no place in the matrix."""

CDK_NAG_RULES = (
    "S1", "S2", "S5", "S10", "RDS2", "RDS3", "RDS6", "RDS8", "RDS10", "RDS11", "RDS13", "RDS14", "RDS16",
    "DDB3", "DDB4", "IAM4", "IAM5", "KMS5", "SNS3", "SQS2", "SQS3", "SQS4", "L1",
)  # fmt: skip
"""cdk-nag 3.0.2's AwsSolutions rules in its s3, dynamodb, sqs, sns, lambda, iam, rds and kms modules.

Read from ``lib/packs/aws-solutions.js`` of the npm package (``npm pack cdk-nag@3.0.2``); checked in
because the package needs aws-cdk-lib to load, which the repository has no other use for. There is no
SNS2 among them: that pack dropped it, and topic encryption (``SNSEncryptedKMS``) is in the HIPAA, NIST
and PCI packs only (read again for issue 28, which asked for an SNS2 row).
"""


@dataclass(frozen=True)
class Row:
    """One matrix row: the rule, its status, and the pack's policies it names."""

    rule: str
    status: str
    policies: tuple[str, ...]
    why: str


def _rows(marker: str, columns: int) -> dict[str, Row]:
    text = README.read_text()
    start = text.index(f"<!-- {marker}:start -->")
    end = text.index(f"<!-- {marker}:end -->")
    rows: dict[str, Row] = {}
    for line in text[start:end].splitlines()[3:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != columns:
            raise ValueError(f"policy/README.md {marker}: row {line!r} has {len(cells)} cells, not {columns}")
        rule, status, why = cells[0], cells[-2], cells[-1]
        if status not in STATUSES:
            raise ValueError(
                f"policy/README.md {marker}: {rule} has status {status!r}, not one of {STATUSES}"
            )
        if rule in rows:
            raise ValueError(f"policy/README.md {marker}: {rule} is listed twice")
        policies = tuple(re.findall(r"`(envstack-[a-z0-9-]+)`", why))
        rows[rule] = Row(rule, status, policies, why)
    return rows


def checkov_rows() -> dict[str, Row]:
    """The Checkov rows, by check id."""
    return _rows("checkov-matrix", 5)


def cdk_nag_rows() -> dict[str, Row]:
    """The cdk-nag rows, by rule id without the ``AwsSolutions-`` prefix."""
    return {rule.removeprefix("AwsSolutions-"): row for rule, row in _rows("cdk-nag-matrix", 4).items()}
