"""The figures of a plan as of a date (SPEC 4.3): the one seam between the database and
`rollup.py`'s pure functions. Every dashboard panel, API rollup, scorecard, report and daily
step asks `figures(plan, as_of)` once per request and reads what it needs from the result.

`plan_data` loads a plan's structure once (axes, actions, weights, milestones — no reports);
`PlanFigures` asks `engine.facts` for each action's facts on the date (a few index probes per
action, whatever the length of the history) and computes every figure and rollup from them with
`rollup.figures_from`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings

from ronagh.core.calendar import working_calendar
from ronagh.core.models import Agency
from ronagh.lib.jalali import year_bounds
from ronagh.lib.workdays import Calendar

from . import engine, rollup
from .models import Action, Axis, Milestone, Plan


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
    """One plan's structure loaded once: every action as rollup.ActionInput (its schedule, no
    reports) with its code, its axis weights and the effective weights, and the working
    calendar. The Action objects themselves (titles, lead agencies) are loaded only when a page
    shows them (`actions`)."""

    plan: Plan
    axes: list[Axis]
    inputs: dict[int, rollup.ActionInput]
    codes: dict[int, str]
    weights: dict[int, float]
    calendar: Calendar
    thresholds: rollup.Thresholds
    _actions: dict[int, Action] | None = None

    @property
    def actions(self) -> dict[int, Action]:
        """action id → Action (with its axis and lead agency), in axis and code order."""
        if self._actions is None:
            loaded = self.plan.actions.select_related("lead_agency", "axis").in_bulk(
                list(self.inputs)
            )
            for a in loaded.values():
                a.plan = self.plan  # one Plan object (one decoded baseline) for every action
            self._actions = {i: loaded[i] for i in self.inputs if i in loaded}
        return self._actions

    def facts(self, d: dt.date, ids: Iterable[int] | None = None, *, forecast=()):
        if ids is None:
            return engine.facts(self.inputs, d, self.thresholds, plan_id=self.plan.pk)
        wanted = {i: self.inputs[i] for i in ids}
        return engine.facts(wanted, d, self.thresholds, forecast=forecast)

    def figures(
        self, d: dt.date, ids: Iterable[int] | None = None
    ) -> dict[int, rollup.ActionFigures]:
        found = self.facts(d, ids)
        return {
            i: rollup.figures_from(self.inputs[i], d, f, self.calendar, self.thresholds)
            for i, f in found.items()
        }

    def items(self, ids, figs) -> list[tuple[rollup.ActionInput, rollup.ActionFigures]]:
        return [(self.inputs[i], figs[i]) for i in ids]

    def lead_ids(self, agency_id: int) -> list[int]:
        return [i for i, a in self.inputs.items() if a.lead_agency_id == agency_id]

    def axis_ids(self, axis_id: int) -> list[int]:
        return [i for i, a in self.inputs.items() if a.axis_id == axis_id]


def action_input(action: Action, milestones, communicated: bool | None = None):
    """An action's schedule as rollup.ActionInput (no reports: the engine reads those)."""
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
        communicated=communicated,
    )


def plan_data(plan: Plan) -> PlanData:
    """Everything about one plan the figures need but the reports, in three plain queries (no
    model objects for the actions: a province has hundreds)."""
    axes = list(plan.axes.order_by("number"))
    rows = list(
        plan.actions.order_by("axis__number", "code").values_list(
            "id", "axis_id", "weight", "start", "end", "lead_agency_id", "code"
        )
    )
    milestones: dict[int, list] = defaultdict(list)
    for action_id, on, pct in (
        Milestone.objects.filter(action__plan=plan)
        .order_by("date")
        .values_list("action_id", "date", "percent")
    ):
        milestones[action_id].append((on, float(pct)))
    communicated = plan.status == Plan.Status.COMMUNICATED
    inputs = {
        i: rollup.ActionInput(
            id=i,
            axis_id=axis_id,
            weight=float(weight),
            start=start,
            end=end,
            lead_agency_id=lead,
            milestones=tuple(milestones.get(i, ())),
            communicated=communicated,
        )
        for i, axis_id, weight, start, end, lead, _code in rows
    }
    codes = {i: code for i, *_rest, code in rows}
    weights = rollup.effective_weights(inputs.values(), {ax.id: float(ax.weight) for ax in axes})
    return PlanData(plan, axes, inputs, codes, weights, working_calendar(), thresholds())


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
    def facts(self) -> dict[int, rollup.Facts]:
        return self.data.facts(self.as_of)

    @cached_property
    def actions(self) -> dict[int, rollup.ActionFigures]:
        data = self.data
        return {
            i: rollup.figures_from(data.inputs[i], self.as_of, f, data.calendar, data.thresholds)
            for i, f in self.facts.items()
        }

    def forecasts(self, ids: Iterable[int]) -> dict[int, dt.date | None]:
        """The forecast finish of some actions (two more probes for those that need them)."""
        found = self.data.facts(self.as_of, ids, forecast=ids)
        return {
            i: rollup.forecast_finish(self.as_of, f, self.data.thresholds) for i, f in found.items()
        }

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
        for i, a in self.data.inputs.items():
            by_axis[a.axis_id].append(i)
        return [(ax, self.of(by_axis.get(ax.id, []))) for ax in self.data.axes]

    @cached_property
    def agencies(self) -> list[tuple[Agency, rollup.Rollup]]:
        """Each agency's lead actions, by agency name."""
        by_agency: dict[int, list[int]] = defaultdict(list)
        for i, a in self.data.inputs.items():
            if a.lead_agency_id:
                by_agency[a.lead_agency_id].append(i)
        agencies = Agency.objects.in_bulk(list(by_agency))
        rows = [(agencies[g], self.of(ids)) for g, ids in by_agency.items()]
        rows.sort(key=lambda row: row[0].name)
        return rows

    def scorecard_progress(self, agency_id: int) -> float | None:
        """SPEC 4.4's progress component of an agency (its lead actions)."""
        ids = self.data.lead_ids(agency_id)
        return rollup.scorecard_progress(self.data.items(ids, self.actions), self.data.weights)

    @cached_property
    def steps(self) -> dict[int, list[tuple[dt.date, float]]]:
        """Each action's effective values as steps (date, percent) up to the plan's year end:
        the history the S-curve is drawn from (read once, only when a curve is asked for)."""
        _first, last = year_bounds(self.plan.year)
        return engine.history(self.data.inputs.keys(), last)

    def curve(self, ids: Iterable[int] | None = None, step_days: int = 7):
        """The S-curve of a set of actions (the whole plan by default) over the plan year:
        (date, planned, actual) on every `step_days` and the as-of date."""
        wanted = list(self.data.inputs.keys() if ids is None else ids)
        dates = year_dates(self.plan, self.as_of, step_days)
        weights = self.data.weights
        total = sum(weights.get(i, 0.0) for i in wanted)
        planned = [0.0] * len(dates)
        actual = [0.0] * len(dates)
        if total > 0:
            for i in wanted:
                w = weights.get(i, 0.0) / total
                if not w:
                    continue
                for k, p in enumerate(rollup.planned_series(self.data.inputs[i], dates)):
                    planned[k] += w * p
                steps, j, value = self.steps.get(i, []), 0, 0.0
                for k, d in enumerate(dates):  # a walk along the steps, dates in order
                    while j < len(steps) and steps[j][0] <= d:
                        value = steps[j][1]
                        j += 1
                    actual[k] += w * value
        return list(zip(dates, planned, actual, strict=True))

    def worst(self, n: int, ids: Iterable[int] | None = None) -> list[int]:
        """The n actions furthest behind (largest positive gap first, then by code)."""
        figs = self.actions
        wanted = figs.keys() if ids is None else ids
        return sorted(
            (i for i in wanted if figs[i].gap > 0),
            key=lambda i: (-figs[i].gap, self.data.codes[i]),
        )[:n]


def figures(plan: Plan, as_of: dt.date) -> PlanFigures:
    """The figures of a plan on a date (clamped to the plan's year)."""
    return PlanFigures(plan_data(plan), clamp_to_year(plan, as_of))


def action_figures(action: Action, as_of: dt.date):
    """One action's figures and forecast on a date (its action page)."""
    milestones = action.milestones.order_by("date").values_list("date", "percent")
    inp = action_input(action, [(d, float(p)) for d, p in milestones])
    t = thresholds()
    f = engine.facts({action.id: inp}, as_of, t, forecast=[action.id])[action.id]
    fig = rollup.figures_from(inp, as_of, f, working_calendar(), t)
    return inp, fig, rollup.forecast_finish(as_of, f, t)
