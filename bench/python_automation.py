"""One preview of examples/python's dev stack through Python's Automation API, timed around the call.

Usage: ``python -m bench.python_automation WORK_DIR PULUMI_ROOT PROJECT STACK``;
prints ``{"seconds": ...}``. The bench's stand-in for the Python driver of
``envstack_testkit.automation`` while that has not landed (``bench.languages``
uses the driver when it is there): the inline program is the example's own
``__main__.py``, run by ``runpy`` from ``WORK_DIR`` (a copy of the example, so
its ``Pulumi.yaml`` and ``Pulumi.<stack>.yaml`` are read as the CLI reads
them), and the CLI is the pinned one under ``PULUMI_ROOT``. The environment
(plugins on PATH, state backend, Pulumi home) is the caller's.
"""

import json
import runpy
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from pulumi import automation as auto


def preview_seconds(work_dir: Path, pulumi_root: Path, project: str, stack_name: str) -> float:
    """Select (or create) the stack, then time one ``preview``."""

    def program() -> None:
        runpy.run_path(str(work_dir / "__main__.py"), run_name="__main__")

    stack = auto.create_or_select_stack(
        stack_name=stack_name,
        project_name=project,
        program=program,
        opts=auto.LocalWorkspaceOptions(
            work_dir=str(work_dir), pulumi_command=auto.PulumiCommand(root=str(pulumi_root))
        ),
    )
    started = time.perf_counter()
    stack.preview()
    return time.perf_counter() - started


def main(argv: Sequence[str]) -> int:
    """Print the preview's seconds as JSON."""
    work_dir, pulumi_root, project, stack = argv
    print(json.dumps({"seconds": preview_seconds(Path(work_dir), Path(pulumi_root), project, stack)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
