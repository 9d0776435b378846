"""Who may do what with production units, indicators, permits, jobs and events (SPEC 6, 10), on
the ladder of `core.permissions`. Services call these and raise PermissionDenied; pages and the
API ask the same predicates only to decide what to show.

A unit "belongs to" its **responsible agency** (the agency that follows it, e.g. the Industry,
Mine and Trade Organisation, or Culture for a printing house): that agency's users see it and
enter its monthly indicators and jobs; the secretariat of the province does everything; the
governor and the auditor read."""

from __future__ import annotations

from ronagh.core import permissions as ladder


def may_edit_units(user, province_id: int | None) -> bool:
    """Register, import and edit units, their status and the priority-sector list."""
    return ladder.is_secretariat_of(user, province_id)


def may_enter_indicators(user, unit) -> bool:
    """Monthly indicators and jobs of a unit: the responsible agency or the secretariat."""
    return ladder.is_secretariat_of(user, unit.province_id) or ladder.is_member_of(
        user, unit.responsible_agency_id
    )


def may_import_indicators(user, province_id: int | None) -> bool:
    return ladder.is_secretariat_of(user, province_id)


def may_file_permit(user, province_id: int | None, issuing_agency_id: int | None = None) -> bool:
    """The secretariat, or the issuing agency's own users, record applications."""
    return ladder.is_secretariat_of(user, province_id) or ladder.is_member_of(
        user, issuing_agency_id
    )


def may_decide_permit(user, application) -> bool:
    """The officer's decision: the issuing agency's users, or the secretariat."""
    return ladder.is_secretariat_of(user, application.province_id) or ladder.is_member_of(
        user, application.issuing_agency_id
    )


def may_open_permit_obstacle(user, application) -> bool:
    """An overdue application becomes an HQ obstacle: the secretariat's step."""
    return ladder.is_secretariat_of(user, application.province_id)


def may_edit_targets(user, province_id: int | None) -> bool:
    """Employment targets and investment events are kept by the secretariat."""
    return ladder.is_secretariat_of(user, province_id)


may_edit_events = may_edit_targets


def may_refit(user, province_id: int | None) -> bool:
    """Adopting a re-fitted early-warning table (the command line passes no user)."""
    return ladder.is_secretariat_of(user, province_id)
