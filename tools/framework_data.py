"""Write the pack's table of compliance controls from the pinned Prowler's framework data.

The pack's policies carry pulumi-policy's compliance metadata (``framework``,
``tags``) for the AWS Foundational Security Best Practices (Security Hub's
control ids, S3.5, SQS.1...) and the CIS AWS Foundations Benchmark. Which
controls those frameworks hold is not written from memory: Prowler ships
each framework's requirements as data (``prowler/compliance/aws/*.json``),
and this tool, run by Prowler's own interpreter
(``.venv-prowler/bin/python tools/framework_data.py <out.py>``,
``make framework-data``), writes the controls of the services the pack
judges as plain Python, ``policy/envstack_policy/data/framework_data.py``: the
pack must stand alone when the engine runs it.

A control is in scope when it concerns a service the pack judges: for the
FSBP, by the service Security Hub files the control under (Prowler's
``Attributes[].Service``); for CIS, whose sections are not per service, by
the services of the Prowler checks that assess it (the folder each check
lives in, ``prowler/providers/aws/services/<service>/<check>``). CIS
requirements that Prowler assesses with no check at all (manual ones such
as "Ensure VPC Endpoints are used") concern no service and are out of scope.
The CIS version is the newest Prowler ships.

``tests/policy_prowler/test_framework_data.py`` fails while the file and the
installed Prowler disagree: bumping Prowler in requirements/prowler.in,
``make lock-prowler`` and ``make framework-data`` is how the table moves, and
``tests/policy_unit/test_compliance.py`` then names every control that needs
a decision. Imports nothing but the standard library (Prowler's data files
are read, its code is not run).
"""

import json
import re
import sys
import textwrap
from collections.abc import Mapping
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import Any

LINE = 110
"""ruff's line length."""
WRAP = LINE - 15
"""Width of a wrapped title: with its indent and quotes, a line of at most 110."""

SERVICES: Mapping[str, str] = {
    "s3": "S3",
    "dynamodb": "DynamoDB",
    "sqs": "SQS",
    "sns": "SNS",
    "awslambda": "Lambda",
    "iam": "IAM",
    "kms": "KMS",
    "cloudwatch": "CloudWatch",
    "rds": "RDS",
}
"""The services the pack judges: Prowler's service folder, and the name Security Hub files controls under.

The same services as the Checkov and cdk-nag matrices (policy/README.md); Prowler keeps CloudWatch
Logs' log groups under ``cloudwatch``.
"""

FSBP_FILE = "aws_foundational_security_best_practices_aws.json"
CIS_FILE = re.compile(r"cis_(\d+)\.(\d+)_aws\.json")


def _compliance_dir() -> Any:
    return files("prowler") / "compliance" / "aws"


def _check_services() -> dict[str, str]:
    """Each Prowler AWS check's service folder, by check name."""
    services = files("prowler") / "providers" / "aws" / "services"
    return {
        check.name: service.name
        for service in services.iterdir()
        if service.is_dir()
        for check in service.iterdir()
        if check.is_dir() and (check / f"{check.name}.metadata.json").is_file()
    }


def _read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((_compliance_dir() / name).read_text(encoding="utf-8"))
    return data


def _title(text: str) -> str:
    return " ".join(text.split())


def load() -> dict[str, Any]:
    """Every framework's name and version and its in-scope controls, read from the installed Prowler."""
    fsbp = _read(FSBP_FILE)
    fsbp_controls: dict[str, tuple[str, str, str]] = {}
    for requirement in fsbp["Requirements"]:
        services = {attribute["Service"] for attribute in requirement["Attributes"]}
        in_scope = sorted(services & set(SERVICES.values()))
        if in_scope:
            severity = requirement["Attributes"][0]["Severity"]
            fsbp_controls[requirement["Id"]] = (", ".join(in_scope), severity, _title(requirement["Name"]))

    newest = max(
        (tuple(int(part) for part in match.groups()), entry.name)
        for entry in _compliance_dir().iterdir()
        if (match := CIS_FILE.fullmatch(entry.name))
    )[1]
    cis = _read(newest)
    check_services = _check_services()
    cis_controls: dict[str, tuple[str, str, str]] = {}
    for requirement in cis["Requirements"]:
        services = {SERVICES.get(check_services.get(check, ""), "") for check in requirement["Checks"]}
        in_scope = sorted(services - {""})
        if in_scope:
            profile = requirement["Attributes"][0]["Profile"]
            cis_controls[requirement["Id"]] = (
                ", ".join(in_scope),
                profile,
                _title(requirement["Description"]),
            )

    return {
        "prowler": version("prowler"),
        "frameworks": {
            "aws-fsbp": (fsbp["Name"], fsbp["Version"], FSBP_FILE, fsbp_controls),
            "cis-aws": (cis["Name"], cis["Version"], newest, cis_controls),
        },
    }


def _control_key(control_id: str) -> tuple[Any, ...]:
    """S3.2 before S3.10, 2.1.1 before 2.10: numbers compare as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"[.]", control_id))


def _quote(text: str) -> str:
    """A string literal as ruff format writes it: double quotes, unless the text holds some and no single."""
    if '"' in text and "'" not in text:
        return "'" + text.replace("\\", "\\\\") + "'"
    return json.dumps(text)


def render(data: Mapping[str, Any]) -> str:
    """The module's text, formatted as ruff formats it."""
    prowler = data["prowler"]
    lines = [
        '"""The compliance frameworks\' controls for the services the pack judges (generated).',
        "",
        f"Generated by ``make framework-data`` (tools/framework_data.py) from Prowler {prowler}'s",
        "compliance data; do not edit. tests/policy_prowler fails while this file and the installed",
        "Prowler disagree. Each control: the services it concerns, its level (the FSBP's severity, CIS's",
        "profile) and its title, as Prowler gives them.",
        '"""',
        "",
        "from collections.abc import Mapping",
        "from typing import Final",
        "",
        f'SOURCE: Final = "Prowler {prowler}"',
        '"""The data\'s origin and version."""',
        "",
        "FRAMEWORKS: Final[Mapping[str, tuple[str, str, str]]] = {",
    ]
    for key, (name, framework_version, source, _) in data["frameworks"].items():
        lines.append(f"    {_quote(key)}: (")
        lines += [f"        {_quote(value)}," for value in (name, framework_version, source)]
        lines.append("    ),")
    lines += [
        "}",
        '"""Each framework\'s name, version (empty where Prowler gives none) and Prowler\'s file, by key."""',
        "",
        "CONTROLS: Final[Mapping[str, Mapping[str, tuple[str, str, str]]]] = {",
    ]
    for key, (_, _, _, controls) in data["frameworks"].items():
        lines.append(f"    {_quote(key)}: {{")
        for control_id in sorted(controls, key=_control_key):
            services, level, title = controls[control_id]
            entry = f"        {_quote(control_id)}: ({_quote(services)}, {_quote(level)}, {_quote(title)}),"
            if len(entry) > LINE:
                entry = f"        {_quote(control_id)}: (\n"
                entry += "".join(f"            {_quote(value)},\n" for value in (services, level))
                if len(f"            {_quote(title)},") <= LINE:
                    entry += f"            {_quote(title)},\n"
                else:
                    parts = textwrap.wrap(title, WRAP, drop_whitespace=False, break_on_hyphens=False)
                    entry += "\n".join(f"            {_quote(part)}" for part in parts) + ",\n"
                entry += "        ),"
            lines.append(entry)
        lines.append("    },")
    lines += [
        "}",
        '"""Each framework\'s in-scope controls, by key and control id."""',
        "",
    ]
    return "\n".join(lines)


def main(out: str) -> None:
    """Write the table to ``out``."""
    Path(out).write_text(render(load()), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
