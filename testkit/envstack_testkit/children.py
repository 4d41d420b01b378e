"""How many cloud resources one ``EnvironmentStack`` registers: the one count every suite checks against.

The engine, moto and benchmark suites each count the component's children in
what they ran (a preview's steps, a state, moto's resources, a floor's
program). They take the number from here, and ``tests/unit_mocks`` pins it
to what the component registers under mocks, so a child added to the
component changes one line, not one per suite.
"""

from typing import Final

ALARMS: Final = 4
"""The CloudWatch alarms one environment gets while ``alarmsEnabled`` is on (the default): dead-letter
queue messages, function errors, function throttles, the ingest queue's oldest message age."""

CHILDREN: Final = 20 + ALARMS
"""The cloud resources of one environment without a notification email (the bucket and its six
settings, the table, both queues with their TLS-only policies and the DLQ's redrive-allow policy,
the topic and its TLS-only policy, the role and its policy, the log group, the function and its
event source mapping, and the alarms)."""

CHILDREN_WITH_EMAIL: Final = CHILDREN + 1
"""With ``notificationEmail`` set: the topic's email subscription as well."""
