"""The plugin's switch for the SDK's debug lines, in process; what the engine shows is pinned in
tests/engine_real/test_plugins.py."""

import pulumi.log
import pytest

from envstack_provider import debug_lines


@pytest.mark.parametrize("value", ["", "0", "false", "FALSE", " 0 "])
def test_these_values_leave_the_debug_lines_off(value: str) -> None:
    assert not debug_lines.asked_for({debug_lines.VARIABLE: value})


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_any_other_value_asks_for_the_debug_lines(value: str) -> None:
    assert debug_lines.asked_for({debug_lines.VARIABLE: value})


def test_without_the_variable_the_plugin_drops_the_sdks_debug_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = []
    monkeypatch.setattr(pulumi.log, "debug", lambda message, *_: sent.append(message))
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *_: sent.append(message))
    assert debug_lines.keep_debug_lines_local({})
    pulumi.log.debug("registering resource: ty=aws:s3/bucket:Bucket")
    pulumi.log.warn("a warning still reaches the engine")
    assert sent == ["a warning still reaches the engine"]


def test_with_the_variable_the_sdk_is_left_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = []
    monkeypatch.setattr(pulumi.log, "debug", lambda message, *_: sent.append(message))
    assert not debug_lines.keep_debug_lines_local({debug_lines.VARIABLE: "1"})
    pulumi.log.debug("registering resource: ty=aws:s3/bucket:Bucket")
    assert sent == ["registering resource: ty=aws:s3/bucket:Bucket"]
