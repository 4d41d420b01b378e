"""``envstack-policy``: the pack's command for CI, installed with it.

``report`` turns the event log of a ``pulumi preview`` or ``up`` run with the
pack (``PULUMI_DEBUG_COMMANDS=true pulumi preview --policy-pack ...
--event-log FILE``) into SARIF, JUnit XML and a Markdown summary, and exits
non-zero when ``--fail-on`` says the findings fail the step. ``baseline``
records a stack's current findings as exemptions in its config file.

Exit codes: 0 passed, 1 the gate failed, 2 the command could not run (a bad
argument, an unreadable or incomplete event log, a stack file it cannot edit).
"""

import argparse
import datetime
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .pack import PACK_NAME, POLICIES
from .reports.baseline import BaselineError, parse_expiry, record_baseline
from .reports.events import EventLog, EventLogError, read_event_log
from .reports.gate import FAILED, PASSED, failing, parse_fail_on
from .reports.junit import junit_xml
from .reports.markdown import markdown_summary
from .reports.rules import Rule, pack_rules, rules_for
from .reports.sarif import sarif_log

USAGE_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="envstack-policy", description="Reports a CI reads, and a baseline, from the engine's event log."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="write SARIF, JUnit XML and Markdown from an event log")
    report.add_argument("--event-log", type=Path, required=True, help="pulumi preview/up --event-log output")
    report.add_argument("--sarif", type=Path, help="write SARIF 2.1.0 here")
    report.add_argument(
        "--program-file",
        help="the program's file relative to the repository root (e.g. Pulumi.yaml), as each SARIF result's"
        " physical location, which GitHub code scanning requires",
    )
    report.add_argument("--junit", type=Path, help="write JUnit XML here")
    report.add_argument("--markdown", type=Path, help="write the Markdown summary here")
    report.add_argument(
        "--fail-on",
        help="exit 1 on a finding that counts: mandatory, advisory or severity>=low|medium|high|critical",
    )
    baseline = commands.add_parser("baseline", help="record the event log's findings as exemptions")
    baseline.add_argument(
        "--event-log", type=Path, required=True, help="pulumi preview/up --event-log output"
    )
    baseline.add_argument("--stack-config", type=Path, required=True, help="the stack's Pulumi.<stack>.yaml")
    baseline.add_argument("--expires", required=True, help="the entries' expiry, YYYY-MM-DD")
    return parser


def _known_rules() -> dict[str, dict[str, Rule]]:
    return {PACK_NAME: pack_rules(POLICIES)}


def _summary(log: EventLog) -> str:
    counted = [f for f in log.findings if f.counts]
    mandatory = sum(f.level == "mandatory" for f in counted)
    return (
        f"{log.path}: {mandatory} mandatory, {len(counted) - mandatory} advisory, "
        f"{len(log.findings) - len(counted)} acknowledged finding(s); "
        f"{len(log.baseline_remaining)} baseline entr(ies) remain, "
        f"{len(log.baseline_stale)} stale baseline entr(ies) to delete"
    )


def report(args: argparse.Namespace) -> int:
    """``envstack-policy report``."""
    try:
        fails = parse_fail_on(args.fail_on) if args.fail_on else None
    except ValueError as error:
        print(f"envstack-policy report: {error}", file=sys.stderr)
        return USAGE_ERROR
    log = read_event_log(args.event_log)
    known = _known_rules()
    if args.sarif:
        args.sarif.write_text(
            json.dumps(sarif_log(log, known, args.program_file), indent=2) + "\n", encoding="utf-8"
        )
    if args.junit:
        args.junit.write_bytes(junit_xml(log))
    if args.markdown:
        rules = rules_for({k: v for pack in known.values() for k, v in pack.items()}, log.findings)
        args.markdown.write_text(markdown_summary(log, rules), encoding="utf-8")
    print(_summary(log))
    if fails is None:
        return PASSED
    blocking = failing(log, fails)
    for finding in blocking:
        print(
            f"fails --fail-on {args.fail_on}: {finding.policy} on {finding.urn or 'the stack'}",
            file=sys.stderr,
        )
    return FAILED if blocking else PASSED


def baseline(args: argparse.Namespace) -> int:
    """``envstack-policy baseline``."""
    today = datetime.datetime.now(datetime.UTC).date()
    expires = parse_expiry(args.expires, today)
    log = read_event_log(args.event_log)
    recorded = record_baseline(log, args.stack_config, expires, today)
    print(f"{args.stack_config}: {len(recorded.added)} baseline exemption(s) added, expiring {expires}")
    for finding in recorded.already_listed:
        print(f"already listed, not added again: {finding.policy} on {finding.urn}")
    for finding in recorded.no_resource:
        print(
            f"not recorded: {finding.policy} names no resource, so no exemption can match it: {finding.text}",
            file=sys.stderr,
        )
    return PASSED


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors are one line on stderr naming the file, value and rule, and exit code 2."""
    args = _parser().parse_args(argv)
    command = report if args.command == "report" else baseline
    try:
        return command(args)
    except (EventLogError, BaselineError, OSError) as error:
        print(f"envstack-policy {args.command}: {error}", file=sys.stderr)
        return USAGE_ERROR
