"""SPEC 5's transition table of an obstacle, as data: for each (from, to) who may make the step
and what it needs. Anything not in the table is refused. `permissions.py` reads the "who";
`services.transition` enforces the rest and records every step."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Status

SECRETARIAT = "secretariat"  # the secretariat of the obstacle's province
RESPONSIBLE = "responsible"  # a manager or reporter of the obstacle's responsible agency


@dataclass(frozen=True)
class Rule:
    who: frozenset[str]
    comment_required: bool = False
    agency_required: bool = False  # the step names the (new) responsible agency


TRANSITIONS: dict[tuple[str, str], Rule] = {
    (Status.REGISTERED, Status.ASSIGNED): Rule(frozenset({SECRETARIAT}), agency_required=True),
    # Re-routing: restarts the clock and counts as a bounce.
    (Status.ASSIGNED, Status.ASSIGNED): Rule(
        frozenset({SECRETARIAT}), comment_required=True, agency_required=True
    ),
    (Status.ASSIGNED, Status.IN_PROGRESS): Rule(frozenset({RESPONSIBLE})),
    (Status.ASSIGNED, Status.RESOLVED): Rule(
        frozenset({RESPONSIBLE, SECRETARIAT}), comment_required=True
    ),
    (Status.IN_PROGRESS, Status.RESOLVED): Rule(
        frozenset({RESPONSIBLE, SECRETARIAT}), comment_required=True
    ),
    (Status.ASSIGNED, Status.REFERRED_NATIONAL): Rule(frozenset({SECRETARIAT})),
    (Status.IN_PROGRESS, Status.REFERRED_NATIONAL): Rule(frozenset({SECRETARIAT})),
    (Status.REGISTERED, Status.REJECTED): Rule(frozenset({SECRETARIAT}), comment_required=True),
    (Status.ASSIGNED, Status.REJECTED): Rule(frozenset({SECRETARIAT}), comment_required=True),
    (Status.IN_PROGRESS, Status.REJECTED): Rule(frozenset({SECRETARIAT}), comment_required=True),
    (Status.RESOLVED, Status.IN_PROGRESS): Rule(frozenset({SECRETARIAT}), comment_required=True),
}


def is_bounce(frm: str, to: str) -> bool:
    """A re-routing from one agency to another (SPEC 5's bounce)."""
    return frm == Status.ASSIGNED and to == Status.ASSIGNED
