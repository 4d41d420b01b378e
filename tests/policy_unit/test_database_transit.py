"""RDS encryption in transit (Checkov CKV2_AWS_69): an instance and its parameter group, as a stack policy."""

from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_ARRAY_VALUE, UNKNOWN_STRING_VALUE

from envstack_policy.policies.database_transit import rule_of, validate_rds_tls_in_transit

from .conftest import StackResource, run_stack

INSTANCE = "aws:rds/instance:Instance"
GROUP = "aws:rds/parameterGroup:ParameterGroup"


def _instance(depends: dict[str, list[str]] | None = None, **props: Any) -> StackResource:
    return StackResource(
        INSTANCE, "db", {"engine": "postgres", "engineVersion": "17.2", **props}, depends or {}
    )


def _group(family: str, *parameters: tuple[Any, Any], name: str = "params") -> StackResource:
    return StackResource(
        GROUP,
        "group",
        {"name": name, "family": family, "parameters": [{"name": n, "value": v} for n, v in parameters]},
    )


@pytest.mark.parametrize(
    ("engine", "family", "parameter", "value", "fix"),
    [
        ("postgres", "postgres17", "rds.force_ssl", "0", "1"),
        ("sqlserver-ee", "sqlserver-ee-16.0", "rds.force_ssl", "0", "1"),
        ("mysql", "mysql8.0", "require_secure_transport", "OFF", "1"),
        ("mariadb", "mariadb10.11", "require_secure_transport", "0", "1"),
        ("db2-se", "db2-se-11.5", "db2comm", "TCPIP,SSL", "SSL"),
    ],
)
def test_a_group_that_leaves_plain_connections_open_is_reported_on_the_instance(
    engine: str, family: str, parameter: str, value: str, fix: str
) -> None:
    group = _group(family, (parameter, value))
    [(found, urn)] = run_stack(
        validate_rds_tls_in_transit, [_instance(engine=engine, parameterGroupName="params"), group]
    )
    assert urn == "urn:db"
    assert found == (
        f"db (aws:rds:Instance): uses parameter group group (family {family}), whose {parameter} is {value},"
        f" so clients may connect without TLS. Fix: set {parameter} to {fix} in an aws.rds.ParameterGroup of"
        " the instance's family and name it in parameterGroupName."
    )


@pytest.mark.parametrize(
    ("family", "parameter", "value"),
    [
        ("postgres17", "rds.force_ssl", "1"),
        ("postgres17", "RDS.FORCE_SSL", " 1 "),
        ("sqlserver-se-15.0", "rds.force_ssl", "1"),
        ("mysql8.0", "require_secure_transport", "ON"),
        ("mariadb10.11", "require_secure_transport", "1"),
        ("db2-ae-11.5", "db2comm", "ssl"),
        ("oracle-ee-19", "rds.force_ssl", "0"),
    ],
)
def test_a_group_that_forces_tls_or_an_engine_not_judged_passes(
    family: str, parameter: str, value: str
) -> None:
    group = _group(family, (parameter, value))
    assert run_stack(validate_rds_tls_in_transit, [_instance(parameterGroupName="params"), group]) == []


def test_a_group_that_leaves_the_parameter_unset_takes_the_familys_default() -> None:
    on = _group("postgres15", ("log_connections", "1"))
    assert run_stack(validate_rds_tls_in_transit, [_instance(parameterGroupName="params"), on]) == []
    off = _group("postgres14", ("log_connections", "1"))
    [(found, _)] = run_stack(validate_rds_tls_in_transit, [_instance(parameterGroupName="params"), off])
    assert "whose rds.force_ssl is unset (default for postgres14)" in found
    mysql = _group("mysql8.0")
    [(found, _)] = run_stack(validate_rds_tls_in_transit, [_instance(parameterGroupName="params"), mysql])
    assert "whose require_secure_transport is unset (default for mysql8.0)" in found
    mariadb = _group("mariadb11.8")
    assert run_stack(validate_rds_tls_in_transit, [_instance(parameterGroupName="params"), mariadb]) == []


def test_the_group_is_found_by_property_dependency_while_its_name_is_unknown() -> None:
    group = _group("mysql8.0", ("require_secure_transport", "0"))
    instance = _instance(
        {"parameterGroupName": ["group"]}, engine="mysql", parameterGroupName=UNKNOWN_STRING_VALUE
    )
    [(found, _)] = run_stack(validate_rds_tls_in_transit, [instance, group])
    assert "whose require_secure_transport is 0" in found


@pytest.mark.parametrize(
    ("props", "shown"),
    [
        ({"engine": "mysql", "engineVersion": "8.0.40"}, "unset (default for mysql 8.0.40)"),
        ({"engine": "postgres", "engineVersion": "14.15"}, "unset (default for postgres 14.15)"),
        ({"engine": "sqlserver-ex", "engineVersion": None}, "unset (default for sqlserver-ex)"),
        ({"engine": "mysql", "engineVersion": None}, "unset (default for mysql)"),
        ({"engine": "mariadb", "engineVersion": "11.4.5"}, "unset (default for mariadb 11.4.5)"),
        (
            {"engine": "mariadb", "engineVersion": "10.11.9", "parameterGroupName": "default.mariadb10.11"},
            "unset (default for mariadb 10.11.9)",
        ),
        (
            {"engine": "mysql", "engineVersion": "8.4.3", "parameterGroupName": UNKNOWN_STRING_VALUE},
            "unset (default for mysql 8.4.3)",
        ),
    ],
    ids=[
        "mysql",
        "postgres-14",
        "sqlserver-no-version",
        "mysql-default-version",
        "mariadb-11.4",
        "named-default-group",
        "unset-computed-at-preview",
    ],
)
def test_an_instance_on_the_default_group_is_judged_by_its_engines_defaults(
    props: dict[str, Any], shown: str
) -> None:
    [(found, _)] = run_stack(validate_rds_tls_in_transit, [_instance(**props)])
    named = props.get("parameterGroupName")
    where = (
        f"the default parameter group {named}"
        if named and named != UNKNOWN_STRING_VALUE
        else "the default parameter group"
    )
    assert f"uses {where}, whose " in found and f" is {shown}, so clients" in found


@pytest.mark.parametrize(
    "props",
    [
        {},
        {"engineVersion": None},
        {"engineVersion": "15.4"},
        {"engineVersion": UNKNOWN_STRING_VALUE},
        {"engine": "oracle-se2", "engineVersion": "19"},
        {"engine": UNKNOWN_STRING_VALUE},
        {"engine": "mysql", "parameterGroupName": "shared-params"},
        {"engine": "mysql", "engineVersion": "9.7.0"},
        {"engine": "mariadb", "engineVersion": "11.8.3"},
    ],
    ids=[
        "postgres-17",
        "postgres-newest",
        "postgres-15",
        "version-computed-at-preview",
        "oracle",
        "engine-unknown",
        "group-of-another-stack",
        "mysql-9.7",
        "mariadb-11.8",
    ],
)
def test_defaults_that_force_tls_and_what_cant_be_known_pass(props: dict[str, Any]) -> None:
    assert run_stack(validate_rds_tls_in_transit, [_instance(**props)]) == []


@pytest.mark.parametrize(
    "group",
    [
        StackResource(GROUP, "group", {"name": "params", "family": UNKNOWN_STRING_VALUE}),
        StackResource(GROUP, "group", {"name": "params", "family": "oracle-ee-19"}),
        StackResource(
            GROUP,
            "group",
            {"name": "params", "family": "mysql8.0", "parameters": UNKNOWN_ARRAY_VALUE},
            {"parameters": ["settings"]},
        ),
        StackResource(
            GROUP,
            "group",
            {
                "name": "params",
                "family": "mysql8.0",
                "parameters": [{"name": UNKNOWN_STRING_VALUE, "value": "0"}],
            },
        ),
        StackResource(
            GROUP,
            "group",
            {
                "name": "params",
                "family": "mysql8.0",
                "parameters": [{"name": "require_secure_transport", "value": UNKNOWN_STRING_VALUE}],
            },
        ),
    ],
    ids=["family-unknown", "oracle", "parameters-unknown", "parameter-name-unknown", "value-unknown"],
)
def test_a_group_whose_setting_is_not_known_yet_is_not_judged(group: StackResource) -> None:
    instance = _instance(engine="mysql", parameterGroupName="params")
    settings = StackResource("aws:ssm/parameter:Parameter", "settings", {"value": "x"})
    assert run_stack(validate_rds_tls_in_transit, [instance, group, settings]) == []


def test_a_postgres_version_from_another_resource_is_not_guessed() -> None:
    source = StackResource("aws:ssm/parameter:Parameter", "settings", {"value": "14.15"})
    instance = _instance({"engineVersion": ["settings"]}, engineVersion=UNKNOWN_STRING_VALUE)
    assert run_stack(validate_rds_tls_in_transit, [instance, source]) == []


def test_an_instance_whose_group_name_comes_from_outside_the_stacks_groups_is_skipped() -> None:
    source = StackResource("aws:ssm/parameter:Parameter", "settings", {"value": "params"})
    instance = _instance(
        {"parameterGroupName": ["settings"]}, engine="mysql", parameterGroupName=UNKNOWN_STRING_VALUE
    )
    other = StackResource(INSTANCE, "other", {"engine": "mysql"})
    [(found, urn)] = run_stack(validate_rds_tls_in_transit, [instance, other, source])
    assert urn == "urn:other" and found.startswith(
        "other (aws:rds:Instance): uses the default parameter group"
    )


def test_engine_families_map_to_their_rule() -> None:
    found = rule_of("postgres16")
    assert found is not None and found[0] == "postgres" and found[1].parameter == "rds.force_ssl"
    assert rule_of("custom-sqlserver-ee") is None
    assert rule_of("aurora-postgresql16") is None
