"""The component's typed inputs.

Pulumi's component analyzer reads this TypedDict, its annotations and the
string literal under each key, to infer the ``EnvironmentStack`` schema. That
is why every key carries a docstring: it becomes the description users see in
every generated SDK. Keys are plain (not ``pulumi.Input``) wherever the value
must be validated before any resource is registered: an Output cannot be
checked until after the deployment has started.
"""

from typing import NotRequired, TypedDict

import pulumi


class EnvironmentStackArgs(TypedDict):
    """Inputs of one environment's serverless data stack."""

    environment: str
    """The environment to deploy: `dev`, `staging` or `prod`. It selects the profile of defaults (Lambda memory, log retention)."""

    environment_suffix: NotRequired[str]
    """Suffix carried by every physical resource name. Lowercase letters, digits and hyphens, starting and ending with a letter or digit, at most 20 characters. Defaults to the environment name."""

    lambda_memory_mb: NotRequired[int]
    """Memory of the processing function in MB, from 128 to 10240. Defaults to the profile's: 512 for dev and staging, 1024 for prod."""

    lambda_timeout_seconds: NotRequired[int]
    """Timeout of the processing function in seconds, from 1 to 900. Defaults to 300. The queue's visibility timeout is six times this value."""

    lambda_runtime: NotRequired[str]
    """Python runtime of the processing function, one AWS supports today: `python3.12`, `python3.13` or `python3.14`. Defaults to `python3.14`."""

    noncurrent_version_expiration_days: NotRequired[int]
    """Days after which noncurrent object versions in the bucket expire, from 1 to 36500. Defaults to 30."""

    message_retention_seconds: NotRequired[int]
    """Message retention of the queue and its dead-letter queue in seconds, within SQS's limits of 60 to 1209600 (14 days). Defaults to 1209600."""

    max_receive_count: NotRequired[int]
    """Receives after which a message moves to the dead-letter queue, from 1 to 1000. Defaults to 3."""

    log_retention_days: NotRequired[int]
    """Retention of the function's log group in days; one of the values CloudWatch Logs accepts. Defaults to the profile's: 7 for dev, 30 for staging, 90 for prod."""

    notification_email: NotRequired[pulumi.Input[str]]
    """Email address subscribed to the notification topic. Without it the topic has no subscription. May be a secret or another resource's output; a plain value is checked before anything is registered, an output when it resolves."""

    kms_key_arn: NotRequired[pulumi.Input[str]]
    """ARN of a customer-managed KMS key, typically another resource's output. With it, every resource that holds data is encrypted with this key: the bucket (instead of AES256), the table (instead of the AWS-managed `aws/dynamodb` key), both queues (instead of SQS-managed encryption), the topic (instead of the AWS-managed `aws/sns` key), the function's log group (instead of CloudWatch Logs' own encryption) and the function's environment variables (instead of Lambda's AWS-managed key); the function's role may use it (`kms:Decrypt`, `kms:GenerateDataKey`). The key's policy must let CloudWatch Logs and, for the alarms, CloudWatch use it."""

    alarms_enabled: NotRequired[bool]
    """Whether the stack creates its CloudWatch alarms (dead-letter queue messages visible, function errors, function throttles, age of the oldest message in the ingest queue). Defaults to the profile's: on in every environment."""

    alarm_topic_arn: NotRequired[pulumi.Input[str]]
    """ARN of the SNS topic the alarms notify, on entering ALARM and on returning to OK. Defaults to the stack's own topic. A topic encrypted with the AWS-managed `aws/sns` key cannot receive CloudWatch's notifications: without `kmsKeyArn`, pass a topic whose key lets CloudWatch use it."""

    dlq_alarm_threshold: NotRequired[int]
    """Messages visible in the dead-letter queue at which its alarm goes off, from 1 to 100000. Defaults to 1: any message there failed every retry."""

    function_errors_alarm_threshold: NotRequired[int]
    """Function errors within five minutes at which the errors alarm goes off, from 1 to 100000. Defaults to the profile's: 5 for dev, 1 for staging and prod."""

    function_throttles_alarm_threshold: NotRequired[int]
    """Throttled function invocations within five minutes at which the throttles alarm goes off, from 1 to 100000. Defaults to the profile's: 5 for dev, 1 for staging and prod."""

    queue_age_alarm_seconds: NotRequired[int]
    """Age in seconds of the ingest queue's oldest message at which its alarm goes off, from 60 to 1209600. Defaults to the function's timeout (at least 60): a message older than one run of the function can take is waiting on a function that is falling behind or failing."""

    tags: NotRequired[dict[str, str]]
    """Tags merged over the defaults (`Environment`, `ManagedBy`) on every taggable resource."""
