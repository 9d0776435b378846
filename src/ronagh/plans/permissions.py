"""Who may change what in a plan and its progress (SPEC 1, 4, 10), on the ladder of
`core.permissions`. The services call these and raise PermissionDenied; pages and the API call
them only to decide which buttons to show."""

from __future__ import annotations

from ronagh.core import permissions as ladder

from .models import Action, Plan, ProgressReport


def may_build_plans(user, province_id: int | None) -> bool:
    """Create, edit, import and communicate a province's plans: its secretariat."""
    return ladder.is_secretariat_of(user, province_id)


def may_edit(user, plan: Plan) -> bool:
    """Edit a draft plan (its axes and actions)."""
    return may_build_plans(user, plan.province_id) and plan.is_draft


def is_involved(agency_id: int | None, action: Action) -> bool:
    """Whether an agency leads or partners in an action."""
    if agency_id is None:
        return False
    if action.lead_agency_id == agency_id:
        return True
    return action.partners.filter(pk=agency_id).exists()


def may_report(user, action: Action) -> bool:
    """Report progress on an action: the secretariat of its province (on any agency's behalf),
    or a manager or reporter of an agency that leads or partners in it."""
    if ladder.is_secretariat_of(user, action.plan.province_id):
        return True
    return ladder.is_agency_user(user) and is_involved(user.agency_id, action)


def may_correct(user, report: ProgressReport) -> bool:
    """Correct a report (SPEC 4.2): the secretariat of the province may correct any; an agency
    only the reports of its own agency — a partner never corrects the lead's report, nor the
    reverse."""
    if ladder.is_secretariat_of(user, report.action.plan.province_id):
        return True
    return ladder.is_member_of(user, report.agency_id) and is_involved(
        user.agency_id, report.action
    )


def may_decide_correction(user, report: ProgressReport) -> bool:
    """Approve or reject a reporter's correction (SPEC 1, 4.2): the manager of the report's
    agency, or the secretariat of its province."""
    if ladder.is_secretariat_of(user, report.action.plan.province_id):
        return True
    return ladder.is_manager_of(user, report.agency_id)


def correction_needs_approval(user, report: ProgressReport) -> bool:
    """Whether a correction this user enters waits for a decision: it does unless the user is
    one who may decide it (the agency's manager, the secretariat), whose corrections take
    effect at once."""
    return not may_decide_correction(user, report)


def may_enter_late(user, action: Action) -> bool:
    """Enter a report outside the reporting window or dated before communication."""
    return ladder.is_secretariat_of(user, action.plan.province_id)


def may_acknowledge(user, plan: Plan) -> bool:
    """Acknowledge receipt of a communicated plan: a manager or reporter of an agency with
    actions in it."""
    return (
        ladder.is_agency_user(user)
        and plan.is_communicated
        and Action.objects.filter(plan=plan).involving(user.agency_id).exists()
    )


def may_request_replan(user, action: Action) -> bool:
    """Ask to change an action's schedule: its lead agency or the secretariat of its province
    (that the plan must be communicated is a state, not a permission: see request_replan)."""
    if ladder.is_secretariat_of(user, action.plan.province_id):
        return True
    return ladder.is_member_of(user, action.lead_agency_id)


def may_decide_replan(user, action: Action) -> bool:
    return ladder.is_secretariat_of(user, action.plan.province_id)


def may_export(user, plan: Plan) -> bool:
    """Download a whole plan as a workbook: the readers of everything of its province."""
    return ladder.reads_everything(user) and ladder.covers_province(user, plan.province_id)
