"""`make demo` under the real engine: every environment passes the pack, the broken program is rejected."""

import pytest

from envstack_testkit import demo


def test_the_demo_shows_the_engines_preview_and_policy_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.main() == 0
    printed = capsys.readouterr().out
    for environment in ("dev", "staging", "prod"):
        assert f"=== examples/yaml, stack {environment}: pulumi preview --policy-pack ===" in printed
        assert f'bucket_name  : "envstack-data-{environment}"' in printed
    assert printed.count("✅ envstack@v") == 3
    assert printed.count("❌ envstack@v") == 1
    assert "error: preview failed" in printed
    assert "[mandatory] [severity: medium]  envstack-s3-force-destroy" in printed
    assert "from $PATH at" not in printed.split("===", 1)[1]
