"""The pack's verdicts against Checkov's, resource by resource, over every fixture and each attribute flipped.

Every case of ``corpus`` goes through the real pack (spawned as the engine
spawns it, over gRPC: Analyze for each resource, then AnalyzeStack), and all
cases go into one Terraform plan (``tools.terraform_plan``) that the pinned
Checkov scans once, with the checks the matrix in policy/README.md lists as
covered or in conflict. For a covered check, Checkov failing a resource must
mean the pack reporting the policy the matrix names, on that resource or on a
resource it refers to (a public access block's finding is the bucket's, as the
pack reports it); for a conflict row naming a policy, the verdicts must be each
other's opposite. A disagreement must be a decision in ``decisions.toml``, and
every decision must still be needed, so the file neither hides nor rots.
"""

import json
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from envstack_testkit.analyzer_harness import AnalyzerResource, Diagnostic, PolicyAnalyzer
from tools.terraform_plan import address, dumps, plan, references

from . import checkov
from .corpus import STACK, Case, cases
from .matrix import checkov_rows

DECISIONS = Path(__file__).with_name("decisions.toml")
CHECKOV_ONLY = "checkov-only"
"""Checkov fails the resource, the pack passes it (for a conflict row: both pass)."""
PACK_ONLY = "pack-only"
"""The pack reports the resource, Checkov passes it (for a conflict row: both fail)."""


@dataclass(frozen=True)
class Disagreement:
    """One resource on which the pack and Checkov disagree about one check."""

    case: Case
    resource: str
    terraform_type: str
    check: str
    direction: str

    def __str__(self) -> str:
        return (
            f"{self.check} {self.direction} on {self.resource} ({self.terraform_type}) in {self.case.title!r}"
        )


@dataclass(frozen=True)
class Decision:
    """A disagreement kept on purpose, and why."""

    check: str
    direction: str
    reason: str
    types: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()

    def covers(self, disagreement: Disagreement) -> bool:
        """Whether this decision explains the disagreement."""
        return (
            disagreement.check == self.check
            and disagreement.direction == self.direction
            and (not self.types or disagreement.terraform_type in self.types)
            and (not self.cases or any(text in disagreement.case.title for text in self.cases))
        )


def decisions() -> list[Decision]:
    """The checked-in decisions, each with a reason."""
    document = tomllib.loads(DECISIONS.read_text())
    found = []
    for entry in document.get("decision", []):
        decision = Decision(
            check=entry["check"],
            direction=entry["direction"],
            reason=entry["reason"],
            types=tuple(entry.get("types", ())),
            cases=tuple(entry.get("cases", ())),
        )
        if decision.direction not in (CHECKOV_ONLY, PACK_ONLY) or len(decision.reason) < 40:
            raise ValueError(f"decisions.toml: {entry} needs a direction and a reason")
        found.append(decision)
    return found


def _compared_checks() -> dict[str, tuple[tuple[str, ...], bool]]:
    """Check id -> (the policies that answer for it, whether their verdict is the opposite)."""
    return {
        row.rule: (row.policies, row.status == "conflict")
        for row in checkov_rows().values()
        if row.policies and row.status in ("covered", "conflict")
    }


_SUBJECT = re.compile(r"^(\S+) \([a-z0-9-]+:[A-Za-z0-9]+:[A-Za-z0-9]+\): ", re.MULTILINE)


def _key(resource: AnalyzerResource, config: Mapping[str, Any]) -> str:
    return json.dumps(
        [resource.urn, resource.protect, resource.properties, config], sort_keys=True, default=repr
    )


def _reported(
    case: Case, analyzer: PolicyAnalyzer, analyzed: dict[str, list[Diagnostic]]
) -> dict[str, set[str]]:
    """Resource name -> the policies that reported it, for one case.

    A variation changes one resource, so every other resource's Analyze answer is the one it got in
    an earlier case with the same properties and config (``analyzed`` keeps them); AnalyzeStack
    always sees the case's whole stack.
    """
    analyzer.configure(case.config)
    diagnostics: list[Diagnostic] = []
    for resource in case.fixture.resources:
        key = _key(resource, case.config)
        if key not in analyzed:
            analyzed[key] = analyzer.analyze(resource)
        diagnostics.extend(analyzed[key])
    diagnostics.extend(analyzer.analyze_stack(case.fixture.stack))
    found: dict[str, set[str]] = defaultdict(set)
    for diagnostic in diagnostics:
        # pulumi-policy puts the policy's description first; the pack's own line names the resource.
        subject = _SUBJECT.search(diagnostic.message)
        if subject is None:
            raise AssertionError(f"a diagnostic that names no resource: {diagnostic.message!r}")
        found[subject.group(1)].add(diagnostic.policy)
    return found


@dataclass(frozen=True)
class Verdicts:
    """Both sides' answers for every case."""

    pack: Mapping[str, Mapping[str, set[str]]]
    checkov: Mapping[tuple[str, str], bool]
    """(address, check) -> passed."""


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Verdicts]:
    """The pack's reports and Checkov's results for every case (Checkov runs once, on one plan)."""
    corpus = cases()
    document = plan({case.key: case.planned() for case in corpus})
    path = tmp_path_factory.mktemp("checkov") / "plan.json"
    path.write_text(dumps(document))
    scanning = checkov.start_scan(path, _compared_checks())  # Checkov runs while the pack judges
    analyzed: dict[str, list[Diagnostic]] = {}
    with PolicyAnalyzer(stack=STACK, project="pulumi-infra") as analyzer:
        pack = {case.key: _reported(case, analyzer, analyzed) for case in corpus}
    results = checkov.results(scanning)
    yield Verdicts(pack, {(r.address, r.check): r.passed for r in results})


def _referred(name: str, links: Mapping[str, Mapping[str, tuple[str, str]]]) -> set[str]:
    """A resource and what it refers to (a public access block -> its bucket)."""
    return {name} | {target for target, _ in links.get(name, {}).values()}


def _referring(name: str, links: Mapping[str, Mapping[str, tuple[str, str]]]) -> set[str]:
    """The resources that refer to this one (a bucket <- its ACL)."""
    return {source for source, properties in links.items() if any(t == name for t, _ in properties.values())}


def _disagreements(verdicts: Verdicts, corpus: Sequence[Case] | None = None) -> list[Disagreement]:
    """Per check and resource: Checkov fails it and the pack is silent, or the reverse.

    A finding may sit on a neighbour: the pack reports a public access block's missing flag on the
    bucket (which the block refers to), Checkov a separate ACL's public grant on the bucket (which
    the ACL refers to). So Checkov's failure is matched by the pack reporting the resource or a
    neighbour either way, and the pack's report by Checkov failing the resource, with the pack's
    findings on what the resource refers to counted as its own.

    One policy often answers for several checks that each read one flag (the four of a public
    access block), so the pack reporting a resource that one check passes is a disagreement only
    when no other check of the same policy fails that resource.
    """
    compared = _compared_checks()
    by_policy: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for check, (policies, _) in compared.items():
        by_policy[policies].append(check)
    found: list[Disagreement] = []
    for case in cases() if corpus is None else corpus:
        reported = verdicts.pack[case.key]
        planned = case.planned()
        links = references(planned)
        for resource in planned:
            if resource.name not in case.compared() or not resource.type.startswith("aws:"):
                continue
            here = address(case.key, resource)
            own = set().union(*(reported.get(n, set()) for n in _referred(resource.name, links)))
            near = own.union(*(reported.get(n, set()) for n in _referring(resource.name, links)))

            def fails(check: str, here: str = here) -> bool | None:
                passed = verdicts.checkov.get((here, check))
                return None if passed is None else passed is compared[check][1]

            for check, (policies, _) in compared.items():
                checkov_fails = fails(check)
                if checkov_fails is None:
                    continue
                siblings_fail = any(fails(other) for other in by_policy[policies] if other != check)
                if checkov_fails and not near & set(policies):
                    direction = CHECKOV_ONLY
                elif own & set(policies) and not checkov_fails and not siblings_fail:
                    direction = PACK_ONLY
                else:
                    continue
                found.append(Disagreement(case, resource.name, here.split(".")[0], check, direction))
    return found


def test_checkov_judged_every_case_and_failed_some(verdicts: Verdicts) -> None:
    judged = {key.split(".")[1].split("__")[0] for key, _ in verdicts.checkov}
    assert judged == {case.key for case in cases()}
    assert False in verdicts.checkov.values() and True in verdicts.checkov.values()


def test_every_disagreement_with_checkov_is_a_listed_decision(verdicts: Verdicts) -> None:
    listed = decisions()
    unexplained = [d for d in _disagreements(verdicts) if not any(x.covers(d) for x in listed)]
    assert unexplained == [], "fix the pack or add a decision to decisions.toml:\n" + "\n".join(
        map(str, unexplained)
    )


def test_every_decision_is_still_needed(verdicts: Verdicts) -> None:
    found = _disagreements(verdicts)
    stale = [d for d in decisions() if not any(d.covers(x) for x in found)]
    assert stale == [], "decisions no disagreement needs any more: remove them"


def test_every_compared_check_failed_somewhere_and_passed_somewhere(verdicts: Verdicts) -> None:
    outcomes: dict[str, set[bool]] = defaultdict(set)
    for (_, check), passed in verdicts.checkov.items():
        outcomes[check].add(passed)
    exempt = {
        entry["check"]: entry["reason"] for entry in tomllib.loads(DECISIONS.read_text())["never-fails"]
    }
    one_sided = sorted(check for check in _compared_checks() if outcomes[check] != {True, False})
    assert one_sided == sorted(exempt), "the corpus never makes these checks both pass and fail: add a case"
    assert all(outcomes[check] == {True} for check in exempt)
