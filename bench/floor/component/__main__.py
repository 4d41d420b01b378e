"""The floor of the real-engine preview: a bare Python component provider, as Pulumi's template makes one.

It is what a user writes from Pulumi's Python component template: a
``ComponentResource`` whose inputs are a ``TypedDict`` and whose outputs are
annotations, served by ``component_provider_host``. Its ``EnvironmentStack``
registers the same 21 pulumi-aws children as envstack's, with the same inputs
(``bench/raw_stack.py``, the hand-written dev environment), and does nothing
else: no validation, no defaults of its own, no schema completion, no error
mapping. ``make bench`` serves it to the engine as envstack's plugin is
served, an executable ``pulumi-resource-bare`` on PATH started by the
engine, and checks before timing that both previews register the same
resources with the same inputs.
"""

import sys
from pathlib import Path
from typing import NotRequired, TypedDict

import pulumi
from pulumi.provider.experimental import component_provider_host

# The resources live beside the other floors, in the bench package at the repository's root.
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from bench.raw_stack import create_raw_environment

NAME = "bare"
VERSION = "0.1.0"
"""Pinned by the floor's program, so the engine caches this schema as it caches envstack's."""


class EnvironmentStackArgs(TypedDict):
    """The inputs the YAML example sets, taken as they come."""

    environment: pulumi.Input[str]
    environment_suffix: pulumi.Input[str]
    lambda_memory_mb: NotRequired[pulumi.Input[int]]
    notification_email: NotRequired[pulumi.Input[str]]


class EnvironmentStack(pulumi.ComponentResource):
    """One dev environment's resources under one component."""

    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]
    table_name: pulumi.Output[str]
    table_arn: pulumi.Output[str]
    function_name: pulumi.Output[str]
    function_arn: pulumi.Output[str]
    queue_url: pulumi.Output[str]
    queue_arn: pulumi.Output[str]
    dlq_url: pulumi.Output[str]
    dlq_arn: pulumi.Output[str]
    topic_arn: pulumi.Output[str]
    role_arn: pulumi.Output[str]

    def __init__(
        self, name: str, args: EnvironmentStackArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(f"{NAME}:index:EnvironmentStack", name, None, opts)
        outputs = create_raw_environment(
            name,
            str(args["environment_suffix"]),
            parent=self,
            lambda_memory_mb=args.get("lambda_memory_mb", 512),
            notification_email=args.get("notification_email"),
        )
        for key, value in outputs.items():
            setattr(self, key, value)
        self.register_outputs(outputs)


if __name__ == "__main__":
    component_provider_host([EnvironmentStack], NAME, version=VERSION)
