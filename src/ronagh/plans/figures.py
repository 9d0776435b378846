"""The figures of a plan as of a date (SPEC 4.3): the one seam between the database and
`rollup.py`'s pure functions. Every dashboard panel, API rollup, scorecard, report and daily
step asks `figures(plan, as_of)` once per request and reads what it needs from the result.

`plan_data` loads a plan once (actions, weights, milestones, reports); `PlanFigures` computes each
action's figures once for the date and every rollup of any set of actions from them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db.models import Exists, OuterRef

from ronagh.core.calendar import working_calendar
from ronagh.core.models import Agency
from ronagh.lib.jalali import year_bounds
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


def clamp_to_year(plan: Plan, day: dt.date) -> dt.date:
    """SPEC 7: a date outside the plan's year is the year's first or last day; no figure costs
    more because its date is absurd."""
    first, last = year_bounds(plan.year)
    return min(max(day, first), last)


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

    def figures(
        self, d: dt.date, ids: Iterable[int] | None = None
    ) -> dict[int, rollup.ActionFigures]:
        wanted = self.inputs.keys() if ids is None else ids
        return {
            i: rollup.figures(self.inputs[i], d, self.calendar, self.thresholds) for i in wanted
        }

    def items(self, ids, figs) -> list[tuple[rollup.ActionInput, rollup.ActionFigures]]:
        return [(self.inputs[i], figs[i]) for i in ids]

    def lead_ids(self, agency_id: int) -> list[int]:
        return [i for i, a in self.actions.items() if a.lead_agency_id == agency_id]


def report_rows(action_ids) -> dict[int, list[tuple]]:
    """(date, percent, effective) per action, ordered by date and entry."""
    rows: dict[int, list[tuple]] = defaultdict(list)
    effective = ProgressReport.objects.effective().filter(pk=OuterRef("pk"))
    qs = (
        ProgressReport.objects.filter(action_id__in=action_ids)
        .annotate(effective=Exists(effective))
        .order_by("action_id", "date", "id")
        .values_list("action_id", "date", "percent", "effective")
    )
    for action_id, date, percent, is_effective in qs:
        rows[action_id].append((date, float(percent), is_effective))
    return rows


def action_input(action: Action, rows: list[tuple], milestones, communicated: bool | None = None):
    if communicated is None:
        communicated = action.plan.status == Plan.Status.COMMUNICATED
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
        communicated=communicated,
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
    rows = report_rows(list(actions))
    milestones: dict[int, list] = defaultdict(list)
    for m in Milestone.objects.filter(action__plan=plan).order_by("date"):
        milestones[m.action_id].append((m.date, float(m.percent)))
    communicated = plan.status == Plan.Status.COMMUNICATED
    inputs = {
        i: action_input(a, rows.get(i, []), milestones.get(i, []), communicated)
        for i, a in actions.items()
    }
    weights = rollup.effective_weights(inputs.values(), {ax.id: float(ax.weight) for ax in axes})
    return PlanData(plan, axes, actions, inputs, weights, working_calendar(), thresholds())


def year_dates(plan: Plan, as_of: dt.date, step_days: int = 7) -> list[dt.date]:
    """Dates for an S-curve: every `step_days` over the plan year, plus the as-of date."""
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


class PlanFigures:
    """Every figure of one plan on one date, computed once: each action's figures, and the
    rollup of the plan, of each axis, of each agency's lead actions and of any other set.

    Pages pass this one object to all their panels; a second date (the brief's week before)
    is `at(other)`, which reuses the loaded plan."""

    def __init__(self, data: PlanData, as_of: dt.date):
        self.data = data
        self.plan = data.plan
        self.as_of = as_of

    def at(self, as_of: dt.date) -> PlanFigures:
        return PlanFigures(self.data, as_of)

    @cached_property
    def actions(self) -> dict[int, rollup.ActionFigures]:
        return self.data.figures(self.as_of)

    def of(self, ids: Iterable[int]) -> rollup.Rollup:
        """The rollup of any set of the plan's actions."""
        return rollup.rollup(
            self.data.items(list(ids), self.actions), self.data.weights, self.as_of
        )

    @cached_property
    def total(self) -> rollup.Rollup:
        return self.of(self.data.inputs.keys())

    @cached_property
    def axes(self) -> list[tuple[Axis, rollup.Rollup]]:
        by_axis: dict[int, list[int]] = defaultdict(list)
        for i, a in self.data.actions.items():
            by_axis[a.axis_id].append(i)
        return [(ax, self.of(by_axis.get(ax.id, []))) for ax in self.data.axes]

    @cached_property
    def agencies(self) -> list[tuple[Agency, rollup.Rollup]]:
        """Each agency's lead actions, by agency name."""
        by_agency: dict[int, list[int]] = defaultdict(list)
        agencies: dict[int, Agency] = {}
        for i, a in self.data.actions.items():
            if a.lead_agency_id:
                by_agency[a.lead_agency_id].append(i)
                agencies[a.lead_agency_id] = a.lead_agency
        rows = [(agencies[g], self.of(ids)) for g, ids in by_agency.items()]
        rows.sort(key=lambda row: row[0].name)
        return rows

    def scorecard_progress(self, agency_id: int) -> float | None:
        """SPEC 4.4's progress component of an agency (its lead actions)."""
        ids = self.data.lead_ids(agency_id)
        return rollup.scorecard_progress(self.data.items(ids, self.actions), self.data.weights)

    def curve(self, ids: Iterable[int] | None = None, step_days: int = 7):
        """The S-curve of a set of actions (the whole plan by default) over the plan year."""
        wanted = self.data.inputs.keys() if ids is None else ids
        inputs = [self.data.inputs[i] for i in wanted]
        dates = year_dates(self.plan, self.as_of, step_days)
        return rollup.curve(inputs, self.data.weights, dates)

    def worst(self, n: int, ids: Iterable[int] | None = None) -> list[int]:
        """The n actions furthest behind (largest positive gap first, then by code)."""
        figs = self.actions
        wanted = figs.keys() if ids is None else ids
        return sorted(
            (i for i in wanted if figs[i].gap > 0),
            key=lambda i: (-figs[i].gap, self.data.actions[i].code),
        )[:n]


def figures(plan: Plan, as_of: dt.date) -> PlanFigures:
    """The figures of a plan on a date (clamped to the plan's year)."""
    return PlanFigures(plan_data(plan), clamp_to_year(plan, as_of))
