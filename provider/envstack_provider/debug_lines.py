"""Whether the plugin sends the Pulumi SDK's debug lines to the engine: only when asked to.

Pulumi's Python SDK writes about six debug lines for every resource the
component registers ("registering resource", "resource registration
prepared", "... successful", and the same for the component's outputs), and
each is a blocking ``Log`` call to the engine made from the event loop that
registers the children: 116 round trips for one ``EnvironmentStack``, during
which no child registers, and every line becomes an engine event that
``pulumi preview`` drops unless it runs with ``--debug``. Pulumi's Node.js SDK
keeps the same per-registration lines behind a flag for that reason
(pulumi/pulumi#7144, #7295).

The plugin therefore drops them unless ``ENVSTACK_DEBUG_LOGS`` is set to a
value other than ``0`` or ``false`` in the environment the CLI runs in (the
engine starts its plugins with that environment), so
``ENVSTACK_DEBUG_LOGS=1 pulumi preview --debug`` shows them as before.
Information, warnings and errors always reach the engine.
"""

import os
from collections.abc import Mapping

import pulumi.log

VARIABLE = "ENVSTACK_DEBUG_LOGS"
"""The environment variable that turns the SDK's debug lines back on."""

OFF = frozenset({"", "0", "false"})
"""Values of ``VARIABLE`` that leave the lines off (compared in lower case)."""


def _dropped(*_args: object, **_kwargs: object) -> None:
    """Stands in for ``pulumi.log.debug``: the line goes nowhere."""


def asked_for(environ: Mapping[str, str]) -> bool:
    """Whether ``environ`` asks for the SDK's debug lines."""
    return environ.get(VARIABLE, "").strip().lower() not in OFF


def keep_debug_lines_local(environ: Mapping[str, str] = os.environ) -> bool:
    """Stop this process sending debug lines to the engine unless ``environ`` asks for them.

    Called once by the plugin's entry point, never on import, so a program
    that imports the component keeps its SDK untouched. Returns whether the
    lines are dropped.
    """
    if asked_for(environ):
        return False
    pulumi.log.debug = _dropped
    return True
