"""Reads on plans and their progress: what a user may see (one `scoped` call each), which plan
judges an agency, the daily report screen's actions, the latest reports, and the communication
and re-planning lists. The figures themselves are `figures.py`'s."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, QuerySet, Subquery

from ronagh.core.models import Agency, User
from ronagh.core.scoping import scoped
from ronagh.core.selectors import visible_agencies
from ronagh.lib.jalali import current_year
from ronagh.notifications.models import Delivery

from .models import (
    Acknowledgement,
    Action,
    CorrectionDecision,
    Plan,
    ProgressReport,
    ReplanRequest,
    involving,
)

# --- scoping -----------------------------------------------------------------------------------


def visible_plans(user: User) -> QuerySet[Plan]:
    """Plans the user may see: its province's (every province's for a national reader); an agency
    user sees its province's plans too (the plan is public to the province's agencies)."""
    return scoped(
        Plan.objects.select_related("province"), user, province="province_id", agency=None
    )


def visible_actions(user: User) -> QuerySet[Action]:
    """Actions the user may see: all of the province for the readers of everything; an agency
    user only the actions its agency leads or partners in."""
    return scoped(
        Action.objects.select_related("plan", "axis", "lead_agency"),
        user,
        province="plan__province_id",
        agency=involving,
    )


def visible_reports(user: User) -> QuerySet[ProgressReport]:
    """Reports on the actions the user may see (a partner sees the lead's reports on a shared
    action: the action's progress is one figure)."""
    return ProgressReport.objects.filter(action__in=visible_actions(user).values("pk"))


def visible_replan_requests(user: User) -> QuerySet[ReplanRequest]:
    """Re-planning requests on the actions the user may see, newest first."""
    return (
        ReplanRequest.objects.filter(action__in=visible_actions(user).values("pk"))
        .select_related(
            "action__plan", "action__axis", "action__lead_agency", "requested_by", "decided_by"
        )
        .order_by("-requested_at", "-id")
    )


# --- which plan -------------------------------------------------------------------------------


def judged_plan(agency: Agency, as_of: dt.date) -> Plan | None:
    """The plan that judges an agency on `as_of` (SPEC 4.4): its province's judged plan
    (communicated, or closed since) of as_of's Jalali year, else the newest judged plan of an
    earlier year, else None. The scorecard page, the API, the league table and the year-end
    report all ask this, so they cannot disagree at the Jalali new year."""
    plans = Plan.objects.judged().filter(province_id=agency.province_id)
    year = current_year(as_of)
    return plans.filter(year=year).first() or plans.filter(year__lt=year).order_by("-year").first()


def current_plan(user: User, today: dt.date | None = None) -> Plan | None:
    """The plan a user lands on: this Jalali year's in their province, else the newest one."""
    plans = visible_plans(user)
    return plans.filter(year=current_year(today)).first() or plans.order_by("-year").first()


def plan_for_agency(user: User, agency: Agency, wanted: str, as_of: dt.date) -> Plan | None:
    """The plan an agency's pages show: the one asked for (`?plan=`) if the user may see it and
    it is the agency's province's; else the plan that judges the agency on `as_of`; else the
    province's newest plan the user may see."""
    plans = visible_plans(user).filter(province_id=agency.province_id)
    if wanted.isdigit():
        chosen = plans.filter(pk=int(wanted)).first()
        if chosen is not None:
            return chosen
    judged = judged_plan(agency, as_of)
    if judged is not None and plans.filter(pk=judged.pk).exists():
        return judged
    return plans.filter(year=current_year(as_of)).first() or plans.order_by("-year").first()


# --- reports -----------------------------------------------------------------------------------


def action_history(action: Action) -> QuerySet[ProgressReport]:
    """Every report of an action, oldest first, with its state, who entered it, what it
    corrects and the decision on it (a reporter's correction)."""
    return (
        action.reports.with_state()
        .select_related("entered_by", "agency", "corrects", "decision__decided_by")
        .order_by("date", "id")
    )


def latest_effective(action: Action, before: dt.date | None = None) -> ProgressReport | None:
    """The report that gives A(a, before): the latest effective report dated on or before it."""
    qs = ProgressReport.objects.effective().filter(action=action)
    if before is not None:
        qs = qs.filter(date__lte=before)
    return qs.order_by("-date", "-id").first()


def latest_effective_by_action(action_ids, before: dt.date) -> dict[int, ProgressReport]:
    """latest_effective() for many actions in two queries: action id → its report giving
    A(a, before); actions with no report are absent."""
    latest = (
        ProgressReport.objects.effective()
        .filter(action=OuterRef("pk"), date__lte=before)
        .order_by("-date", "-id")
        .values("id")[:1]
    )
    ids = (
        Action.objects.filter(pk__in=list(action_ids))
        .annotate(latest=Subquery(latest))
        .values_list("latest", flat=True)
    )
    reports = ProgressReport.objects.filter(id__in=[i for i in ids if i is not None])
    return {r.action_id: r for r in reports}


def pending_corrections_by_action(action_ids) -> dict[int, ProgressReport]:
    """The newest correction awaiting approval of each action (absent where none waits)."""
    out: dict[int, ProgressReport] = {}
    qs = (
        ProgressReport.objects.pending()
        .filter(action_id__in=list(action_ids))
        .select_related("corrects")
        .order_by("action_id", "id")
    )
    for report in qs:
        out[report.action_id] = report
    return out


def corrections_to_decide(user: User) -> QuerySet[ProgressReport]:
    """The pending corrections a user sees on the approval queue: an agency user those of its
    own agency's reports, the secretariat those of its province; oldest first."""
    return (
        scoped(
            ProgressReport.objects.pending(),
            user,
            province="action__plan__province_id",
            agency="agency_id",
        )
        .select_related("action__plan", "action__axis", "agency", "entered_by", "corrects")
        .order_by("entered_at", "id")
    )


def recent_decisions(user: User, limit: int = 20) -> QuerySet[CorrectionDecision]:
    """The latest decisions on corrections the user may see, newest first."""
    return (
        scoped(
            CorrectionDecision.objects.all(),
            user,
            province="correction__action__plan__province_id",
            agency="correction__agency_id",
        )
        .select_related(
            "correction__action", "correction__corrects", "correction__entered_by", "decided_by"
        )
        .order_by("-decided_at", "-id")[:limit]
    )


def reportable_actions(agency: Agency, today: dt.date) -> QuerySet[Action]:
    """The daily report screen: the communicated plans' actions the agency leads or partners in,
    started by today and not yet done (overdue ones stay until they reach 100 %)."""
    done = ProgressReport.objects.effective().filter(
        action=OuterRef("pk"), percent__gte=100, date__lte=today
    )
    return (
        Action.objects.involving(agency.pk)
        .filter(plan__status=Plan.Status.COMMUNICATED, start__lte=today)
        .exclude(Exists(done))
        .select_related("plan", "axis", "lead_agency")
        # The plan's frozen baseline is a large JSON document decoded for every row otherwise;
        # the report screen never reads it.
        .defer("plan__baseline")
        .order_by("axis__number", "code")
    )


# --- communication and acknowledgement ----------------------------------------------------------


def plans_awaiting_acknowledgement(user: User) -> list[Plan]:
    """Communicated plans in which the agency user's agency has actions and that it has not yet
    acknowledged (for the banner on agency pages); empty for everyone else."""
    if not user.is_agency_user or not user.agency_id:
        return []
    involved = Action.objects.involving(user.agency_id).values("plan_id")
    acknowledged = Acknowledgement.objects.filter(agency_id=user.agency_id).values("plan_id")
    return list(
        visible_plans(user)
        .communicated()
        .filter(id__in=involved)
        .exclude(id__in=acknowledged)
        .order_by("-year")
    )


def agency_actions_in_plan(plan: Plan, agency: Agency) -> QuerySet[Action]:
    """The plan's actions an agency leads or partners in, with the lead agency."""
    return (
        plan.actions.involving(agency.pk)
        .select_related("axis", "lead_agency")
        .prefetch_related("milestones")
        .order_by("axis__number", "code")
    )


@dataclass
class CommunicationRow:
    """One agency of a plan: how many actions it leads and partners in, and its receipt."""

    agency: Agency
    lead: int
    partner: int
    acknowledgement: Acknowledgement | None
    notified_at: dt.datetime | None = None  # the first message the agency's people were sent
    notified_people: int = 0

    @property
    def total(self) -> int:
        return self.lead + self.partner


def communication_rows(plan: Plan, user: User) -> list[CommunicationRow]:
    """Every agency with actions in the plan (an agency user: its own only), by name, with its
    action counts and acknowledgement."""
    lead = dict(
        plan.actions.filter(lead_agency__isnull=False)
        .values_list("lead_agency")
        .annotate(n=Count("id"))
        .values_list("lead_agency", "n")
    )
    partner: dict[int, int] = defaultdict(int)
    for agency_id in Action.partners.through.objects.filter(action__plan=plan).values_list(
        "agency_id", flat=True
    ):
        partner[agency_id] += 1
    ids = set(lead) | set(partner)
    agencies = visible_agencies(user).filter(id__in=ids).order_by("name")
    acks = {
        a.agency_id: a
        for a in Acknowledgement.objects.filter(plan=plan).select_related("acknowledged_by")
    }
    notified = _plan_notifications(plan, ids)
    return [
        CommunicationRow(
            g,
            lead.get(g.id, 0),
            partner.get(g.id, 0),
            acks.get(g.id),
            *notified.get(g.id, (None, 0)),
        )
        for g in agencies
    ]


def notice_key(plan: Plan, agency_id: int) -> str:
    """The delivery key of the notice an agency is sent when its plan is communicated."""
    return f"plan-communicated:{plan.id}:{agency_id}"


def _plan_notifications(plan: Plan, agency_ids) -> dict[int, tuple[dt.datetime, int]]:
    """agency id → (first delivery, people reached) of the notice sent on communication, from
    the delivery log."""
    keys = {notice_key(plan, g): g for g in agency_ids}
    rows = (
        Delivery.objects.filter(key__in=keys, status=Delivery.Status.SENT)
        .order_by()
        .values("key")
        .annotate(first=Min("created_at"), people=Count("recipient", distinct=True))
    )
    return {keys[r["key"]]: (r["first"], r["people"]) for r in rows}
