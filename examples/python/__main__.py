"""Deploy one environment's envstack stack from Python.

Everything that differs between dev, staging and prod lives in the stack's
``Pulumi.<stack>.yaml`` under the project namespace ``pulumi-infra``; this
program only reads it and hands it to the component. The outputs are exported
explicitly so that scripts and other stacks can read them with
``pulumi stack output``. The notification email is read as a secret
(``get_secret``), so it stays encrypted in the state whether the stack file
holds it in plaintext or ``pulumi config set --secret`` stored it.
"""

import pulumi
import pulumi_envstack as envstack

config = pulumi.Config("pulumi-infra")

stack = envstack.EnvironmentStack(
    "envstack",
    environment=config.require("environment"),
    environment_suffix=config.get("environmentSuffix"),
    lambda_memory_mb=config.get_int("lambdaMemoryMb"),
    notification_email=config.get_secret("notificationEmail"),
)

pulumi.export("bucket_name", stack.bucket_name)
pulumi.export("bucket_arn", stack.bucket_arn)
pulumi.export("table_name", stack.table_name)
pulumi.export("table_arn", stack.table_arn)
pulumi.export("function_name", stack.function_name)
pulumi.export("function_arn", stack.function_arn)
pulumi.export("queue_url", stack.queue_url)
pulumi.export("queue_arn", stack.queue_arn)
pulumi.export("dlq_url", stack.dlq_url)
pulumi.export("dlq_arn", stack.dlq_arn)
pulumi.export("topic_arn", stack.topic_arn)
pulumi.export("role_arn", stack.role_arn)
