"""Stopping a server process the tests started: the plugin and pack harnesses, the package index.

Each is asked to stop (SIGTERM) and given time to shut down cleanly, so its
log is complete, and is killed only if it does not.
"""

import subprocess
from typing import Any

GRACE_SECONDS = 10.0


def stop(process: "subprocess.Popen[Any]", grace_seconds: float = GRACE_SECONDS) -> None:
    """Terminate ``process`` if it still runs; kill it if it has not exited after ``grace_seconds``."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=grace_seconds)
