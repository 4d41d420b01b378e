"""Preview against an engine that leaves cloud-assigned values unknown, versus an update.

In ``pulumi preview`` of a new stack, ARNs and URLs do not exist yet. The
component must still register its whole tree (no resource may hide inside an
``apply``), and the names users chose must already show.
"""

from envstack_provider.component import TYPE_TOKEN
from envstack_testkit.children import CHILDREN
from envstack_testkit.provider_harness import ConstructOutcome, ProviderProcess, construct
from envstack_testkit.wire_values import UNKNOWN

NAME_OUTPUTS = {"bucketName", "tableName", "functionName"}


def _tree(outcome: ConstructOutcome) -> list[tuple[str, str, str]]:
    return sorted((r.type, r.name, r.parent) for r in outcome.registrations)


def test_preview_registers_the_same_tree_as_an_update(provider: ProviderProcess) -> None:
    preview = construct(provider, TYPE_TOKEN, "envstack", {"environment": "prod"}, unknowns_in_preview=True)
    update = construct(provider, TYPE_TOKEN, "envstack", {"environment": "prod"}, dry_run=False)
    assert len(preview.registrations) == 1 + CHILDREN  # the component itself, then its children
    assert _tree(preview) == _tree(update)


def test_preview_knows_the_names_and_not_yet_the_arns_or_urls(provider: ProviderProcess) -> None:
    preview = construct(provider, TYPE_TOKEN, "envstack", {"environment": "dev"}, unknowns_in_preview=True)
    assert {key: preview.state[key] for key in NAME_OUTPUTS} == {
        "bucketName": "envstack-data-dev",
        "tableName": "envstack-metadata-dev",
        "functionName": "envstack-processor-dev",
    }
    assert {key for key, value in preview.state.items() if value is UNKNOWN} == set(
        preview.state
    ) - NAME_OUTPUTS
    assert len(preview.state) == 12


def test_update_resolves_every_output(provider: ProviderProcess) -> None:
    update = construct(provider, TYPE_TOKEN, "envstack", {"environment": "staging"}, dry_run=False)
    assert len(update.state) == 12
    assert [key for key, value in update.state.items() if value is UNKNOWN or not value] == []
