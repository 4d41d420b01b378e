"""policy/README.md's matrix lists every in-scope check of the installed Checkov, and every cdk-nag rule."""

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from envstack_policy.pack import POLICIES

from . import checkov
from .matrix import CDK_NAG_RULES, cdk_nag_rows, checkov_rows


@pytest.fixture(scope="module")
def registered() -> dict[str, dict[str, Any]]:
    """The installed Checkov's in-scope checks (reading the registry costs seconds: once per module)."""
    return checkov.registry()


def test_the_pinned_checkov_is_the_one_installed() -> None:
    pin = (Path(checkov.ROOT) / "requirements" / "checkov.in").read_text()
    assert f"checkov=={checkov.VERSION}\n" in pin
    assert checkov.version() == checkov.VERSION


def test_every_in_scope_check_of_checkovs_registry_has_a_row_and_every_row_a_check(
    registered: dict[str, dict[str, Any]],
) -> None:
    rows = checkov_rows()
    assert sorted(set(registered) - set(rows)) == [], "new Checkov checks: add them to policy/README.md"
    assert sorted(set(rows) - set(registered)) == [], "rows for checks Checkov no longer has"
    assert len(registered) > 100  # the registry was read, not an empty answer


def test_every_row_of_the_checkov_matrix_names_its_checks_title(
    registered: dict[str, dict[str, Any]],
) -> None:
    readme = checkov.README.read_text()
    for check_id, entry in registered.items():
        title = entry["title"].replace("|", "/")
        assert f"| {check_id} | {title} |" in readme, check_id


def test_covered_and_conflict_rows_name_policies_of_the_pack() -> None:
    names = {p.name for p in POLICIES}
    for row in [*checkov_rows().values(), *cdk_nag_rows().values()]:
        assert set(row.policies) <= names, row
        if row.status == "covered":
            assert row.policies, f"{row.rule} is covered by no policy"
        if row.status == "decision":
            assert len(row.policies) == 1 and len(row.why) > 80, f"{row.rule}: name the policy and say why"
        if row.status == "not applicable":
            assert row.why and not row.why.startswith("`envstack-"), row


def test_the_cdk_nag_matrix_has_exactly_the_checked_in_rules() -> None:
    assert list(cdk_nag_rows()) == list(CDK_NAG_RULES)


def test_every_awssolutions_rule_the_readme_names_is_one_of_the_pack() -> None:
    """A policy's row may only claim cdk-nag AwsSolutions rules that the checked-in list holds."""
    named = set(re.findall(r"AwsSolutions-([A-Z]+[0-9]+)", checkov.README.read_text()))
    assert sorted(named - set(CDK_NAG_RULES)) == []


def test_the_counts_the_readme_states_are_the_matrixs() -> None:
    readme = checkov.README.read_text()
    for label, rows in (("Checkov", checkov_rows()), ("cdk-nag", cdk_nag_rows())):
        counts = Counter(row.status for row in rows.values())
        stated = (
            f"{label}: {len(rows)} in scope, {counts['covered']} covered, {counts['decision']} decisions,"
            f" {counts['not applicable']} not applicable, {counts['conflict']} in conflict."
        )
        assert stated in readme, stated
