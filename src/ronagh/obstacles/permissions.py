"""Who may do what with obstacles (SPEC 5, 10), on the ladder of `core.permissions`. Services
call these and raise PermissionDenied; pages and the API call them to decide what to show."""

from __future__ import annotations

from ronagh.core import permissions as ladder

from .models import Obstacle
from .transitions import RESPONSIBLE, SECRETARIAT, TRANSITIONS


def may_register(user, province_id: int | None = None) -> bool:
    """The secretariat (of that province) and agency users register obstacles; the governor and
    the auditor do not. Without a province: whether the user's role registers at all."""
    if ladder.is_agency_user(user):
        return province_id is None or ladder.covers_province(user, province_id)
    if province_id is None:
        return ladder.is_secretariat(user)
    return ladder.is_secretariat_of(user, province_id)


def capacities(user, obstacle: Obstacle) -> set[str]:
    """In which of the transition table's capacities the user acts on this obstacle."""
    found = set()
    if ladder.is_secretariat_of(user, obstacle.province_id):
        found.add(SECRETARIAT)
    if ladder.is_member_of(user, obstacle.responsible_agency_id):
        found.add(RESPONSIBLE)
    return found


def may_transition(user, obstacle: Obstacle, to: str) -> bool:
    rule = TRANSITIONS.get((obstacle.status, to))
    return rule is not None and bool(rule.who & capacities(user, obstacle))


def allowed_transitions(user, obstacle: Obstacle) -> list[str]:
    """The statuses this user may move the obstacle to now, in the table's order (the buttons a
    page offers)."""
    mine = capacities(user, obstacle)
    return [
        to for (frm, to), rule in TRANSITIONS.items() if frm == obstacle.status and rule.who & mine
    ]


def may_edit_routing(user, province_id: int | None) -> bool:
    return ladder.is_secretariat_of(user, province_id)


def may_read_routing(user) -> bool:
    """The routing table is the secretariat's; the governor and the auditor may read it."""
    return ladder.reads_everything(user)


def may_see_escalations(user) -> bool:
    """The list of overdue and bounced obstacles of a province: its readers of everything."""
    return ladder.reads_everything(user)
