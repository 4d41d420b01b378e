"""Record the real engine's event logs that ``envstack-policy report``'s fast tests read.

Runs the pinned CLI (``make engine``) on the rule breakers' program
(``envstack_testkit.broken_plugin``, stack ``dev``) with the pack's
executable and ``--event-log`` (``PULUMI_DEBUG_COMMANDS=true``):

- ``rule_breakers_preview.jsonl``: no pack config;
- ``rule_breakers_engine_exception.jsonl``: a pack config holding the
  engine's own policy-pack exception for the loose bucket's
  ``envstack-s3-force-destroy``.

The repository's and the temporary workspace's paths are replaced by
``<repo>`` and ``<workspace>``, so the files do not depend on where they were
recorded. Run by ``make event-logs``; the files are checked in under
``tests/policy_unit/event_logs/``, and ``tests/engine_real/test_policy_reports.py``
fails while the first one's findings differ from a fresh preview's.
"""

import json
import sys
from pathlib import Path

from envstack_testkit import engine

OUT = engine.ROOT / "tests" / "policy_unit" / "event_logs"
LOOSE_BUCKET = (
    "urn:pulumi:dev::rule-breakers::envstackbroken:index:RuleBreakers$aws:s3/bucket:Bucket::loose-bucket"
)
ENGINE_EXCEPTION = {
    "version": 2,
    "exceptions": {
        "loose-bucket-force-destroy": {
            "reason": "a test bucket that is emptied by hand",
            "match": [{"policies": ["envstack-s3-force-destroy"], "targets": [LOOSE_BUCKET]}],
        }
    },
}


def _keep(recorded: Path, out: Path, workspace: engine.Workspace) -> None:
    text = recorded.read_text(encoding="utf-8")
    out.write_text(
        text.replace(str(workspace.root), "<workspace>").replace(str(engine.ROOT), "<repo>"), encoding="utf-8"
    )


def record(out: Path) -> None:
    """Write both event logs into ``out``."""
    with engine.Workspace(engine.RULE_BREAKERS, extra_env=engine.EVENT_LOG_ENV) as workspace:
        workspace.init_stack("dev")
        plain = workspace.root / "preview.jsonl"
        workspace.preview_with_pack("--event-log", str(plain))
        _keep(plain, out / "rule_breakers_preview.jsonl", workspace)
        config = workspace.root / "pack-config.json"
        config.write_text(json.dumps(ENGINE_EXCEPTION), encoding="utf-8")
        excepted = workspace.root / "excepted.jsonl"
        workspace.preview_with_pack("--policy-pack-config", str(config), "--event-log", str(excepted))
        _keep(excepted, out / "rule_breakers_engine_exception.jsonl", workspace)


if __name__ == "__main__":
    record(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
