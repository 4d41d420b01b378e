"""``make bench-representative``: commit the newest full ``make bench`` run as ``representative.json``.

``bench/results/representative.json`` is one whole run kept for reference,
so that a reader sees every row measured side by side on one machine at one
time. A run of some groups only (``--only policy``) is not one: this copies
the newest results file whose run chose every group (``run.py`` records the
groups in ``details.settings.groups``) and refuses, naming what is missing,
when there is none.
"""

import json
import shutil
import sys
from pathlib import Path

from .run import GROUPS, RESULTS_DIR

REPRESENTATIVE = RESULTS_DIR / "representative.json"


def newest_full_run(directory: Path) -> Path:
    """The newest ``bench-*.json`` under ``directory`` that ran every group; ``LookupError`` if none did."""
    runs = sorted(directory.glob("bench-*.json"), reverse=True)
    for path in runs:
        settings = json.loads(path.read_text(encoding="utf-8"))["details"].get("settings", {})
        if set(settings.get("groups", ())) >= set(GROUPS):
            return path
    raise LookupError(
        f"no full run under {directory} ({len(runs)} results file(s), none of every group:"
        f" {', '.join(GROUPS)}); run `make bench` without --only first"
    )


def main(directory: Path = RESULTS_DIR, target: Path = REPRESENTATIVE) -> int:
    """Copy the newest full run over ``target``; print what was copied or why nothing was."""
    try:
        source = newest_full_run(directory)
    except LookupError as error:
        print(error, file=sys.stderr)
        return 1
    shutil.copyfile(source, target)
    print(f"{source.name} -> {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
