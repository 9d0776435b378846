"""Who may do what at the Facilitation HQ (SPEC 1, 5, 10), on the ladder of `core.permissions`:
the HQ's records are the secretariat's of their province; an agency follows up its own clauses;
the governor and the auditor read."""

from __future__ import annotations

from ronagh.core import permissions as ladder

from .models import Clause

# (from, to) of a clause's status; anything else is refused. Reopening is the secretariat's.
CLAUSE_STEPS = {
    (Clause.Status.OPEN, Clause.Status.DONE),
    (Clause.Status.OPEN, Clause.Status.NOT_DONE),
    (Clause.Status.NOT_DONE, Clause.Status.DONE),
    (Clause.Status.DONE, Clause.Status.OPEN),
    (Clause.Status.NOT_DONE, Clause.Status.OPEN),
}


def may_manage(user, province_id: int | None) -> bool:
    """Record meetings, resolutions, clauses, escalations and systemic issues of a province."""
    return ladder.is_secretariat_of(user, province_id)


def may_mark(user, clause: Clause) -> bool:
    """Follow up a clause: the secretariat of the province, or a user of the clause's own agency
    (manager or reporter). A firm's clause is followed up by the secretariat only."""
    if may_manage(user, clause.resolution.meeting.province_id):
        return True
    return clause.party_kind == Clause.Party.AGENCY and ladder.is_member_of(user, clause.agency_id)


def allowed_marks(user, clause: Clause) -> list[str]:
    """The statuses this user may give the clause now (the buttons a page offers)."""
    if not may_mark(user, clause):
        return []
    reopens = may_manage(user, clause.resolution.meeting.province_id)
    return [
        to
        for to in Clause.Status.values
        if (clause.status, to) in CLAUSE_STEPS and (to != Clause.Status.OPEN or reopens)
    ]


def reads_whole_meetings(user) -> bool:
    """Meetings read whole — agenda, every resolution and clause, the minutes: the readers of
    everything. An agency user sees only its own clauses."""
    return ladder.reads_everything(user)
