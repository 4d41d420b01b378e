"""Every child resource of one ``EnvironmentStack``, wired together.

This is the only module that pulls in pulumi-aws's resource modules, and the
component imports it when it is constructed, not when it is defined. The
provider must answer GetSchema on every ``pulumi preview``; the schema needs
only the component's annotations, so the provider starts without paying for
pulumi-aws's imports (``make bench`` measures the difference).
"""

import pulumi

from .function import create_processing
from .iam import create_role
from .messaging import create_messaging
from .settings import Settings
from .storage import create_storage
from .table import create_table


def create_children(name: str, settings: Settings, parent: pulumi.Resource) -> dict[str, pulumi.Output[str]]:
    """Create the storage, table, messaging, role and processing resources under ``parent``.

    Returns the component's outputs by their Python names; ``EnvironmentStack``
    declares the same names as annotated attributes, which the schema is
    inferred from, and the unit tests pin that the two agree.
    """
    storage = create_storage(name, settings, parent)
    table = create_table(name, settings, parent)
    messaging = create_messaging(name, settings, parent)
    role = create_role(name, settings, parent)
    processing = create_processing(
        name, settings, parent, role=role, bucket=storage.bucket, table=table, messaging=messaging
    )
    return dict(
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
