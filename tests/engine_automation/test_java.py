"""The Java example under the real engine, through Java's Automation API (``com.pulumi.automation``).

``App.stack`` is the inline program. The checks are ``checks.ExampleUnderEngine``'s,
the same for every language.
"""

import pytest

from .checks import ExampleUnderEngine

pytestmark = pytest.mark.timeout(900)


class TestJavaExample(ExampleUnderEngine):
    LANGUAGE = "java"
