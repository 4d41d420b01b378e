"""`make demo` under the real engine: every environment passes the pack, the broken program is rejected.

The demo runs once for the module (``demo``); it prints the engine's own
output of a preview with the pack of the Python example (through Python's
Automation API) and then of ``pulumi preview --policy-pack`` of the YAML
example, for each environment, less the
engine's notes that it found the plugins on PATH, so each environment's
section is also where the tests read what a user's pack preview shows:
the policy report, the unknown outputs, and that nothing else warns.
"""

import contextlib
import io
import re
from dataclasses import dataclass

import pytest

from envstack_testkit import demo

from .conftest import ENVIRONMENTS, stack_settings


@dataclass(frozen=True)
class Demo:
    """What ``demo.main()`` returned and printed."""

    exit_code: int
    printed: str

    def section(self, environment: str) -> str:
        """The engine's output for one environment's pack preview."""
        header = f"=== examples/yaml, stack {environment}: pulumi preview --policy-pack ==="
        return self.printed.split(header, 1)[1].split("\n=== ", 1)[0]

    def python_section(self, environment: str) -> str:
        """The engine's output for one environment's preview of the Python example."""
        header = f"=== examples/python, stack {environment}: preview with the pack, by Python's"
        return self.printed.split(header, 1)[1].split("\n=== ", 1)[0]


@pytest.fixture(scope="module")
def ran() -> Demo:
    """The demo, run once, with what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exit_code = demo.main()
    return Demo(exit_code, printed.getvalue())


def test_the_demo_passes_every_environment_and_rejects_the_broken_program(ran: Demo) -> None:
    assert ran.exit_code == 0, ran.printed
    assert ran.printed.count("✅ envstack@v") == 2 * len(ENVIRONMENTS)
    assert ran.printed.count("❌ envstack@v") == 1
    assert "error: preview failed" in ran.printed
    assert "[mandatory] [severity: medium]  envstack-s3-force-destroy" in ran.printed
    assert "from $PATH at" not in ran.printed.split("===", 1)[1]


def test_the_python_example_comes_first(ran: Demo) -> None:
    # Python is the component's preferred language: its previews open the demo.
    sections = re.findall(r"^=== examples/(\w+), stack (\w+)", ran.printed, re.MULTILINE)
    assert sections == [("python", e) for e in ENVIRONMENTS] + [("yaml", e) for e in ENVIRONMENTS]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_python_example_passes_the_pack_in_each_environment(ran: Demo, environment: str) -> None:
    section = ran.python_section(environment)
    assert re.search(r"✅ envstack@v\S+ \(local: ", section), section
    assert "[mandatory]" not in section
    suffix = stack_settings(environment)["pulumi-infra:environmentSuffix"]
    assert f'bucket_name  : "envstack-data-{suffix}"' in section
    assert "from $PATH at" not in section


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_each_environment_passes_the_pack_with_no_pack_config(ran: Demo, environment: str) -> None:
    section = ran.section(environment)
    assert re.search(r"✅ envstack@v\S+ \(local: ", section), section
    assert "[mandatory]" not in section


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_computed_outputs_are_unknown_in_a_preview_of_a_create(ran: Demo, environment: str) -> None:
    # The stand-in answers as the bridged pulumi-aws does: what the program left unset and the
    # provider computes comes back unknown, so the stack outputs built from ARNs are unknown too.
    suffix = stack_settings(environment)["pulumi-infra:environmentSuffix"]
    outputs = ran.section(environment).split("Outputs:", 1)[1]
    assert f'bucket_name  : "envstack-data-{suffix}"' in outputs
    assert "bucket_arn   : [unknown]" in outputs
    assert "queue_url    : [unknown]" in outputs


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_nothing_warns_but_the_engines_notes_of_plugins_found_on_path(ran: Demo, environment: str) -> None:
    # The demo drops exactly the engine's "using pulumi-resource-... from $PATH" notes; any other
    # warning, from the YAML host about the program or from the pack, would still be printed.
    section = re.sub(r"\x1b\[[0-9;]*m", "", ran.section(environment))
    assert [line for line in section.splitlines() if "warning:" in line.lower()] == []
