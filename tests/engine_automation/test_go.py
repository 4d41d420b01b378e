"""The Go example under the real engine, through Go's Automation API (``auto.UpsertStackInlineSource``).

Its ``program`` function is the inline program. The checks are
``checks.ExampleUnderEngine``'s, the same for every language.
"""

import pytest

from .checks import ExampleUnderEngine

pytestmark = pytest.mark.timeout(900)


class TestGoExample(ExampleUnderEngine):
    LANGUAGE = "go"
