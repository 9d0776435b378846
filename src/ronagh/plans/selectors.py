"""Reads: what a user may see, and the queries that feed rollup.py."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery

from ronagh.core.calendar import working_calendar
from ronagh.core.models import Agency, User
from ronagh.lib.workdays import Calendar

from . import rollup
from .models import Action, Axis, Milestone, Plan, ProgressReport


def thresholds() -> rollup.Thresholds:
    cfg = settings.RONAGH
    return rollup.Thresholds(
        behind_gap=cfg["BEHIND_GAP"],
        critical_gap=cfg["CRITICAL_GAP"],
        stalled_days=cfg["STALLED_DAYS"],
        unreported_working_days=cfg["UNREPORTED_WORKING_DAYS"],
        forecast_window_days=cfg["FORECAST_WINDOW_DAYS"],
    )


# --- scoping -----------------------------------------------------------------------------------


def visible_plans(user: User) -> QuerySet[Plan]:
    """Plans the user may see: everything for governor, secretariat and auditor (within their
    province when they have one); an agency user sees its own province's plans."""
    qs = Plan.objects.select_related("province")
    if user.is_superuser:
        return qs
    province_id = user.agency.province_id if user.agency_id else user.province_id
    if user.sees_everything:
        return qs.filter(province_id=province_id) if province_id else qs
    if user.is_agency_user and user.agency_id:
        return qs.filter(province_id=province_id)
    return qs.none()


def visible_actions(user: User) -> QuerySet[Action]:
    """Actions the user may see: all for the readers of everything; an agency user only the
    actions its agency leads or partners in."""
    qs = Action.objects.select_related("plan", "axis", "lead_agency").filter(
        plan__in=visible_plans(user)
    )
    if user.sees_everything:
        return qs
    if user.is_agency_user and user.agency_id:
        return qs.filter(Q(lead_agency=user.agency_id) | Q(partners=user.agency_id)).distinct()
    return qs.none()


def visible_agencies(user: User) -> QuerySet[Agency]:
    """Agencies the user may see: its own for an agency user, its province's (or all) otherwise."""
    qs = Agency.objects.select_related("province")
    if user.is_superuser:
        return qs
    if user.is_agency_user:
        return qs.filter(pk=user.agency_id) if user.agency_id else qs.none()
    if user.sees_everything:
        return qs.filter(province_id=user.province_id) if user.province_id else qs
    return qs.none()


def can_see_agency(user: User, agency: Agency) -> bool:
    return visible_agencies(user).filter(pk=agency.pk).exists()


def visible_reports(user: User) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(action__in=visible_actions(user))


# --- the data behind the figures ---------------------------------------------------------------


@dataclass
class PlanData:
    """One plan loaded once: every action as rollup.ActionInput, its axis weights and the
    effective weights, and the working calendar."""

    plan: Plan
    axes: list[Axis]
    actions: dict[int, Action]
    inputs: dict[int, rollup.ActionInput]
    weights: dict[int, float]
    calendar: Calendar
    thresholds: rollup.Thresholds

    def figures(self, d: dt.date) -> dict[int, rollup.ActionFigures]:
        return {
            i: rollup.figures(a, d, self.calendar, self.thresholds) for i, a in self.inputs.items()
        }

    def items(self, ids, figs) -> list[tuple[rollup.ActionInput, rollup.ActionFigures]]:
        return [(self.inputs[i], figs[i]) for i in ids]


def report_rows(action_ids) -> dict[int, list[tuple]]:
    """(date, percent, effective) per action, ordered by date and entry."""
    rows: dict[int, list[tuple]] = defaultdict(list)
    qs = (
        ProgressReport.objects.filter(action_id__in=action_ids)
        .order_by("action_id", "date", "id")
        .values_list("action_id", "date", "percent", "corrected_by__id")
    )
    for action_id, date, percent, corrected_by in qs:
        rows[action_id].append((date, float(percent), corrected_by is None))
    return rows


def action_input(action: Action, rows: list[tuple], milestones) -> rollup.ActionInput:
    return rollup.ActionInput(
        id=action.id,
        axis_id=action.axis_id,
        weight=float(action.weight),
        start=action.start,
        end=action.end,
        lead_agency_id=action.lead_agency_id,
        milestones=tuple(milestones),
        reports=tuple((d, p) for d, p, eff in rows if eff),
        report_dates=tuple(sorted(d for d, _, _ in rows)),
        communicated=action.plan.status == Plan.Status.COMMUNICATED
        if hasattr(action, "plan")
        else True,
    )


def plan_data(plan: Plan) -> PlanData:
    """Everything the rollup of one plan needs, in a handful of queries."""
    axes = list(plan.axes.order_by("number"))
    actions = {
        a.id: a
        for a in plan.actions.select_related("lead_agency", "axis").order_by("axis__number", "code")
    }
    for a in actions.values():
        a.plan = plan  # one Plan object (and one decoded baseline) shared by every action
    rows = report_rows(actions.keys())
    milestones: dict[int, list] = defaultdict(list)
    for m in Milestone.objects.filter(action__plan=plan).order_by("date"):
        milestones[m.action_id].append((m.date, float(m.percent)))
    inputs = {
        i: action_input(a, rows.get(i, []), milestones.get(i, [])) for i, a in actions.items()
    }
    weights = rollup.effective_weights(inputs.values(), {ax.id: float(ax.weight) for ax in axes})
    return PlanData(plan, axes, actions, inputs, weights, working_calendar(), thresholds())


@dataclass
class PlanRollup:
    as_of: dt.date
    total: rollup.Rollup
    axes: list[tuple[Axis, rollup.Rollup]]
    agencies: list[tuple[Agency, rollup.Rollup]]
    figures: dict[int, rollup.ActionFigures]


def plan_rollup(data: PlanData, as_of: dt.date) -> PlanRollup:
    """The plan, each axis and each agency (its lead actions) on one date."""
    figs = data.figures(as_of)
    total = rollup.rollup(data.items(data.inputs.keys(), figs), data.weights, as_of)
    by_axis: dict[int, list[int]] = defaultdict(list)
    by_agency: dict[int, list[int]] = defaultdict(list)
    agencies: dict[int, Agency] = {}
    for i, a in data.actions.items():
        by_axis[a.axis_id].append(i)
        if a.lead_agency_id:
            by_agency[a.lead_agency_id].append(i)
            agencies[a.lead_agency_id] = a.lead_agency
    axes = [
        (ax, rollup.rollup(data.items(by_axis.get(ax.id, []), figs), data.weights, as_of))
        for ax in data.axes
    ]
    agency_rows = [
        (agencies[g], rollup.rollup(data.items(ids, figs), data.weights, as_of))
        for g, ids in by_agency.items()
    ]
    agency_rows.sort(key=lambda row: row[0].name)
    return PlanRollup(as_of, total, axes, agency_rows, figs)


def subset_rollup(data: PlanData, ids, as_of: dt.date, figs=None) -> rollup.Rollup:
    figs = figs or data.figures(as_of)
    return rollup.rollup(data.items(ids, figs), data.weights, as_of)


def year_dates(plan: Plan, as_of: dt.date, step_days: int = 7) -> list[dt.date]:
    """Dates for an S-curve: every `step_days` over the plan year, plus the as-of date."""
    from ronagh.lib.jalali import year_bounds

    first, last = year_bounds(plan.year)
    dates, d = [], first
    while d <= last:
        dates.append(d)
        d += dt.timedelta(days=step_days)
    if last not in dates:
        dates.append(last)
    if first <= as_of <= last and as_of not in dates:
        dates.append(as_of)
    return sorted(dates)


def agency_scorecard_progress(data: PlanData, agency_id: int, as_of: dt.date) -> float | None:
    figs = data.figures(as_of)
    ids = [i for i, a in data.actions.items() if a.lead_agency_id == agency_id]
    return rollup.scorecard_progress(data.items(ids, figs), data.weights)


def current_plan(user: User, today: dt.date | None = None) -> Plan | None:
    """The plan a user lands on: this Jalali year's in their province, else the newest one."""
    from ronagh.lib.jalali import current_year

    plans = visible_plans(user)
    return plans.filter(year=current_year(today)).first() or plans.order_by("-year").first()


def action_history(action: Action) -> QuerySet[ProgressReport]:
    """Every report of an action, oldest first, with who entered it and what it corrects."""
    return (
        action.reports.select_related("entered_by", "agency", "corrects")
        .prefetch_related("corrected_by")
        .order_by("date", "id")
    )


def latest_effective(action: Action, before: dt.date | None = None) -> ProgressReport | None:
    """The report that gives A(a, before): latest effective report dated on or before it."""
    qs = action.reports.filter(corrected_by__isnull=True)
    if before is not None:
        qs = qs.filter(date__lte=before)
    return qs.order_by("-date", "-id").first()


def latest_effective_by_action(action_ids, before: dt.date) -> dict[int, ProgressReport]:
    """latest_effective() for many actions in two queries: action id → its report giving
    A(a, before); actions with no report are absent."""
    latest = (
        ProgressReport.objects.filter(
            action=OuterRef("pk"), corrected_by__isnull=True, date__lte=before
        )
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


def reportable_actions(agency: Agency, today: dt.date) -> QuerySet[Action]:
    """The daily report screen: the communicated plans' actions the agency leads or partners in,
    started by today and not yet done (overdue ones stay until they reach 100 %)."""
    done_ids = ProgressReport.objects.filter(
        corrected_by__isnull=True, percent__gte=100, date__lte=today
    ).values("action_id")
    return (
        Action.objects.filter(
            Q(lead_agency=agency) | Q(partners=agency),
            plan__status=Plan.Status.COMMUNICATED,
            start__lte=today,
        )
        .exclude(id__in=done_ids)
        .select_related("plan", "axis", "lead_agency")
        .distinct()
        .order_by("axis__number", "code")
    )


# --- the plan's lifecycle: baseline, acknowledgements, re-planning, quality check ---------------


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def baseline_plan_data(plan: Plan) -> PlanData:
    """The plan as it was communicated: the same as `plan_data` (the same actions and reports)
    but with the baseline's axis weights, action weights, dates and milestones, so a report can
    judge every action against the original schedule beside the approved revisions. The actions
    in `actions` are copies carrying the baseline's dates and weight. A plan without a baseline
    (a draft) gives its live data."""
    import copy
    from dataclasses import replace
    from decimal import Decimal

    data = plan_data(plan)
    baseline = plan.baseline
    if baseline is None:  # perhaps an object loaded before communication
        baseline = Plan.objects.filter(pk=plan.pk).values_list("baseline", flat=True).first()
    if not baseline:
        return data
    frozen_axes = baseline.get("axes", {})
    axes = []
    for ax in data.axes:
        ax = copy.copy(ax)
        if str(ax.number) in frozen_axes:
            ax.weight = Decimal(frozen_axes[str(ax.number)])
        axes.append(ax)
    frozen_actions = baseline.get("actions", {})
    actions: dict[int, Action] = {}
    inputs: dict[int, rollup.ActionInput] = {}
    for i, live in data.actions.items():
        frozen = frozen_actions.get(live.code)
        if frozen is None:  # not in the baseline (cannot happen through the services)
            actions[i], inputs[i] = live, data.inputs[i]
            continue
        action = copy.copy(live)
        action.start, action.end = _day(frozen.get("start")), _day(frozen.get("end"))
        action.weight = Decimal(frozen["weight"])
        actions[i] = action
        inputs[i] = replace(
            data.inputs[i],
            weight=float(action.weight),
            start=action.start,
            end=action.end,
            milestones=tuple((_day(d), float(p)) for d, p in frozen.get("milestones", [])),
        )
    weights = rollup.effective_weights(inputs.values(), {ax.id: float(ax.weight) for ax in axes})
    return PlanData(plan, axes, actions, inputs, weights, data.calendar, data.thresholds)


def action_schedule(action: Action) -> dict:
    """An action's schedule as plain data (the format of Plan.baseline, plus the target)."""
    return {
        "start": action.start.isoformat() if action.start else None,
        "end": action.end.isoformat() if action.end else None,
        "weight": str(action.weight),
        "target": str(action.target) if action.target is not None else None,
        "milestones": [
            [m.date.isoformat(), str(m.percent)] for m in action.milestones.order_by("date")
        ],
    }


def request_schedule(request) -> dict:
    """The schedule a re-planning request asks for, in the format of `action_schedule`."""
    return {
        "start": request.new_start.isoformat(),
        "end": request.new_end.isoformat(),
        "weight": str(request.new_weight),
        "target": str(request.new_target) if request.new_target is not None else None,
        "milestones": [list(m) for m in request.new_milestones],
    }


def _involving(agency_id: int) -> Q:
    return Q(lead_agency=agency_id) | Q(partners=agency_id)


def plans_awaiting_acknowledgement(user: User) -> list[Plan]:
    """Communicated plans in which the agency user's agency has actions and that it has not yet
    acknowledged (for the banner on agency pages); empty for everyone else."""
    from .models import Acknowledgement

    if not user.is_agency_user or not user.agency_id:
        return []
    involved = Action.objects.filter(_involving(user.agency_id)).values("plan_id")
    acknowledged = Acknowledgement.objects.filter(agency_id=user.agency_id).values("plan_id")
    return list(
        visible_plans(user)
        .filter(status=Plan.Status.COMMUNICATED, id__in=involved)
        .exclude(id__in=acknowledged)
        .order_by("-year")
    )


def agency_actions_in_plan(plan: Plan, agency: Agency) -> QuerySet[Action]:
    """The plan's actions an agency leads or partners in, with the lead agency."""
    return (
        plan.actions.filter(_involving(agency.pk))
        .select_related("axis", "lead_agency")
        .prefetch_related("milestones")
        .distinct()
        .order_by("axis__number", "code")
    )


@dataclass
class CommunicationRow:
    """One agency of a plan: how many actions it leads and partners in, and its receipt."""

    agency: Agency
    lead: int
    partner: int
    acknowledgement: object | None  # Acknowledgement
    notified_at: dt.datetime | None = None  # the first message the agency's people were sent
    notified_people: int = 0

    @property
    def total(self) -> int:
        return self.lead + self.partner


def communication_rows(plan: Plan, user: User) -> list[CommunicationRow]:
    """Every agency with actions in the plan (an agency user: its own only), by name, with its
    action counts and acknowledgement."""
    from django.db.models import Count

    from .models import Acknowledgement

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


def _plan_notifications(plan: Plan, agency_ids) -> dict[int, tuple[dt.datetime, int]]:
    """agency id → (first delivery, people reached) of the notice sent on communication, read
    from the notifications app's delivery log by its key `plan-communicated:{plan}:{agency}`;
    empty when that app keeps no log."""
    try:
        from django.db.models import Count, Min

        from ronagh.notifications.models import Delivery
    except ImportError:
        return {}
    keys = {f"plan-communicated:{plan.id}:{g}": g for g in agency_ids}
    rows = (
        Delivery.objects.filter(key__in=keys, status=Delivery.Status.SENT)
        .order_by()
        .values("key")
        .annotate(first=Min("created_at"), people=Count("recipient", distinct=True))
    )
    return {keys[r["key"]]: (r["first"], r["people"]) for r in rows}


def visible_replan_requests(user: User) -> QuerySet:
    """Re-planning requests on the actions the user may see, newest first."""
    from .models import ReplanRequest

    return (
        ReplanRequest.objects.filter(action__in=visible_actions(user))
        .select_related(
            "action__plan", "action__axis", "action__lead_agency", "requested_by", "decided_by"
        )
        .order_by("-requested_at", "-id")
    )


@dataclass(frozen=True)
class Schedule:
    """An action's schedule for display: dates, weight, target and milestones."""

    start: dt.date | None
    end: dt.date | None
    weight: object  # Decimal
    target: object | None  # Decimal
    milestones: tuple[tuple[dt.date, object], ...]

    @property
    def days(self) -> int | None:
        """The duration in calendar days, both ends included."""
        return (self.end - self.start).days + 1 if self.start and self.end else None

    @classmethod
    def from_data(cls, data: dict) -> Schedule:
        from decimal import Decimal

        target = data.get("target")
        return cls(
            start=_day(data.get("start")),
            end=_day(data.get("end")),
            weight=Decimal(data["weight"]),
            target=Decimal(target) if target is not None else None,
            milestones=tuple((_day(d), Decimal(p)) for d, p in data.get("milestones", [])),
        )


@dataclass
class ScheduleHistory:
    """What the action page shows of re-planning: the schedule communicated in the baseline,
    the live one, every approved revision (oldest first) and the request waiting, if any."""

    baseline: Schedule | None
    current: Schedule
    revisions: list
    pending: object | None  # ReplanRequest waiting for a decision
    proposed: Schedule | None = None  # the schedule it asks for

    @property
    def revised(self) -> bool:
        return bool(self.revisions)


def schedule_history(action: Action) -> ScheduleHistory:
    """The original and revised schedules of one action (see ScheduleHistory)."""
    from .models import ReplanRequest

    revisions = list(
        action.revisions.select_related("request__requested_by", "request__decided_by")
    )
    frozen = ((action.plan.baseline or {}).get("actions") or {}).get(action.code)
    baseline = None
    if frozen is not None:
        # The baseline keeps no target: the target at communication is the first revision's
        # "before", or the live one while nothing has been revised.
        if revisions:
            target = revisions[0].before.get("target")
        else:
            target = str(action.target) if action.target is not None else None
        baseline = Schedule.from_data({**frozen, "target": target})
    for r in revisions:
        r.before_schedule = Schedule.from_data(r.before)
        r.after_schedule = Schedule.from_data(r.after)
    pending = (
        action.replan_requests.filter(status=ReplanRequest.Status.PENDING)
        .select_related("requested_by")
        .first()
    )
    proposed = Schedule.from_data(request_schedule(pending)) if pending else None
    return ScheduleHistory(
        baseline, Schedule.from_data(action_schedule(action)), revisions, pending, proposed
    )


@dataclass
class GapGroup:
    """The quality check's gaps of one kind."""

    code: str
    blocking: bool
    gaps: list


GAP_ORDER = (
    "no_actions",
    "no_lead",
    "no_dates",
    "end_before_start",
    "outside_year",
    "empty_axis",
    "no_milestones",
    "no_indicator",
    "duplicate_title",
    "idle_agency",
)


def gap_kind_title(code: str) -> str:
    """The heading of a kind of gap, in the reader's language."""
    from django.utils.translation import gettext as _

    titles = {
        "no_actions": _("Plan without actions"),
        "no_lead": _("Actions without a lead agency"),
        "no_dates": _("Actions without a start or end date"),
        "end_before_start": _("Actions that end before they start"),
        "outside_year": _("Actions with dates outside the plan year"),
        "empty_axis": _("Axes without actions"),
        "no_milestones": _("Long actions without milestones"),
        "no_indicator": _("Actions without an indicator or target"),
        "duplicate_title": _("Actions with duplicate titles"),
        "idle_agency": _("Agencies without actions"),
    }
    return titles.get(code, code)


def quality_groups(plan: Plan) -> list[GapGroup]:
    """The plan quality check (SPEC 4.1) grouped by kind: blocking kinds first."""
    from .quality import plan_gaps

    groups: dict[str, GapGroup] = {}
    for gap in plan_gaps(plan):
        groups.setdefault(gap.code, GapGroup(gap.code, gap.blocking, [])).gaps.append(gap)

    def order(group: GapGroup):
        rank = GAP_ORDER.index(group.code) if group.code in GAP_ORDER else len(GAP_ORDER)
        return (not group.blocking, rank, group.code)

    return sorted(groups.values(), key=order)
