"""`pulumi preview --policy-pack` under the real engine: the pack as the engine starts and configures it."""

import json
import re

import pytest

from envstack_testkit import engine
from envstack_testkit.broken_plugin import BROKEN

from .conftest import ENVIRONMENTS

LOOSE_BUCKET = (
    "urn:pulumi:dev::rule-breakers::envstackbroken:index:RuleBreakers$aws:s3/bucket:Bucket::loose-bucket"
)


def mandatory(run: engine.Run) -> list[str]:
    """The policy ids of the mandatory violations the engine printed."""
    return re.findall(r"\[mandatory\] \[severity: \w+\]\s+(\S+)", run.stdout)


def reported(run: engine.Run) -> set[str]:
    """Every policy id the engine printed a violation for."""
    return set(re.findall(r"\[(?:mandatory|advisory)\] \[severity: \w+\]\s+(\S+)", run.stdout))


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_environment_passes_with_no_pack_config(
    yaml_example: engine.Workspace, environment: str
) -> None:
    yaml_example.init_stack(environment)
    run = yaml_example.preview_with_pack()
    assert run.returncode == 0, run.output
    assert mandatory(run) == []
    assert re.search(r"✅ envstack@v\S+ \(local: ", run.stdout), run.stdout


def test_a_developer_stack_is_judged_by_the_suffix_the_component_used(yaml_example: engine.Workspace) -> None:
    # Stack dev-alice with dev's settings: the component names everything -dev, and so must the pack.
    yaml_example.init_stack("dev-alice", stack_file="dev")
    run = yaml_example.preview_with_pack()
    assert run.returncode == 0, run.output
    assert mandatory(run) == []
    assert 'bucket_name  : "envstack-data-dev"' in run.stdout


def test_a_wrong_suffix_is_still_caught_on_a_developer_stack(yaml_example: engine.Workspace) -> None:
    # The pack's own suffix config wins over the stack's: names ending -dev now break the rule.
    yaml_example.init_stack("dev-alice", stack_file="dev")
    config = yaml_example.root / "pack-config.json"
    config.write_text(json.dumps({"envstack-naming-suffix": {"suffix": "alice"}}))
    run = yaml_example.preview_with_pack("--policy-pack-config", str(config))
    assert run.returncode != 0
    assert set(mandatory(run)) == {"envstack-naming-suffix"}
    assert "does not end with the environment suffix '-alice'" in run.stdout


def test_hand_written_resources_that_break_the_rules_fail_the_preview(
    rule_breakers: engine.Workspace,
) -> None:
    run = rule_breakers.preview_with_pack()
    assert run.returncode != 0
    assert "error: preview failed" in run.output
    assert set(BROKEN) <= reported(run), run.stdout
    assert {"envstack-s3-force-destroy", "envstack-naming-suffix"} <= set(mandatory(run))


def test_a_local_exception_lets_one_resource_through_one_policy(rule_breakers: engine.Workspace) -> None:
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
    baseline = rule_breakers.preview_with_pack()
    excepted = rule_breakers.preview_with_pack("--policy-pack-config", str(config))
    assert "envstack-s3-force-destroy" in mandatory(baseline)
    assert "envstack-s3-force-destroy" not in mandatory(excepted)
    # Every other violation, of the same bucket included, still stands.
    others = [p for p in mandatory(baseline) if p != "envstack-s3-force-destroy"]
    assert sorted(mandatory(excepted)) == sorted(others)
    assert excepted.returncode != 0


def test_policy_analyze_judges_an_exported_state_file(yaml_example: engine.Workspace) -> None:
    yaml_example.init_stack("dev")
    yaml_example.up().check()
    state = yaml_example.root / "state.json"
    state.write_text(yaml_example.run("stack", "export").check().stdout)
    clean = yaml_example.run(
        "policy", "analyze", "--file", str(state), "--policy-pack", engine.policy_pack_argument()
    )
    assert clean.returncode == 0, clean.output
    assert mandatory(clean) == []
    # Unprotect nothing, break one thing: a table with deletion protection on fails the pack.
    document = json.loads(state.read_text())
    for resource in document["deployment"]["resources"]:
        if resource["type"] == "aws:dynamodb/table:Table":
            resource["inputs"]["deletionProtectionEnabled"] = True
            resource["outputs"]["deletionProtectionEnabled"] = True
    state.write_text(json.dumps(document))
    broken = yaml_example.run(
        "policy", "analyze", "--file", str(state), "--policy-pack", engine.policy_pack_argument()
    )
    assert "envstack-dynamodb-deletion-protection" in mandatory(broken), broken.output
    assert broken.returncode != 0
