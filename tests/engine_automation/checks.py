"""The checks every language's example must pass under the real engine, written once.

Each ``test_<language>.py`` binds ``LANGUAGE`` in a subclass of
``ExampleUnderEngine``; pytest collects the tests there, one module per
language, so xdist spreads the languages over its workers. Every check
reads the language's one run (``runs.language_run``): for each of dev,
staging and prod, a preview with the pack, ``up``, the stack's outputs as
the language reads them, a preview that must change nothing, the state, and
``destroy``; then a bad input and a secret.
"""

import json
import re
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from pulumi.provider.experimental.util import camel_case

from envstack_provider.component import OUTPUT_NAMES as COMPONENT_OUTPUTS
from envstack_provider.component import TYPE_TOKEN
from envstack_testkit import automation, children
from envstack_testkit.stack_files import ENVIRONMENTS, PROJECT, environment_args, stack_config

from .conftest import RunOf
from .runs import BAD_STACK, EMAIL_KEY, SECRET_EMAIL, SECRET_STACK, LanguageRun

SCHEMA_OUTPUTS = {camel_case(name) for name in COMPONENT_OUTPUTS}
"""The component's outputs as the schema names them."""

EXPORTS = {name: camel_case(name) for name in COMPONENT_OUTPUTS}
"""Each stack export of the examples (the component's output in snake_case) and the output it carries."""

STRING_TYPES = {"python": "str", "typescript": "string", "go": "string", "java": "java.lang.String"}
"""What the schema's ``string`` is when each language's Automation API reads an output."""

SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d"
"""The key that marks a secret in Pulumi's state (``sig.Secret``)."""

BAD_SUFFIX_MESSAGE = (
    "EnvironmentStack input 'environmentSuffix' has invalid value 'Dev_1': must be 1 to 20 lowercase"
    " letters, digits and hyphens"
)

SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"

CHILDREN_WITH_EMAIL = children.CHILDREN_WITH_EMAIL
"""The component's children when it has an email subscription (``tests/engine_real``)."""


def resources(state: dict[str, Any] | Any) -> list[dict[str, Any]]:
    """The resources of an exported deployment."""
    found: list[dict[str, Any]] = list((state.get("deployment") or {}).get("resources") or [])
    return found


def component(state: Any) -> dict[str, Any]:
    """The one EnvironmentStack in a state."""
    [found] = [r for r in resources(state) if r["type"] == TYPE_TOKEN]
    return found


def is_secret(value: Any) -> bool:
    """A value the state marks as a secret."""
    return isinstance(value, dict) and value.get(SECRET_SIGNATURE) == "1b47061264138c4ac30d75fd1eb44270"


def plaintext(value: Any) -> Any:
    """A secret's value as ``stack export --show-secrets`` shows it (JSON inside the marker)."""
    return json.loads(value["plaintext"])


def bare_copies(value: Any, needle: str) -> Iterator[str]:
    """Paths in a state document where ``needle`` appears outside any secret."""

    def walk(item: Any, path: str) -> Iterator[str]:
        if is_secret(item):
            return
        if isinstance(item, dict):
            for key, child in item.items():
                yield from walk(child, f"{path}.{key}")
        elif isinstance(item, list):
            for index, child in enumerate(item):
                yield from walk(child, f"{path}[{index}]")
        elif isinstance(item, str) and needle in item:
            yield path

    return walk(value, "")


def expected_creates(environment: str) -> int:
    """The stack, the component and its children; a stack without an email has no subscription."""
    email = environment_args(environment).get("notification_email")
    return 2 + CHILDREN_WITH_EMAIL - (0 if email else 1)


class ExampleUnderEngine:
    """The example of ``LANGUAGE``, run by that language's Automation API under the pinned engine."""

    LANGUAGE: ClassVar[str]

    @pytest.fixture(scope="class")
    @classmethod
    def run(cls, run_of: RunOf) -> LanguageRun:
        """This language's one run."""
        return run_of(cls.LANGUAGE)

    @pytest.fixture(params=ENVIRONMENTS)
    def lifecycle(self, request: pytest.FixtureRequest, run: LanguageRun) -> automation.StackReport:
        """One environment's steps, from the preview with the pack to the state after destroy."""
        return run.report.stacks[str(request.param)]

    # -- each environment ---------------------------------------------------------------

    def test_preview_with_the_pack_plans_the_stack_and_passes_every_mandatory_policy(
        self, lifecycle: automation.StackReport
    ) -> None:
        preview = lifecycle.step(automation.PREVIEW_WITH_PACK)
        assert preview.ok, preview.error
        assert preview.changes == {"create": expected_creates(lifecycle.stack)}
        assert [p for p in preview.policy if p["enforcementLevel"] == "mandatory"] == []
        # The pack ran and reported: the engine prints its verdict per pack.
        assert re.search(r"✅ envstack@v\S+ \(local: ", preview.stdout), preview.stdout

    def test_up_creates_what_the_preview_planned(self, lifecycle: automation.StackReport) -> None:
        up = lifecycle.step(automation.UP)
        assert up.ok, up.error
        assert up.changes == {"create": expected_creates(lifecycle.stack)}

    def test_outputs_are_read_in_the_language_under_the_schemas_names_and_types(
        self, lifecycle: automation.StackReport
    ) -> None:
        outputs = lifecycle.step(automation.OUTPUTS)
        assert outputs.ok, outputs.error
        assert set(outputs.outputs) == set(EXPORTS)
        assert {o["type"] for o in outputs.outputs.values()} == {STRING_TYPES[self.LANGUAGE]}
        assert not [name for name, o in outputs.outputs.items() if o["secret"]]
        # Each export carries its own output of the component, as the state holds it.
        state = component(lifecycle.step(automation.EXPORT).state)
        assert set(state["outputs"]) == SCHEMA_OUTPUTS
        assert {name: o["value"] for name, o in outputs.outputs.items()} == {
            name: state["outputs"][output] for name, output in EXPORTS.items()
        }
        suffix = stack_config(lifecycle.stack)[f"{PROJECT}:environmentSuffix"]
        assert outputs.outputs["bucket_name"]["value"] == f"envstack-data-{suffix}"

    def test_the_stack_files_email_is_a_secret_in_the_state(self, lifecycle: automation.StackReport) -> None:
        # The example reads the email with its language's secret getter, so even a plaintext
        # value in the stack file is encrypted in the state; dev sets none and has no subscription.
        state = lifecycle.step(automation.EXPORT).state
        email = stack_config(lifecycle.stack).get(EMAIL_KEY)
        subscriptions = [r for r in resources(state) if r["type"] == SUBSCRIPTION]
        assert [plaintext(s["inputs"]["endpoint"]) for s in subscriptions] == ([email] if email else [])
        assert all(is_secret(s["inputs"]["endpoint"]) for s in subscriptions)
        assert all(is_secret(s["outputs"]["endpoint"]) for s in subscriptions)
        if email:
            assert list(bare_copies(state, email)) == []

    def test_a_second_preview_changes_nothing(self, lifecycle: automation.StackReport) -> None:
        unchanged = lifecycle.step(automation.PREVIEW_NO_CHANGES)
        assert unchanged.ok, unchanged.error
        assert set(unchanged.changes) == {"same"}
        assert unchanged.changes["same"] == expected_creates(lifecycle.stack)

    def test_destroy_leaves_no_resource_in_the_state(self, lifecycle: automation.StackReport) -> None:
        destroy = lifecycle.step(automation.DESTROY)
        assert destroy.ok, destroy.error
        assert destroy.changes == {"delete": expected_creates(lifecycle.stack)}
        assert resources(lifecycle.step(automation.EXPORT).state), "up created nothing to destroy"
        assert resources(lifecycle.step(automation.EXPORT, 1).state) == []

    # -- a bad input ------------------------------------------------------------------------

    def test_a_bad_input_fails_the_preview_with_the_components_message_and_creates_nothing(
        self, run: LanguageRun
    ) -> None:
        bad = run.report.stacks[BAD_STACK]
        preview = bad.step(automation.PREVIEW)
        assert not preview.ok
        assert BAD_SUFFIX_MESSAGE in " ".join(preview.error.split()), preview.error
        up = bad.step(automation.UP)
        assert not up.ok
        assert BAD_SUFFIX_MESSAGE in " ".join(up.error.split()), up.error
        types = {r["type"] for r in resources(bad.step(automation.EXPORT).state)}
        assert not [t for t in types if t.startswith(("aws:", "envstack:"))], types

    # -- a secret ----------------------------------------------------------------------------

    def test_a_secret_email_is_a_secret_in_the_state(self, run: LanguageRun) -> None:
        secret = run.report.stacks[SECRET_STACK]
        assert secret.step(automation.UP).ok, secret.step(automation.UP).error
        state = secret.step(automation.EXPORT).state
        [subscription] = [r for r in resources(state) if r["type"] == SUBSCRIPTION]
        for side in ("inputs", "outputs"):
            endpoint = subscription[side]["endpoint"]
            assert is_secret(endpoint), f"{side}.endpoint is not a secret: {endpoint}"
            assert plaintext(endpoint) == SECRET_EMAIL
        assert list(bare_copies(state, SECRET_EMAIL)) == []
        assert secret.step(automation.DESTROY).ok

    def test_a_secret_email_reaches_no_output_in_plaintext(self, run: LanguageRun) -> None:
        outputs = run.report.stacks[SECRET_STACK].step(automation.OUTPUTS)
        assert outputs.ok, outputs.error
        assert set(outputs.outputs) == set(EXPORTS)
        carrying = [name for name, o in outputs.outputs.items() if SECRET_EMAIL in json.dumps(o["value"])]
        assert all(outputs.outputs[name]["secret"] for name in carrying)

    def test_no_file_on_disk_holds_the_secret_in_plaintext(self, run: LanguageRun) -> None:
        files = run.on_disk.state_files
        # The checkpoints written by `up` are kept (history, backups): the subscription is on disk.
        assert [p for p, text in files.items() if "topicSubscription:TopicSubscription" in text], sorted(
            files
        )
        assert [p for p, text in files.items() if SECRET_EMAIL in text] == []
        assert SECRET_EMAIL not in run.on_disk.stack_file
        assert re.search(r"notificationEmail:\s*\n\s*secure: v1:", run.on_disk.stack_file), (
            run.on_disk.stack_file
        )
