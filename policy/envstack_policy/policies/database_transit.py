"""Encryption in transit: RDS instances accept only TLS connections (Checkov CKV2_AWS_69).

RDS makes an instance refuse unencrypted connections through one parameter
of its DB parameter group, which depends on the engine:

- PostgreSQL and SQL Server: ``rds.force_ssl`` = 1;
- MySQL and MariaDB: ``require_secure_transport`` = 1 (or ``ON``);
- Db2: ``db2comm`` = ``SSL``.

An instance names its group in ``parameterGroupName``; without one it gets
AWS's default group for its engine (``default.<family>``), whose values are
the engine's defaults, as the RDS user guide gives them: TLS is required by
default from PostgreSQL 15, MySQL 9.7 and MariaDB 11.8 on, and not before,
nor on SQL Server or Db2. A group of the stack that does not set the
parameter inherits the same default. An instance that leaves
``engineVersion`` unset gets AWS's default version: for PostgreSQL that has
long been 15 or later, so it counts as on; for MySQL and MariaDB, whose
default versions are below those lines, as off. Oracle turns TLS on through an
option group's SSL option, not a parameter, so Oracle (and RDS Custom) is not
judged here.

The instance and its group are separate resources, so this is a stack
policy: an instance is linked to the ``rds.ParameterGroup`` its
``parameterGroupName`` names, by property dependency or by equal name. A
group that the stack does not declare (and that is not a ``default.`` group)
is judged where it is declared. An unset ``parameterGroupName`` is computed,
so a preview of a create sends it unknown with no property dependency: that
is AWS's default group (``values.output``).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyResource,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from .. import compliance
from ..readers import tokens
from ..readers.links import link, of_types
from ..readers.messages import message
from ..readers.values import UNKNOWN, items, lookup, output


@dataclass(frozen=True)
class Rule:
    """How one engine family is made TLS-only: the parameter, the values that do it, the fix."""

    parameter: str
    accepted: frozenset[str]
    fix_value: str


_FORCE_SSL: Final = Rule("rds.force_ssl", frozenset({"1"}), "1")
RULES: Final[Mapping[str, Rule]] = {
    "postgres": _FORCE_SSL,
    "sqlserver": _FORCE_SSL,
    "mysql": Rule("require_secure_transport", frozenset({"1", "on"}), "1"),
    "mariadb": Rule("require_secure_transport", frozenset({"1", "on"}), "1"),
    "db2": Rule("db2comm", frozenset({"ssl"}), "SSL"),
}
"""Engine family prefix -> its rule (a family is ``postgres17``, ``mysql8.0``, ``sqlserver-ee-16.0``...)."""

TLS_BY_DEFAULT_FROM: Final[Mapping[str, tuple[int, int]]] = {
    "postgres": (15, 0),
    "mysql": (9, 7),
    "mariadb": (11, 8),
}
"""The first version of each engine whose default parameter group requires TLS."""

_VERSION = re.compile(r"(\d+)(?:\.(\d+))?")

FAMILY: Final = re.compile(
    r"^(?:aurora|aurora-mysql|aurora-postgresql|mariadb|mysql|postgres"
    r"|(?:custom-)?oracle-(?:ee|se2|se1|se)(?:-cdb)?-|custom-sqlserver-(?:ee|se|web|dev)-"
    r"|sqlserver-(?:ee|ex|se|web)-|db2-(?:ae|se)-)\d+(?:\.\d+)*$"
)
"""The shape of every parameter group family RDS has: an engine's name and its major version
(``postgres17``, ``mysql8.0``, ``aurora-postgresql16``, ``sqlserver-ee-16.0``, ``oracle-ee-cdb-21``,
``db2-se-11.5``); RDS refuses any other ``family``."""


def rule_of(family: str) -> tuple[str, Rule] | None:
    """The engine prefix and rule of a parameter group family or an engine name; ``None`` if not judged."""
    for prefix, rule in RULES.items():
        if family.startswith(prefix):
            return prefix, rule
    return None


def _default_is_tls(prefix: str, version: Any) -> bool | None:
    """Whether the engine's default requires TLS; ``None`` if the version is not known yet.

    ``version`` is the family's version (``17``, ``8.0``) or the instance's ``engineVersion``; unset, AWS
    picks its default version, which requires TLS by default for PostgreSQL only.
    """
    first = TLS_BY_DEFAULT_FROM.get(prefix)
    if first is None:
        return False
    if version is UNKNOWN:
        return None
    found = _VERSION.search(str(version)) if version else None
    if found is None:
        return prefix == "postgres"
    return (int(found.group(1)), int(found.group(2) or 0)) >= first


@dataclass(frozen=True)
class _Finding:
    """Why an instance accepts plain connections: its engine's rule and the value that allows it."""

    rule: Rule
    where: str
    value: str


def _parameter(group: PolicyResource, name: str) -> Any:
    """The value a group's ``parameters`` set for ``name``; ``None`` if unset, ``UNKNOWN`` if not known."""
    parameters = output(group, "parameters")
    if parameters is UNKNOWN:
        return UNKNOWN
    for parameter in items(parameters):
        key = lookup(parameter, "name")
        if key is UNKNOWN:
            return UNKNOWN
        if isinstance(key, str) and key.lower() == name:
            return lookup(parameter, "value")
    return None


def _judge_group(group: PolicyResource) -> _Finding | None:
    """A finding for an instance that uses ``group`` of the stack; ``None`` if TLS-only or not known."""
    family = lookup(group.props, "family")
    if not isinstance(family, str):
        return None
    found = rule_of(family)
    if found is None:
        return None
    prefix, rule = found
    value = _parameter(group, rule.parameter)
    if value is UNKNOWN:
        return None
    if value is None:
        tls = bool(_default_is_tls(prefix, family.removeprefix(prefix)))
        shown = f"unset (default for {family})"
    else:
        tls = str(value).strip().lower() in rule.accepted
        shown = str(value)
    return None if tls else _Finding(rule, f"parameter group {group.name} (family {family})", shown)


def _judge_default(instance: PolicyResource, group_name: Any) -> _Finding | None:
    """A finding for an instance on AWS's default group; ``None`` if TLS-only, not judged or not known."""
    engine = output(instance, "engine")
    if not isinstance(engine, str):
        return None
    found = rule_of(engine)
    if found is None:
        return None
    prefix, rule = found
    version = output(instance, "engineVersion")
    if _default_is_tls(prefix, version) is not False:
        return None
    where = f"the default parameter group {group_name}" if group_name else "the default parameter group"
    shown = f"{engine} {version}" if version else engine
    return _Finding(rule, where, f"unset (default for {shown})")


def _finding(instance: PolicyResource, groups: list[PolicyResource]) -> _Finding | None:
    """What lets the instance take plain connections, if anything can be known."""
    if groups:
        for group in groups:
            finding = _judge_group(group)
            if finding is not None:
                return finding
        return None
    group_name = output(instance, "parameterGroupName")
    if group_name is UNKNOWN or (group_name and not str(group_name).startswith("default.")):
        return None
    return _judge_default(instance, group_name)


def validate_rds_tls_in_transit(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Each RDS instance's parameter group makes it refuse connections without TLS."""
    instances = of_types(args.resources, (tokens.RDS_INSTANCE,))
    groups = of_types(args.resources, (tokens.RDS_PARAMETER_GROUP,))
    groups_of = link(groups, ("name", "id"), instances, "parameterGroupName").targets_of(groups)
    for group in groups:
        family = lookup(group.props, "family")
        if isinstance(family, str) and not FAMILY.match(family):
            report_violation(
                message(
                    group.name,
                    group.resource_type,
                    f"family {family!r} is not a parameter group family RDS has, so its TLS setting cannot"
                    " be judged and AWS would refuse the group.",
                    "set family to the engine and major version of the instances that use it, e.g."
                    " 'postgres17' or 'mysql8.0' (aws rds describe-db-engine-versions lists them).",
                ),
                group.urn,
            )
    for instance in instances:
        finding = _finding(instance, groups_of.get(instance.urn, []))
        if finding is None:
            continue
        rule = finding.rule
        report_violation(
            message(
                instance.name,
                instance.resource_type,
                f"uses {finding.where}, whose {rule.parameter} is {finding.value}, so clients may connect"
                " without TLS.",
                f"set {rule.parameter} to {rule.fix_value} in an aws.rds.ParameterGroup of the instance's"
                " family and name it in parameterGroupName.",
            ),
            instance.urn,
        )


rds_tls_in_transit = StackValidationPolicy(
    name="envstack-rds-tls-in-transit",
    **compliance.of("envstack-rds-tls-in-transit"),
    description="RDS instances refuse connections without TLS (their parameter group forces it).",
    validate=validate_rds_tls_in_transit,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "Give the instance an aws.rds.ParameterGroup of its family that sets rds.force_ssl=1 (PostgreSQL,"
        " SQL Server; on by default from PostgreSQL 15), require_secure_transport=1 (MySQL, MariaDB) or"
        " db2comm=SSL (Db2), and name it in parameterGroupName; clients then connect with sslmode=require"
        " or the engine's equivalent."
    ),
)

POLICIES: list[Policy] = [rds_tls_in_transit]
