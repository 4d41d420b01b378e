"""The exemption benchmarks' lists are what their rows say they are (no timing is judged here)."""

from bench.analyze_stack import stack_of
from bench.exemptions import EXEMPTIONS, central_list, this_stacks_list
from envstack_policy import exemptions, pack

POLICIES = [p.name for p in pack.POLICIES]


def test_the_central_list_is_valid_and_concerns_no_stack_of_the_example() -> None:
    session = exemptions.session_for({"exemptions": central_list()}, None, POLICIES)
    assert session.problems == ()
    assert len(session.exemptions) == EXEMPTIONS
    assert sum(e.urn is None for e in session.exemptions) == EXEMPTIONS // 10
    assert session.stale(frozenset({"urn:pulumi:dev::pulumi-infra"})) == []


def test_the_stacks_own_list_names_its_resources_and_is_all_stale_when_nothing_fires() -> None:
    resources = stack_of(2_000)
    session = exemptions.session_for(
        {"exemptions": this_stacks_list([r.urn for r in resources])}, None, POLICIES
    )
    assert session.problems == ()
    stacks = frozenset(exemptions.stack_prefix(r.urn) for r in resources)
    assert len(session.stale(stacks)) == EXEMPTIONS
