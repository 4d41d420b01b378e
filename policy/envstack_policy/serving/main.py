"""The pack's entry point, for the engine's both ways of starting it: set the process up, then serve.

Importing the pack imports pulumi-policy and with it the Pulumi SDK, grpc and
protobuf: a few hundred thousand objects, none of them garbage. At CPython's
default thresholds the cyclic collector would walk that growing heap hundreds
of times while the modules load, on every ``pulumi preview``, before the
engine gets its first answer. So the collector stays off until the imports
are done, and ``pack.tune_garbage_collection`` freezes what they created and
turns it back on before the server answers anything. This module imports
nothing else for the same reason: it must run before the heavy imports.
"""

import gc


def serve() -> None:
    """Pause the collector, import the server, and serve until the engine stops us."""
    gc.disable()
    from .server import serve as serve_pack  # noqa: PLC0415 - imported once the collector is off

    serve_pack()
