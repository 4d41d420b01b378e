"""``python -m envstack_provider.schema_file PATH``: write the schema the provider serves.

``make schema`` runs this to regenerate the checked-in ``schema.json``, the
single source the SDKs are generated from. The file is written with sorted
keys and a trailing newline so that regenerating an unchanged schema leaves
git with nothing to show.
"""

import json
import sys
from pathlib import Path
from typing import Any

from .provider import EnvstackProvider


def render(document: dict[str, Any]) -> str:
    """The canonical text of a schema document."""
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the served schema to the path given, or to stdout."""
    args = sys.argv[1:] if argv is None else argv
    text = render(EnvstackProvider().schema_document())
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
