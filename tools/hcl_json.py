"""Parse Terraform (HCL2) texts into JSON, as Checkov's own parser reads them.

Run by Checkov's interpreter (``.venv-checkov/bin/python tools/hcl_json.py``):
the HCL parser Checkov pins (``bc-python-hcl2``) lives only in that
virtualenv, whose pins conflict with the main one's, so this file imports
nothing but that parser and the standard library. It reads a JSON list of
HCL texts on stdin and writes, on stdout, a JSON list of what the parser
makes of each: blocks as lists of objects, references and function calls as
``${...}`` strings. ``tools/terraform_to_pulumi.py`` turns that into
pulumi-aws resources.
"""

import json
import sys

import hcl2  # type: ignore[import-not-found]


def main() -> None:
    """Each text of the JSON list on stdin, parsed; the parsed list on stdout."""
    texts = json.load(sys.stdin)
    json.dump([hcl2.loads(text) for text in texts], sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
