"""The runtime table, generated from the pinned cfn-lint's lifecycle data; the component agrees with it."""

import datetime
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from envstack_policy.data import lambda_runtimes
from envstack_policy.policies import runtimes
from envstack_policy.policies.runtimes import validate_lambda_runtime
from envstack_provider.settings import DEFAULT_RUNTIME, SUPPORTED_RUNTIMES

from .conftest import run

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "policy" / "envstack_policy" / "data" / "lambda_runtimes.py"
FUNCTION = "aws:lambda/function:Function"
SIX_MONTHS = datetime.timedelta(days=183)


def _generator() -> ModuleType:
    """tools/policy_data.py, loaded from its path (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("policy_data", ROOT / "tools" / "policy_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_checked_in_table_is_what_the_pinned_cfn_lint_generates() -> None:
    generator = _generator()
    expected = generator.render(
        generator.load_lifecycle(), generator.source_label(), generator.lambda_api_runtimes()
    )
    assert GENERATED.read_text(encoding="utf-8") == expected, (
        "policy/envstack_policy/data/lambda_runtimes.py differs from the installed cfn-lint's data:"
        " run make policy-data"
    )


def test_the_table_names_its_source_and_knows_the_runtimes_the_pack_once_listed_by_hand() -> None:
    assert lambda_runtimes.SOURCE.startswith("cfn-lint ")
    assert runtimes.DEPRECATED_RUNTIMES["python3.9"] == datetime.date(2025, 12, 15)
    assert {"nodejs20.x", "python3.10", "java8.al2", "provided.al2", "dotnet8"} <= set(
        runtimes.DEPRECATED_RUNTIMES
    )


def _newest_supported_python(on: datetime.date) -> str:
    supported = [
        runtime
        for runtime, lifecycle in lambda_runtimes.RUNTIMES.items()
        if runtime.startswith("python3.") and lifecycle.deprecated > on
    ]
    return max(supported, key=lambda runtime: int(runtime.removeprefix("python3.")))


@pytest.mark.parametrize("runtime", SUPPORTED_RUNTIMES)
@pytest.mark.parametrize("offset", [datetime.timedelta(0), SIX_MONTHS], ids=["today", "in-six-months"])
def test_every_runtime_the_component_accepts_passes_the_pack(
    runtime: str, offset: datetime.timedelta, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The component and the pack each keep a list; a runtime the component offers must not be one the
    # pack rejects, today or within the next six months, or an upgrade of either breaks users' stacks.
    on = runtimes.today() + offset
    monkeypatch.setattr(runtimes, "today", lambda: on)
    assert runtime in lambda_runtimes.RUNTIMES, f"{runtime} is not in AWS's lifecycle data"
    assert run(validate_lambda_runtime, FUNCTION, {"runtime": runtime}) == []


def test_the_component_defaults_to_the_newest_supported_python() -> None:
    assert _newest_supported_python(runtimes.today()) == DEFAULT_RUNTIME
    assert DEFAULT_RUNTIME in SUPPORTED_RUNTIMES
