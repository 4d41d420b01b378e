"""Fixtures: each of the examples' stacks.

The examples' programs run under the real engine in tests/engine_automation
and tests/engine_real; what stays here needs no engine and runs no program:
the project and stack files, read as the CLI reads them.
"""

import pytest

from .stack_configs import STACKS


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    """Each of the examples' stacks."""
    return str(request.param)
