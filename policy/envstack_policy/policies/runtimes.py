"""Lambda runtimes: no function runs on a runtime AWS has deprecated.

The deprecation dates are generated from AWS's lifecycle data (``lambda_runtimes.py``, ``make policy-data``).
"""

import datetime
from collections.abc import Iterable, Mapping

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from .. import compliance
from ..data import lambda_runtimes
from ..readers import config, tokens
from ..readers.messages import message
from ..readers.values import lookup

DEPRECATED_RUNTIMES: Mapping[str, datetime.date] = {
    runtime: lifecycle.deprecated for runtime, lifecycle in lambda_runtimes.RUNTIMES.items()
}
"""AWS Lambda's runtime deprecation dates, supported runtimes' announced ones included.

Generated from AWS's lifecycle data (``lambda_runtimes.py``, ``make policy-data``); a runtime counts
as deprecated from its date on. Add a runtime at once with the ``extraDeprecatedRuntimes`` option.
"""


def today() -> datetime.date:
    """Today's date in UTC (a function, so tests can pin the calendar)."""
    return datetime.datetime.now(datetime.UTC).date()


def deprecated(runtime: str, extra: Iterable[str] = ()) -> bool:
    """Whether a runtime is on AWS's deprecated list today, or on the config's own list."""
    since = DEPRECATED_RUNTIMES.get(runtime)
    return runtime in extra or (since is not None and since <= today())


_NEWEST = " or ".join(
    f"'{runtime}'"
    for runtime, lifecycle in sorted(lambda_runtimes.RUNTIMES.items(), reverse=True)
    if lifecycle.successor is None and runtime.startswith(("python", "nodejs"))
)
"""The newest Python and Node.js runtimes (the ends of AWS's successor chains)."""


def successor(runtime: str) -> str:
    """What to move to: AWS's named successor of the runtime, or else the newest Python and Node.js."""
    lifecycle = lambda_runtimes.RUNTIMES.get(runtime)
    if lifecycle is not None and lifecycle.successor is not None:
        return f"'{lifecycle.successor}'"
    return f"a supported runtime such as {_NEWEST}"


def validate_lambda_runtime(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """The function uses a runtime AWS Lambda has, and not a deprecated one."""
    if args.resource_type != tokens.FUNCTION:
        return
    runtime = lookup(args.props, "runtime")
    extra = config.strings(args.get_config(), "extraDeprecatedRuntimes")
    if isinstance(runtime, str) and runtime and runtime not in lambda_runtimes.KNOWN and runtime not in extra:
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"uses runtime {runtime!r}, which is not a runtime AWS Lambda has ({lambda_runtimes.SOURCE}),"
                " so AWS would refuse the function and its support cannot be judged.",
                f"use {successor('')}; if AWS has added the runtime since, run make policy-data.",
            ),
            None,
        )
    elif isinstance(runtime, str) and deprecated(runtime, extra):
        report_violation(
            message(
                args.name,
                args.resource_type,
                f"uses runtime '{runtime}', which AWS Lambda has deprecated.",
                f"move to {successor(runtime)}.",
            ),
            None,
        )


lambda_runtime = ResourceValidationPolicy(
    name="envstack-lambda-runtime",
    **compliance.of("envstack-lambda-runtime"),
    description="Lambda functions do not use a runtime AWS has deprecated.",
    validate=validate_lambda_runtime,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    config_schema=PolicyConfigSchema(
        properties={
            "extraDeprecatedRuntimes": config.string_list_option(
                "Runtimes to treat as deprecated in addition to AWS's list."
            )
        }
    ),
    remediation_steps="Set runtime to a supported version and redeploy.",
)

POLICIES: list[Policy] = [lambda_runtime]
