"""The one reader of the message shape the pack gives a finding an exemption acknowledged.

The shape is written and its pattern kept beside the formatter in
``envstack_policy.exemptions``; this module only turns a match into the
report's ``Acknowledgement``.
"""

from dataclasses import dataclass

from ..exemptions import ACKNOWLEDGED_PATTERN, NO_TICKET, NOBODY_NAMED


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
    match = ACKNOWLEDGED_PATTERN.match(text)
    if match is None:
        return None
    approver = match["approver"]
    ticket = match["ticket"]
    acknowledgement = Acknowledgement(
        id=match["id"],
        reason=match["reason"],
        expires=match["expires"],
        approved_by=None if approver == NOBODY_NAMED else approver,
        ticket=None if ticket == NO_TICKET else ticket,
        source="envstack",
    )
    return acknowledgement, match["finding"]
