"""Reads: what a user may see, and the queries that feed rollup.py."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

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
