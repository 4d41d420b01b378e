"""The TypeScript example under the real engine, through ``@pulumi/pulumi/automation``.

Its compiled ``index.js`` is loaded by the inline program. The checks are
``checks.ExampleUnderEngine``'s, the same for every language.
"""

import pytest

from .checks import ExampleUnderEngine

pytestmark = pytest.mark.timeout(900)


class TestTypeScriptExample(ExampleUnderEngine):
    LANGUAGE = "typescript"
