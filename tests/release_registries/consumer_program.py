"""A consumer's Pulumi program, run under Pulumi's mocks with the SDK installed from the index.

It uses nothing from this repository: only ``pulumi`` and the installed
``pulumi_envstack``, as a platform team's program would. The mocks stand in
for the engine (which would Construct the component in the provider plugin)
and print, as JSON, what the SDK registered and which outputs the program
saw, so the test can check the typed SDK end to end.
"""

import json
import sys
from typing import Any

import pulumi
import pulumi_envstack as envstack
from pulumi.runtime import MockCallArgs, MockResourceArgs, Mocks, set_mocks

registered: list[dict[str, Any]] = []


class ComponentMocks(Mocks):
    """Answers the component's registration with the outputs the provider would return."""

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        """Record the registration; give the component names derived from its inputs."""
        registered.append({"type": args.typ, "name": args.name, "inputs": dict(args.inputs)})
        suffix = args.inputs.get("environmentSuffix", "")
        outputs = {
            "bucketName": f"envstack-data-{suffix}",
            "tableName": f"envstack-events-{suffix}",
            "topicArn": f"arn:aws:sns:us-east-1:123456789012:envstack-alerts-{suffix}",
        }
        return f"{args.name}-id", {**args.inputs, **outputs}

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        """The program makes no provider function calls."""
        return {}, None


set_mocks(ComponentMocks(), project="consumer", stack="dev", preview=False)


def _report(values: list[Any]) -> None:
    outputs = dict(zip(("bucket_name", "table_name", "topic_arn"), values, strict=True))
    json.dump({"registered": registered, "outputs": outputs, "sdk": envstack.__name__}, sys.stdout)


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def program() -> pulumi.Output[None]:
    """The consumer's stack: one EnvironmentStack for a pull-request environment; waits for its outputs."""
    stack = envstack.EnvironmentStack(
        "team-data",
        environment="dev",
        environment_suffix="pr42",
        notification_email="platform@example.com",
    )
    return pulumi.Output.all(stack.bucket_name, stack.table_name, stack.topic_arn).apply(_report)


program()
