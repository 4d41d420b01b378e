"""The one reader of the message shape the pack gives a finding an exemption acknowledged.

i25's contract fixes the shape; this function is its only parser, so the day
the shape changes one place changes with it (the coordinator moves it beside
the pack's formatter at merge).
"""

import re
from dataclasses import dataclass

ACKNOWLEDGED = re.compile(
    r'^ACKNOWLEDGED by exemption "(?P<id>[^"]+)" \(expires (?P<expires>\d{4}-\d{2}-\d{2}); '
    r"approved by (?P<approver>[^;]*); ticket (?P<ticket>[^)]*)\): "
    r"(?P<reason>.*?)\. Finding: (?P<finding>.*)$",
    re.S,
)
NOBODY = "nobody named"
NO_TICKET = "none"


@dataclass(frozen=True)
class Acknowledgement:
    """Why a finding does not count: the exemption that matched it, as the pack wrote it."""

    id: str
    reason: str
    expires: str | None
    approved_by: str | None
    ticket: str | None
    source: str
    """``envstack`` (the pack's exemptions) or ``engine`` (the engine's own policy-pack exceptions)."""


def parse_acknowledged(text: str) -> tuple[Acknowledgement, str] | None:
    """The acknowledgement and the original finding's message, or ``None`` for a finding that counts."""
    match = ACKNOWLEDGED.match(text)
    if match is None:
        return None
    approver = match["approver"]
    ticket = match["ticket"]
    acknowledgement = Acknowledgement(
        id=match["id"],
        reason=match["reason"],
        expires=match["expires"],
        approved_by=None if approver == NOBODY else approver,
        ticket=None if ticket == NO_TICKET else ticket,
        source="envstack",
    )
    return acknowledgement, match["finding"]
