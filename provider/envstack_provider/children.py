"""Every child resource of one ``EnvironmentStack``, wired together.

This is the only module that pulls in pulumi-aws's resource modules, and the
component imports it when it is constructed, not when it is defined. The
provider must answer GetSchema on every ``pulumi preview``; the schema needs
only the component's annotations, so the provider starts without paying for
pulumi-aws's imports (``make bench`` measures the difference).
"""

from dataclasses import dataclass

import pulumi

from .function import create_processing
from .iam import create_role
from .messaging import create_messaging
from .settings import Settings
from .storage import create_storage
from .table import create_table


@dataclass(frozen=True)
class StackOutputs:
    """The component's outputs, as the children produce them."""

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


def create_children(name: str, settings: Settings, parent: pulumi.Resource) -> StackOutputs:
    """Create the storage, table, messaging, role and processing resources under ``parent``."""
    storage = create_storage(name, settings, parent)
    table = create_table(name, settings, parent)
    messaging = create_messaging(name, settings, parent)
    role = create_role(name, settings, parent)
    processing = create_processing(
        name, settings, parent, role=role, bucket=storage.bucket, table=table, messaging=messaging
    )
    return StackOutputs(
        bucket_name=storage.bucket.bucket,
        bucket_arn=storage.bucket.arn,
        table_name=table.name,
        table_arn=table.arn,
        function_name=processing.function.name,
        function_arn=processing.function.arn,
        queue_url=messaging.queue.url,
        queue_arn=messaging.queue.arn,
        dlq_url=messaging.dlq.url,
        dlq_arn=messaging.dlq.arn,
        topic_arn=messaging.topic.arn,
        role_arn=role.arn,
    )
