"""Call policy functions directly, with the argument objects pulumi-policy itself builds.

Properties are wrapped in pulumi-policy's own unknown-checking proxy, as its
server does for Analyze and AnalyzeStack, so unknown values behave exactly
as they do inside the running pack. The policies run in-process here, which
is what lets coverage measure every branch (the spawned pack is not measured).
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy.policy import _NotApplicableError
from pulumi_policy.proxy import unknown_checking_proxy

from envstack_policy import exemptions
from envstack_policy.readers import stack
from envstack_policy.readers.stack import StackInfo

NotApplicable = _NotApplicableError
"""What ``args.not_applicable(...)`` raises; the server turns it into a not-applicable reason."""


def _options(protect: bool = False) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)


def resource_args(
    type_token: str,
    props: Mapping[str, Any],
    *,
    name: str = "res",
    config: Mapping[str, Any] | None = None,
    protect: bool = False,
    provider_props: Mapping[str, Any] | None = None,
    proxy: bool = True,
    stack_name: str = "dev",
) -> ResourceValidationArgs:
    """The argument bag Analyze (proxy=True) or Remediate (proxy=False) hands a resource policy."""
    provider = (
        PolicyProviderResource(
            "pulumi:providers:aws", unknown_checking_proxy(dict(provider_props)), "urn:p", "default"
        )
        if provider_props is not None
        else None
    )
    properties = unknown_checking_proxy(dict(props)) if proxy else dict(props)
    return ResourceValidationArgs(
        type_token,
        properties,
        f"urn:pulumi:{stack_name}::p::{type_token}::{name}",
        name,
        _options(protect),
        provider,
        config,
    )


def run(
    validate: Callable[[Any, Any], Any],
    type_token: str,
    props: Mapping[str, Any],
    **kwargs: Any,
) -> list[str]:
    """The violation messages a resource policy reports."""
    messages: list[str] = []
    validate(resource_args(type_token, props, **kwargs), lambda message, urn=None: messages.append(message))
    return messages


@dataclass
class StackResource:
    """A resource for a stack policy: its outputs and which inputs came from which resources."""

    type: str
    name: str
    props: Mapping[str, Any]
    depends: Mapping[str, Sequence[str]] = field(default_factory=dict)


def run_stack(
    validate: Callable[[Any, Any], Any],
    resources: Sequence[StackResource],
    config: Mapping[str, Any] | None = None,
) -> list[tuple[str, str | None]]:
    """The (message, urn) pairs a stack policy reports."""
    built = {
        r.name: PolicyResource(
            r.type,
            unknown_checking_proxy(dict(r.props)),
            f"urn:{r.name}",
            r.name,
            _options(),
            None,
            None,
            [],
            {},
        )
        for r in resources
    }
    for r in resources:
        built[r.name].property_dependencies = {k: [built[d] for d in v] for k, v in r.depends.items()}
    found: list[tuple[str, str | None]] = []
    validate(StackValidationArgs(list(built.values()), config), lambda m, urn=None: found.append((m, urn)))
    return found


@pytest.fixture(autouse=True)
def configured_stack() -> Iterator[Callable[[StackInfo | None], None]]:
    """Record a ConfigureStack request as the server does; no test sees another's, nor its exemptions."""
    stack.configure(None)
    exemptions.forget()
    yield stack.configure
    stack.configure(None)
    exemptions.forget()
