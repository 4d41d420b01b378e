"""Every child resource of one ``EnvironmentStack``, wired together.

This is the only module that pulls in pulumi-aws's resource modules, and the
component imports it when it is constructed, not when it is defined. The
provider must answer GetSchema on every ``pulumi preview``; the schema needs
only the component's annotations, so the provider starts without paying for
pulumi-aws's imports (``make bench`` measures the difference).
"""

import pulumi

from .alarms import create_alarms
from .function import create_log_group, create_processing
from .iam import attach_policy, create_role
from .messaging import create_messaging
from .settings import Settings
from .storage import create_storage
from .table import create_table


def create_children(name: str, settings: Settings, parent: pulumi.Resource) -> dict[str, pulumi.Output[str]]:
    """Create the storage, table, messaging, role, processing and alarm resources under ``parent``.

    The data flows one way: each module creates its resources from what is
    handed to it, and only this function hands one module's resources to another.

    Returns the component's outputs by their Python names, the names
    ``EnvironmentStack`` declares as annotated attributes (``OUTPUT_NAMES``,
    which the schema is inferred from); a unit test pins that the two agree.
    """
    bucket = create_storage(name, settings, parent)
    table = create_table(name, settings, parent)
    messaging = create_messaging(name, settings, parent)
    role = create_role(name, settings, parent)
    log_group = create_log_group(name, settings, parent)
    policy = attach_policy(
        name,
        settings,
        role,
        bucket_arn=bucket.arn,
        table_arn=table.arn,
        topic_arn=messaging.topic.arn,
        queue_arn=messaging.queue.arn,
        log_group_arn=log_group.arn,
    )
    function = create_processing(
        name,
        settings,
        parent,
        role=role,
        policy=policy,
        log_group=log_group,
        bucket=bucket,
        table=table,
        messaging=messaging,
    )
    create_alarms(name, settings, parent, messaging=messaging, function=function)
    return dict(
        bucket_name=bucket.bucket,
        bucket_arn=bucket.arn,
        table_name=table.name,
        table_arn=table.arn,
        function_name=function.name,
        function_arn=function.arn,
        queue_url=messaging.queue.url,
        queue_arn=messaging.queue.arn,
        dlq_url=messaging.dlq.url,
        dlq_arn=messaging.dlq.arn,
        topic_arn=messaging.topic.arn,
        role_arn=role.arn,
    )
