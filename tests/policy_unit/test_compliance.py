"""The framework matrix: every in-scope control of Prowler's data decided, and each policy's metadata from it.

``envstack_policy.data.framework_data`` is Prowler's data (``tests/policy_prowler`` pins it to
the installed Prowler); ``envstack_policy.compliance.DECISIONS`` is the one table of
decisions. These tests fail when Prowler holds a control the table does not decide,
the table decides a control Prowler does not hold or names a policy the pack does not
have, a policy's ``framework``/``tags`` are not the table's, or policy/README.md's
matrix is stale.
"""

from pathlib import Path

from envstack_policy import compliance
from envstack_policy.compliance import COVERED, DECISIONS, NOT_APPLICABLE, of
from envstack_policy.data.framework_data import CONTROLS, FRAMEWORKS, SOURCE
from envstack_policy.pack import POLICIES
from tools import framework_matrix

README = Path(__file__).resolve().parents[2] / "policy" / "README.md"
FSBP = "AWS Foundational Security Best Practices"


def test_the_controls_are_prowlers_and_hold_the_services_in_scope() -> None:
    assert SOURCE == "Prowler 5.46.0"
    assert list(FRAMEWORKS) == ["aws-fsbp", "cis-aws"]
    assert FRAMEWORKS["aws-fsbp"][0] == FSBP
    assert FRAMEWORKS["cis-aws"][0].startswith("CIS Amazon Web Services Foundations Benchmark v")
    fsbp = CONTROLS["aws-fsbp"]
    assert {"S3.5", "SQS.1", "DynamoDB.6", "KMS.4", "Lambda.2", "RDS.3", "IAM.1", "SNS.1"} <= set(fsbp)
    assert not [c for c in fsbp if c.split(".")[0] in {"EC2", "ECS", "CloudFront", "ACM"}]
    assert len(fsbp) > 60
    assert fsbp["S3.5"] == ("S3", "medium", "S3 buckets should require requests to use Secure Socket Layer")
    assert CONTROLS["cis-aws"]["3.1.1"][:2] == ("S3", "Level 2")


def test_every_in_scope_control_of_prowlers_data_has_a_decision_and_every_decision_a_control() -> None:
    assert list(DECISIONS) == list(CONTROLS)
    for framework, controls in CONTROLS.items():
        decided = DECISIONS[framework]
        assert sorted(set(controls) - set(decided)) == [], f"{framework}: controls with no decision"
        assert sorted(set(decided) - set(controls)) == [], f"{framework}: decided, not in Prowler"


def test_decisions_name_policies_of_the_pack_and_say_why_when_not_covered() -> None:
    names = {p.name for p in POLICIES}
    for framework, decisions in DECISIONS.items():
        for control, decision in decisions.items():
            where = f"{framework} {control}"
            assert set(decision.policies) <= names, where
            assert decision.status in {COVERED, NOT_APPLICABLE, "conflict"}, where
            if decision.status == COVERED:
                assert decision.policies, f"{where} is covered by no policy"
            else:
                assert decision.why, f"{where} says no why"
            if decision.status == NOT_APPLICABLE:
                assert not decision.policies, where


def test_each_policy_carries_the_metadata_its_decisions_give() -> None:
    for policy in POLICIES:
        expected = of(policy.name)
        assert policy.tags == expected["tags"], policy.name
        framework, want = policy.framework, expected["framework"]
        if want is None:
            assert framework is None, policy.name
            continue
        assert framework is not None, policy.name
        got = (framework.name, framework.version, framework.reference, framework.specification)
        assert got == (want.name, want.version, want.reference, want.specification), policy.name


def test_a_policy_names_its_fsbp_controls_and_tags_every_control_of_both_frameworks() -> None:
    tls_only = next(p for p in POLICIES if p.name == "envstack-s3-tls-only")
    assert tls_only.framework is not None
    assert tls_only.framework.name == FSBP
    assert tls_only.framework.version is None  # Prowler gives the FSBP no version
    assert tls_only.framework.reference == "S3.5"
    title = "S3 buckets should require requests to use Secure Socket Layer"
    assert tls_only.framework.specification == f"S3.5: {title}"
    cis = compliance.tag("cis-aws", "3.1.1")
    assert cis == f"cis-aws-{FRAMEWORKS['cis-aws'][1]}:3.1.1"
    assert tls_only.tags == ["aws-fsbp:S3.5", cis]


def test_a_policy_that_covers_only_cis_controls_names_cis_as_its_framework() -> None:
    metadata = of("envstack-sqs-public-policy")
    assert metadata["framework"] is not None
    assert metadata["framework"].name == FRAMEWORKS["cis-aws"][0]
    assert metadata["framework"].version == FRAMEWORKS["cis-aws"][1]
    assert metadata["framework"].reference == "2.21"
    assert metadata["tags"] == [compliance.tag("cis-aws", "2.21")]


def test_a_policy_that_covers_no_control_has_no_framework_and_a_conflict_is_not_a_control() -> None:
    assert of("envstack-naming-suffix") == {"framework": None, "tags": None}
    # DynamoDB.6 asks for deletion protection; the policy asks for the opposite.
    assert DECISIONS["aws-fsbp"]["DynamoDB.6"].policies == ("envstack-dynamodb-deletion-protection",)
    assert of("envstack-dynamodb-deletion-protection") == {"framework": None, "tags": None}


def test_the_readme_matrix_is_rendered_from_the_decisions() -> None:
    text = README.read_text(encoding="utf-8")
    assert framework_matrix.render() in text, "the README's framework matrix is stale: make framework-matrix"
    for framework in FRAMEWORKS:
        assert framework_matrix.counts(framework) in text
    assert (
        "| S3.5 | S3 buckets should require requests to use Secure Socket Layer | S3 | medium | covered |"
        in text
    )


SEVERITY_ORDER = ("low", "medium", "high", "critical")

_PUBLIC = (
    "Security Hub rates every public-access control critical; the pack keeps critical for what hands over"
    " an identity (an administrator policy, a role anyone or any repository can assume) and rates a"
    " resource open to the public high"
)
_AT_REST = (
    "the pack rates a store that keeps data unencrypted at rest high (S3, DynamoDB, SQS, RDS alike);"
    " SNS, which keeps no messages, medium"
)
SEVERITY_DECISIONS = {
    "envstack-s3-public-access-block": _PUBLIC,
    "envstack-s3-public-policy": _PUBLIC,
    "envstack-s3-public-acl": _PUBLIC,
    "envstack-s3-access-point-public": _PUBLIC,
    "envstack-kms-public-policy": _PUBLIC,
    "envstack-lambda-public-permission": _PUBLIC,
    "envstack-lambda-service-permission": _PUBLIC,
    "envstack-rds-public": _PUBLIC,
    "envstack-rds-snapshot-public": _PUBLIC,
    "envstack-sqs-encryption": _AT_REST,
    "envstack-rds-storage-encryption": _AT_REST,
    "envstack-rds-cluster-snapshot-encryption": _AT_REST,
    "envstack-iam-no-admin-managed-policy": (
        "an AWS-managed administrator policy hands the role the account: the pack's critical, like a"
        " role anyone can assume"
    ),
    "envstack-iam-risky-actions": (
        "the policy also finds privilege escalation and credentials exposure (Checkov CKV_AWS_286, 287),"
        " which are high; decrypting with any KMS key (KMS.1, KMS.2) is the least of what it finds"
    ),
    "envstack-s3-versioning": (
        "versioning is what makes an overwrite or a delete undoable, and the original description asks"
        " for it; Security Hub rates S3.14 low"
    ),
}
"""Policies whose severity is not the highest Security Hub gives the FSBP controls they cover, and why."""


def test_each_policys_severity_is_security_hubs_for_its_controls_or_a_written_decision() -> None:
    """Security Hub's severities (Prowler's data) referee the pack's: every difference is listed above."""
    differs: dict[str, tuple[str, str]] = {}
    for policy in POLICIES:
        controls = compliance.controls_of(policy.name).get("aws-fsbp", [])
        assert policy.severity is not None, policy.name
        if not controls:
            continue
        theirs = max((CONTROLS["aws-fsbp"][c][1] for c in controls), key=SEVERITY_ORDER.index)
        if policy.severity.value != theirs:
            differs[policy.name] = (policy.severity.value, theirs)
    assert sorted(differs) == sorted(SEVERITY_DECISIONS), differs
    assert all(len(why) > 40 for why in SEVERITY_DECISIONS.values())
    assert f" {len(SEVERITY_DECISIONS)} differ, each with its reason" in " ".join(README.read_text().split())
