"""Linking configuration resources to their targets: by dependency, by value, or not yet."""

from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from envstack_policy.readers.links import TypedStack, link, of_types

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


def test_a_typed_stack_finds_what_a_scan_finds_in_stack_order_and_copies_share_its_index() -> None:
    def resource(type_token: str, name: str) -> PolicyResource:
        return PolicyResource(type_token, {}, f"urn:{name}", name, None, None, None, [], {})  # type: ignore[arg-type]

    resources = [resource(t, f"r{i}") for i, t in enumerate(["a", "b", "a", "c", "b", "a"])]
    indexed = TypedStack(resources)
    for tokens in (("a",), ("b", "a"), ("a", "b", "c"), ("c",), ("missing",), ()):
        assert of_types(indexed, tokens) == of_types(list(resources), tokens), tokens
    assert [r.name for r in of_types(indexed, ("b", "a"))] == ["r0", "r1", "r2", "r4", "r5"]
    copy = indexed.copy()
    assert copy == indexed and copy is not indexed and copy.by_type is indexed.by_type
