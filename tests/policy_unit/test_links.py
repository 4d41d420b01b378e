"""Linking configuration resources to their targets: by dependency, by value, or not yet."""

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from envstack_policy.links import link

from .conftest import StackResource, run_stack


def links_of(resources: list[StackResource]) -> dict[str, list[str]]:
    """Run ``link`` inside a stack validation, the way the stack policies call it."""
    found: dict[str, list[str]] = {}

    def validate(args, report):  # type: ignore[no-untyped-def]
        targets = [r for r in args.resources if r.resource_type == "target"]
        configs = [r for r in args.resources if r.resource_type == "config"]
        links = link(targets, ("name", "arn"), configs, "ref")
        for target in targets:
            found[target.name] = [c.name for c in links.of(target)]
        found["<unresolved>"] = [c.name for c in links.unresolved]

    run_stack(validate, resources)
    return found


def test_links_by_equal_value_by_dependency_and_reports_the_unresolved() -> None:
    resources = [
        StackResource("target", "a", {"name": "a-dev", "arn": "arn:a"}),
        StackResource("target", "b", {"name": UNKNOWN_STRING_VALUE}),
        StackResource("config", "by-name", {"ref": "a-dev"}),
        StackResource("config", "by-arn", {"ref": "arn:a"}),
        StackResource("config", "by-dependency", {"ref": UNKNOWN_STRING_VALUE}, {"ref": ["b", "other"]}),
        StackResource("config", "nowhere", {"ref": UNKNOWN_STRING_VALUE}, {"ref": ["other"]}),
        StackResource("config", "elsewhere", {"ref": "c-dev"}),
        StackResource("other", "other", {}),
    ]
    assert links_of(resources) == {
        "a": ["by-name", "by-arn"],
        "b": ["by-dependency"],
        "<unresolved>": ["nowhere"],
    }
