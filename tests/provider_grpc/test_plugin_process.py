"""The plugin as a process: it starts from provider/, prints only its port, and stops with the harness."""

import os
from pathlib import Path

import pytest

from envstack_provider import debug_lines
from envstack_provider.component import TYPE_TOKEN
from envstack_testkit.provider_harness import (
    ProviderProcess,
    ProviderStartError,
    construct,
    plugin_version,
    spawn_provider,
)


def test_plugin_prints_its_port_and_nothing_else_on_stdout(provider: ProviderProcess) -> None:
    assert 0 < provider.port < 65536
    assert plugin_version(provider)
    # The engine reads the port from stdout; anything more is noise in its logs.
    assert provider.stdout_lines == []


def test_plugin_process_is_stopped_when_the_harness_closes() -> None:
    with spawn_provider() as process:
        assert plugin_version(process)
        pid = process.process.pid
    assert process.process.poll() is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_plugin_that_crashes_at_start_reports_its_error(tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text("raise SystemExit('envstack failed to import')\n")
    with pytest.raises(ProviderStartError, match="envstack failed to import"), spawn_provider(tmp_path):
        pytest.fail("a plugin that never printed its port must not be yielded")


def test_configure_accepts_what_the_engine_requires_to_construct(provider: ProviderProcess) -> None:
    # The engine refuses to Construct through a provider that does not accept secrets.
    assert provider.configured.acceptSecrets is True
    assert provider.configured.acceptResources is True
    assert provider.configured.acceptOutputs is True


def test_envstack_debug_logs_makes_the_plugin_send_the_sdks_debug_lines_to_the_engine() -> None:
    with spawn_provider(extra_env={debug_lines.VARIABLE: "1"}) as process:
        outcome = construct(process, TYPE_TOKEN, "envstack", {"environment": "dev"}, stack="dev")
    severities = {log.severity for log in outcome.engine_logs}
    assert severities == {"DEBUG"}
    assert any(
        log.message.startswith("registering resource: ty=aws:s3/bucket:Bucket") for log in outcome.engine_logs
    )
