"""A corpus the project did not write: Trivy's good and bad Terraform examples, through the pack and Checkov.

Each case is one example of a Trivy check that judges what a policy of the
pack judges (``tools.trivy_corpus.CHECKS``), kept verbatim with its provenance
under ``trivy/source`` and translated to pulumi-aws resources by
``tools/terraform_to_pulumi.py`` (``trivy/corpus.json``, ``make trivy-corpus``).
All cases go through one analyzer process (the real pack over gRPC, Analyze
for each resource then AnalyzeStack, with the check's config) and into one
Terraform plan that the pinned Checkov scans once. Three comparisons, each
of which fails on a disagreement that ``trivy/decisions.toml`` does not list and
on a listed one that no longer occurs:

- the pack against Trivy's verdict: a bad example must make one of the
  check's policies report, a good one must not;
- Checkov against Trivy's verdict, by the Checkov checks that judge the same
  thing;
- the pack against Checkov, resource by resource, as the differential test
  compares them (its decisions, which hold for any corpus, count here too).
"""

import json
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from envstack_testkit.analyzer_harness import AnalyzerResource, Diagnostic, PolicyAnalyzer, urn
from envstack_testkit.policy_fixtures import Fixture
from tools.terraform_plan import address, dumps, plan
from tools.trivy_corpus import CHECKS, CHECKS_LEFT_OUT, CORPUS, PROVENANCE, SOURCE, corpus

from . import checkov
from .corpus import PROJECT, STACK, Case
from .test_differential import (
    CHECKOV_ONLY,
    PACK_ONLY,
    Decision,
    Disagreement,
    Verdicts,
    _compared_checks,
    _disagreements,
    _reported,
    decisions,
)

DECISIONS = Path(__file__).with_name("trivy") / "decisions.toml"
PACK = "pack"
CHECKOV = "checkov"


@cache
def _document() -> Mapping[str, Any]:
    document: Mapping[str, Any] = json.loads(CORPUS.read_text())
    return document


@dataclass(frozen=True)
class TrivyCase:
    """One of Trivy's examples: the check it illustrates, Trivy's verdict, and the case both judge."""

    check: str
    verdict: str
    case: Case

    @property
    def bad(self) -> bool:
        """Whether Trivy's check fails the example."""
        return self.verdict == "bad"


@cache
def trivy_cases() -> tuple[TrivyCase, ...]:
    """Every translated example, as a case of the differential test."""
    found = []
    for entry in _document()["cases"]:
        resources = tuple(
            AnalyzerResource(
                type=r["type"],
                name=r["name"],
                urn=urn(STACK, PROJECT, r["type"], r["name"]),
                properties=r["properties"],
            )
            for r in entry["resources"]
        )
        title = f"trivy {entry['id']} {entry['check']} {entry['verdict']} example {entry['example']}"
        case = Case(entry["key"], title, Fixture(resources, resources), CHECKS[entry["check"]].config)
        found.append(TrivyCase(entry["check"], entry["verdict"], case))
    return tuple(found)


def _checkov_checks() -> set[str]:
    return set(_compared_checks()) | {c for check in CHECKS.values() for c in check.checkov}


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Verdicts]:
    """The pack's reports and Checkov's results for every case: one Checkov run, one analyzer process."""
    cases = trivy_cases()
    document = plan({c.case.key: c.case.planned() for c in cases})
    path = tmp_path_factory.mktemp("checkov-trivy") / "plan.json"
    path.write_text(dumps(document))
    scanning = checkov.start_scan(path, _checkov_checks())
    analyzed: dict[str, list[Diagnostic]] = {}
    with PolicyAnalyzer(stack=STACK, project=PROJECT) as analyzer:
        pack = {c.case.key: _reported(c.case, analyzer, analyzed) for c in cases}
    results = checkov.results(scanning)
    yield Verdicts(pack, {(r.address, r.check): r.passed for r in results})


def _pack_fails(case: TrivyCase, verdicts: Verdicts) -> bool:
    policies = set(CHECKS[case.check].policies)
    return any(policies & reported for reported in verdicts.pack[case.case.key].values())


def _checkov_fails(case: TrivyCase, verdicts: Verdicts) -> bool:
    return any(
        verdicts.checkov.get((address(case.case.key, resource), check)) is False
        for resource in case.case.fixture.stack
        for check in CHECKS[case.check].checkov
    )


def verdict_disagreements(verdicts: Verdicts) -> set[tuple[str, str]]:
    """(side, case key) for each case where the pack or Checkov does not give Trivy's verdict."""
    found = set()
    for case in trivy_cases():
        if _pack_fails(case, verdicts) is not case.bad:
            found.add((PACK, case.case.key))
        if _checkov_fails(case, verdicts) is not case.bad:
            found.add((CHECKOV, case.case.key))
    return found


def _listed() -> Mapping[str, Any]:
    return tomllib.loads(DECISIONS.read_text())


def listed_verdicts() -> dict[tuple[str, str], str]:
    """(side, case key) -> why that side keeps a verdict other than Trivy's."""
    found = {}
    for entry in _listed().get("verdict", []):
        if entry["side"] not in (PACK, CHECKOV) or len(entry["reason"]) < 40:
            raise ValueError(f"trivy/decisions.toml: {entry} needs a side and a reason")
        for key in entry["cases"]:
            found[(entry["side"], key)] = entry["reason"]
    return found


def listed_decisions() -> list[Decision]:
    """This corpus's own pack-against-Checkov decisions."""
    found = []
    for entry in _listed().get("decision", []):
        decision = Decision(
            entry["check"], entry["direction"], entry["reason"], tuple(entry.get("types", ())),
            tuple(entry.get("cases", ())),
        )  # fmt: skip
        if decision.direction not in (CHECKOV_ONLY, PACK_ONLY) or len(decision.reason) < 40:
            raise ValueError(f"trivy/decisions.toml: {entry} needs a direction and a reason")
        found.append(decision)
    return found


def _checkov_disagreements(verdicts: Verdicts) -> list[Disagreement]:
    return _disagreements(verdicts, [c.case for c in trivy_cases()])


def test_the_corpus_is_what_the_translator_makes_of_the_kept_sources() -> None:
    assert corpus() == _document(), "run `make trivy-corpus`"


def test_every_kept_source_has_its_provenance_and_every_check_a_place() -> None:
    provenance = json.loads(PROVENANCE.read_text())
    assert provenance["repository"] == "aquasecurity/trivy-checks" and len(provenance["commit"]) == 40
    assert set(provenance["files"]) == set(CHECKS)
    kept = {str(p.relative_to(SOURCE))[: -len(".yaml")] for p in SOURCE.rglob("*.yaml")}
    assert kept == set(CHECKS)
    assert not set(CHECKS) & set(CHECKS_LEFT_OUT)
    assert (SOURCE / "LICENSE").read_text().startswith("MIT License")


def test_nearly_every_example_is_translated_and_each_one_left_says_why() -> None:
    untranslated = _document()["untranslated"]
    assert all(entry["reason"] for entry in untranslated)
    assert len(trivy_cases()) >= 5 * len(untranslated)
    translated = {(c.check, c.verdict) for c in trivy_cases()}
    left = {entry["check"] for entry in untranslated}
    assert translated | {(c, v) for c in left for v in ("good", "bad")} == {
        (check, verdict) for check in CHECKS for verdict in ("good", "bad")
    }


def test_checkov_judged_every_case(verdicts: Verdicts) -> None:
    judged = {key.split(".")[1].split("__")[0] for key, _ in verdicts.checkov}
    assert judged == {c.case.key for c in trivy_cases()}


def test_every_verdict_other_than_trivys_is_listed(verdicts: Verdicts) -> None:
    unlisted = sorted(verdict_disagreements(verdicts) - set(listed_verdicts()))
    assert unlisted == [], "fix the pack or list the case in trivy/decisions.toml:\n" + "\n".join(
        f"{side} gives a verdict other than Trivy's on {key}" for side, key in unlisted
    )


def test_every_listed_verdict_still_differs(verdicts: Verdicts) -> None:
    stale = sorted(set(listed_verdicts()) - verdict_disagreements(verdicts))
    assert stale == [], f"listed in trivy/decisions.toml, but now Trivy's verdict: {stale}"


def test_every_disagreement_with_checkov_is_a_decision(verdicts: Verdicts) -> None:
    listed = decisions() + listed_decisions()
    unexplained = [d for d in _checkov_disagreements(verdicts) if not any(x.covers(d) for x in listed)]
    assert unexplained == [], "fix the pack or add a decision to trivy/decisions.toml:\n" + "\n".join(
        map(str, unexplained)
    )


def test_every_decision_of_this_corpus_is_still_needed(verdicts: Verdicts) -> None:
    found = _checkov_disagreements(verdicts)
    stale = [d for d in listed_decisions() if not any(d.covers(x) for x in found)]
    assert stale == [], "decisions no disagreement needs any more: remove them"


def test_policy_readme_states_this_corpus_counts(verdicts: Verdicts) -> None:
    found = counts(verdicts, trivy_cases())
    text = " ".join(checkov.README.read_text().split())
    translated, total = found["cases"], found["cases"] + found["untranslated"]
    assert f"{total} examples, {translated} translated" in text
    assert (
        f"The pack gives Trivy's verdict on {found['pack agrees with Trivy']} of the {translated} and"
        f" Checkov on {found['Checkov agrees with Trivy']}."
    ) in text
    disagreements = found["pack-Checkov disagreements"]
    assert f"the {_WORDS.get(disagreements, str(disagreements))} pack-against-Checkov disagreements" in text


_WORDS = dict(
    enumerate(("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"))
)


def counts(verdicts: Verdicts, cases: Sequence[TrivyCase]) -> dict[str, int]:
    """What the closing note reports: cases, agreements with Trivy's verdicts, disagreements."""
    differing = verdict_disagreements(verdicts)
    return {
        "cases": len(cases),
        "untranslated": len(_document()["untranslated"]),
        "pack agrees with Trivy": sum((PACK, c.case.key) not in differing for c in cases),
        "Checkov agrees with Trivy": sum((CHECKOV, c.case.key) not in differing for c in cases),
        "pack-Checkov disagreements": len(_checkov_disagreements(verdicts)),
    }
