"""Reading properties: absent, present and not-yet-known values, JSON documents."""

from typing import Any

from pulumi_policy import PolicyCustomTimeouts, PolicyResource, PolicyResourceOptions
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE, unknown_checking_proxy

from envstack_policy.readers.values import (
    UNKNOWN,
    Unknown,
    as_list,
    from_another_resource,
    items,
    json_object,
    lookup,
    output,
    statements,
    truthy,
)


def test_lookup_walks_objects_and_lists() -> None:
    props = {"rules": [{"apply": {"alg": "aws:kms"}}]}
    assert lookup(props, "rules", 0, "apply", "alg") == "aws:kms"
    assert lookup(props, "rules", -1, "apply", "alg") == "aws:kms"


def test_lookup_answers_none_for_anything_absent() -> None:
    props = {"rules": [{"apply": "text"}], "name": "abc"}
    assert lookup(props, "missing") is None
    assert lookup(props, "rules", 3) is None
    assert lookup(props, "name", 0) is None  # no indexing into strings
    assert lookup(props, "rules", "key") is None  # no key into a list
    assert lookup(props, "rules", 0, "apply", "alg") is None


def test_lookup_turns_raw_sentinels_into_unknown() -> None:
    props = {"bucket": UNKNOWN_STRING_VALUE, "block": {"enabled": UNKNOWN_BOOLEAN_VALUE}}
    assert lookup(props, "bucket") is UNKNOWN
    assert lookup(props, "bucket", "deeper") is UNKNOWN
    assert lookup(props, "block", "enabled") is UNKNOWN
    assert lookup(UNKNOWN, "tags") is UNKNOWN


def test_lookup_turns_the_proxy_unknown_error_into_unknown() -> None:
    proxied = unknown_checking_proxy(
        {"sse": {"enabled": UNKNOWN_BOOLEAN_VALUE}, "name": UNKNOWN_STRING_VALUE}
    )
    assert lookup(proxied, "sse", "enabled") is UNKNOWN
    assert lookup(proxied, "name") is UNKNOWN


def test_unknown_is_a_single_recognisable_value() -> None:
    assert Unknown() is UNKNOWN
    assert repr(UNKNOWN) == "UNKNOWN"


def test_items_reads_lists_and_single_objects() -> None:
    assert items([{"a": 1}, {"a": 2}]) == [{"a": 1}, {"a": 2}]
    assert items({"a": 1}) == [{"a": 1}]
    assert items(None) == []
    assert items(UNKNOWN) == []
    assert items("text") == []
    assert items(5) == []


def test_as_list_reads_json_policy_fields() -> None:
    assert as_list(None) == []
    assert as_list("s3:*") == ["s3:*"]
    assert as_list(["a", "b"]) == ["a", "b"]
    assert as_list({"AWS": "*"}) == [{"AWS": "*"}]


def test_truthy_accepts_booleans_and_true_strings_only() -> None:
    assert truthy(True)
    assert truthy(" TRUE ")
    assert not truthy("false")
    assert not truthy(1)
    assert not truthy(None)


def test_json_object_reads_text_or_objects_and_rejects_the_rest() -> None:
    assert json_object('{"Statement": []}') == {"Statement": []}
    assert json_object({"Statement": []}) == {"Statement": []}
    assert json_object("not json") is None
    assert json_object("[1, 2]") is None
    assert json_object(None) is None
    assert json_object(UNKNOWN) is UNKNOWN


def test_statements_accepts_one_statement_or_a_list() -> None:
    one = {"Statement": {"Effect": "Allow"}}
    many = {"Statement": [{"Effect": "Allow"}, "junk", {"Effect": "Deny"}]}
    assert statements(one) == [{"Effect": "Allow"}]
    assert statements(many) == [{"Effect": "Allow"}, {"Effect": "Deny"}]
    assert statements({}) == []


def _stack_resource(props: dict[str, Any], dependencies: dict[str, list[Any]] | None = None) -> Any:
    resource = PolicyResource(
        "aws:sqs/queue:Queue",
        unknown_checking_proxy(props),
        "urn:q",
        "q",
        PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None),
        None,
        None,
        [],
        {},
    )
    resource.property_dependencies = dependencies or {}
    return resource


def test_an_unknown_the_provider_computes_counts_as_unset() -> None:
    # A preview of a create: the program left redrivePolicy unset, the provider returns it unknown.
    queue = _stack_resource({"name": "ingest-dev", "redrivePolicy": UNKNOWN_STRING_VALUE})
    assert from_another_resource(queue, "redrivePolicy") is False
    assert output(queue, "redrivePolicy") is None


def test_an_unknown_from_another_resource_is_not_guessed() -> None:
    dlq = _stack_resource({})
    queue = _stack_resource({"redrivePolicy": UNKNOWN_STRING_VALUE}, {"redrivePolicy": [dlq]})
    assert from_another_resource(queue, "redrivePolicy") is True
    assert output(queue, "redrivePolicy") is UNKNOWN


def test_known_outputs_are_read_as_they_are() -> None:
    queue = _stack_resource({"redrivePolicy": '{"deadLetterTargetArn": "arn"}'})
    assert output(queue, "redrivePolicy") == '{"deadLetterTargetArn": "arn"}'
    assert output(queue, "policy") is None
