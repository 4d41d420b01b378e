"""`pulumi preview --policy-pack` under the real engine: the pack as the engine starts and configures it.

That every environment of examples/yaml passes the pack with no pack config
is read from the demo's previews (``test_demo.py``); this
module holds the stacks and programs that are judged differently: a developer
stack named unlike its environment, and a program that breaks the rules. Each
module fixture is one engine run that several tests read.
"""

import json
from collections.abc import Iterator

import pytest

from envstack_testkit import engine
from envstack_testkit.broken_plugin import BROKEN

from .conftest import RULE_BREAKERS, YAML_EXAMPLE, mandatory, reported

LOOSE_BUCKET = (
    "urn:pulumi:dev::rule-breakers::envstackbroken:index:RuleBreakers$aws:s3/bucket:Bucket::loose-bucket"
)


@pytest.fixture(scope="module")
def developer_stack() -> Iterator[engine.Workspace]:
    """Stack ``dev-alice`` of examples/yaml with dev's settings: the component names everything -dev."""
    with engine.Workspace(YAML_EXAMPLE) as workspace:
        workspace.init_stack("dev-alice", stack_file="dev")
        yield workspace


@pytest.fixture(scope="module")
def rule_breakers() -> Iterator[engine.Workspace]:
    """The program whose component registers rule-breaking resources, stack dev."""
    with engine.Workspace(RULE_BREAKERS) as workspace:
        workspace.init_stack("dev")
        yield workspace


@pytest.fixture(scope="module")
def rule_breakers_judged(rule_breakers: engine.Workspace) -> engine.Run:
    """The rule breakers' preview with the pack and no pack config."""
    return rule_breakers.preview_with_pack()


def test_a_developer_stack_is_judged_by_the_suffix_the_component_used(
    developer_stack: engine.Workspace,
) -> None:
    run = developer_stack.preview_with_pack()
    assert run.returncode == 0, run.output
    assert mandatory(run) == []
    assert 'bucket_name  : "envstack-data-dev"' in run.stdout


def test_a_wrong_suffix_is_still_caught_on_a_developer_stack(developer_stack: engine.Workspace) -> None:
    # The pack's own suffix config wins over the stack's: names ending -dev now break the rule.
    config = developer_stack.root / "pack-config.json"
    config.write_text(json.dumps({"envstack-naming-suffix": {"suffix": "alice"}}))
    run = developer_stack.preview_with_pack("--policy-pack-config", str(config))
    assert run.returncode != 0
    assert set(mandatory(run)) == {"envstack-naming-suffix"}
    assert "does not end with the environment suffix '-alice'" in run.stdout


def test_hand_written_resources_that_break_the_rules_fail_the_preview(
    rule_breakers_judged: engine.Run,
) -> None:
    run = rule_breakers_judged
    assert run.returncode != 0
    assert "error: preview failed" in run.output
    assert set(BROKEN) <= reported(run), run.stdout
    assert {"envstack-s3-force-destroy", "envstack-naming-suffix"} <= set(mandatory(run))


def test_a_local_exception_lets_one_resource_through_one_policy(
    rule_breakers: engine.Workspace, rule_breakers_judged: engine.Run
) -> None:
    config = rule_breakers.root / "pack-config.json"
    config.write_text(
        json.dumps(
            {
                "version": 2,
                "exceptions": {
                    "loose-bucket-force-destroy": {
                        "reason": "a test bucket that is emptied by hand",
                        "match": [{"policies": ["envstack-s3-force-destroy"], "targets": [LOOSE_BUCKET]}],
                    }
                },
            }
        )
    )
    baseline = rule_breakers_judged
    excepted = rule_breakers.preview_with_pack("--policy-pack-config", str(config))
    assert "envstack-s3-force-destroy" in mandatory(baseline)
    assert "envstack-s3-force-destroy" not in mandatory(excepted)
    # Every other violation, of the same bucket included, still stands.
    others = [p for p in mandatory(baseline) if p != "envstack-s3-force-destroy"]
    assert sorted(mandatory(excepted)) == sorted(others)
    assert excepted.returncode != 0
