"""The Python example under the real engine, through Python's Automation API (``pulumi.automation``).

Its ``__main__.py`` runs by ``runpy`` inside the inline program. The checks are
``checks.ExampleUnderEngine``'s, the same for every language.
"""

import pytest

from .checks import ExampleUnderEngine

pytestmark = pytest.mark.timeout(900)


class TestPythonExample(ExampleUnderEngine):
    LANGUAGE = "python"
