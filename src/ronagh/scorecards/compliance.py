"""Reporting compliance (SPEC 4.3) by agency, action and day: the (action, working day) pairs
required and reported, counted by `scorecard.py`'s pure functions from one query per set of
actions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Q, Value
from django.db.models.functions import Greatest, Least

from ronagh.core.calendar import working_calendar
from ronagh.core.models import Agency
from ronagh.lib.jalali import year_bounds
from ronagh.plans import engine
from ronagh.plans.figures import PlanData, figures
from ronagh.plans.models import Action, Plan, ProgressReport
from ronagh.plans.rollup import Status

from . import scorecard

STRIP_WORKING_DAYS = 30  # the per-day compliance strip of the agency page


# --- compliance ----------------------------------------------------------------------------------


def _reported_days(
    action_ids: Iterable[int], agency_id: int | None = None, since: dt.date | None = None
) -> dict:
    """action id → the dates (from `since` on) of the reports its lead agency (or `agency_id`)
    sent on it."""
    qs = ProgressReport.objects.filter(action_id__in=list(action_ids))
    if since is not None:
        qs = qs.filter(date__gte=since)
    qs = (
        qs.filter(agency_id=agency_id)
        if agency_id
        else qs.filter(agency_id=F("action__lead_agency_id"))
    )
    days: dict[int, set] = defaultdict(set)
    for action_id, day in qs.values_list("action_id", "date").distinct():
        days[action_id].add(day)
    return days


def compliance_inputs(
    data: PlanData, ids: Iterable[int] | None = None, until=None, since=None
) -> dict[int, scorecard.ComplianceAction]:
    """scorecard.ComplianceAction per action of a loaded plan (its lead agency's reports, and
    the effective history up to `until`, from `since` when given): the detail day by day, for
    the evidence of one agency or a strip of recent days."""
    ids = list(data.inputs) if ids is None else list(ids)
    reported = _reported_days(ids, since=since)
    steps = engine.history(ids, until or year_bounds(data.plan.year)[1], since=since)
    from_day = data.plan.communicated_on if data.plan.is_judged else None
    return {
        i: scorecard.ComplianceAction(
            id=i,
            start=data.inputs[i].start,
            end=data.inputs[i].end,
            from_day=from_day,
            reports=tuple(steps[i]),
            reported_days=frozenset(reported.get(i, ())),
        )
        for i in ids
    }


# --- the same counts without reading the history ---------------------------------------------


def _done_spells(
    rows: list[tuple[dt.date, float]], until: dt.date
) -> list[tuple[dt.date, dt.date]]:
    """The spells (first, last day) up to `until` in which A ≥ 100, from the effective reports
    (date, percent) dated from the first report of 100 on, in date and entry order."""
    spells, start = [], None
    by_day: dict[dt.date, float] = {}
    for on, pct in rows:
        by_day[on] = pct  # the last entry of a day decides it
    for on in sorted(by_day):
        done = by_day[on] >= 100
        if done and start is None:
            start = on
        elif not done and start is not None:
            spells.append((start, on - dt.timedelta(days=1)))
            start = None
    if start is not None:
        spells.append((start, until))
    return spells


def _chunks(items: list, size: int = 200):
    for k in range(0, len(items), size):
        yield items[k : k + size]


def compliance_counts(
    data: PlanData, ids: Iterable[int], *, start: dt.date, end: dt.date
) -> dict[int, tuple[int, int]]:
    """action id → (required, reported) (action, working day) pairs over start..end, as
    `scorecard.tally` counts them (a pair is required on each working day from communication on
    with start ≤ day ≤ end of the action and A < 100 that day; reported when the lead agency
    sent a report on the action dated that day), counted by the database without reading the
    history: one COUNT(DISTINCT date) over the index per action, the working days in O(1), and
    the days at 100 % from the few reports dated from the first report of 100 on."""
    ids = list(ids)
    if not data.plan.is_judged or not ids:
        return {i: (0, 0) for i in ids}
    calendar = data.calendar
    first_day = max(start, data.plan.communicated_on)
    windows = {}
    for i in ids:
        inp = data.inputs[i]
        if inp.start is None or inp.end is None:
            continue
        lo, hi = max(first_day, inp.start), min(end, inp.end)
        if lo <= hi:
            windows[i] = (lo, hi)
    out = {i: (0, 0) for i in ids}
    if not windows:
        return out
    reached = engine.reached_100(windows, end)
    spells: dict[int, list[tuple[dt.date, dt.date]]] = {}
    late_reports: dict[int, set[dt.date]] = {i: set() for i in reached}
    if reached:
        effective = ProgressReport.objects.effective()
        lead = {i: data.inputs[i].lead_agency_id for i in reached}
        rows_after: dict[int, list] = {i: [] for i in reached}
        for chunk in _chunks(list(reached)):
            after = Q()
            for i in chunk:
                after |= Q(action_id=i, date__gte=reached[i], date__lte=end)
            for a, on, pct in (
                effective.filter(after).order_by("action_id", "date", "id")
            ).values_list("action_id", "date", "percent"):
                rows_after[a].append((on, float(pct)))
            for a, on, agency in ProgressReport.objects.filter(after).values_list(
                "action_id", "date", "agency_id"
            ):
                if agency == lead[a]:
                    late_reports[a].add(on)
        spells = {i: _done_spells(rows_after[i], end) for i in reached}

    non_working = [
        day
        for day in (first_day + dt.timedelta(days=k) for k in range((end - first_day).days + 1))
        if not calendar.is_working(day)
    ]
    counted = (
        ProgressReport.objects.filter(
            action_id__in=list(windows),
            agency_id=F("action__lead_agency_id"),
            date__gte=Greatest(F("action__start"), Value(first_day)),
            date__lte=Least(F("action__end"), Value(end)),
        )
        .exclude(date__in=non_working)
        .order_by()
        .values("action_id")
        .annotate(n=Count("date", distinct=True))
        .values_list("action_id", "n")
    )
    reported = dict(counted)
    for i, (lo, hi) in windows.items():
        required = calendar.working_days_between(lo - dt.timedelta(days=1), hi)
        got = reported.get(i, 0)
        for s0, s1 in spells.get(i, ()):
            a0, a1 = max(s0, lo), min(s1, hi)
            if a0 <= a1:
                required -= calendar.working_days_between(a0 - dt.timedelta(days=1), a1)
                got -= sum(
                    1 for day in late_reports[i] if a0 <= day <= a1 and calendar.is_working(day)
                )
        out[i] = (required, got)
    return out


def _agency_compliance_inputs(agency: Agency, start: dt.date, end: dt.date, plan: Plan | None):
    """The agency's lead actions (of every communicated plan, or of `plan`) that overlap the
    period, as ComplianceActions, and the Action objects by id."""
    actions = Action.objects.filter(
        lead_agency=agency, plan__in=Plan.objects.judged(), start__lte=end, end__gte=start
    )
    if plan is not None:
        actions = actions.filter(plan=plan)
    actions = {
        a.id: a for a in actions.select_related("plan", "axis").order_by("axis__number", "code")
    }
    steps = engine.history(list(actions), end)
    reported = _reported_days(actions.keys(), agency.id)
    inputs = [
        scorecard.ComplianceAction(
            id=i,
            start=a.start,
            end=a.end,
            from_day=a.plan.communicated_on,
            reports=tuple(steps[i]),
            reported_days=frozenset(reported.get(i, ())),
        )
        for i, a in actions.items()
    ]
    return inputs, actions


def compliance_tally(
    *, agency: Agency, start: dt.date, end: dt.date, plan: Plan | None = None
) -> scorecard.ComplianceTally:
    """Required and reported (action, working day) pairs of the agency's lead actions over
    start..end, with the breakdown by action and by day."""
    inputs, _actions = _agency_compliance_inputs(agency, start, end, plan)
    return scorecard.tally(inputs, working_calendar().working_days(start, end))


def compliance(
    *, agency: Agency, start: dt.date, end: dt.date, plan: Plan | None = None
) -> float | None:
    """SPEC 4.3 reporting compliance of an agency over start..end (inclusive), in percent:
    reported pairs / required pairs; None when no pair was required."""
    return compliance_tally(agency=agency, start=start, end=end, plan=plan).percent


@dataclass
class ActionCompliance:
    action: Action
    required: int
    reported: int
    last_missed: dt.date | None = None

    @property
    def missed(self) -> int:
        return self.required - self.reported

    @property
    def percent(self) -> float | None:
        return scorecard.share(self.reported, self.required)


@dataclass
class DayCompliance:
    day: dt.date
    required: int
    reported: int

    @property
    def percent(self) -> float | None:
        return scorecard.share(self.reported, self.required)


def _by_action(tally: scorecard.ComplianceTally, actions: dict[int, Action]) -> list:
    last_missed: dict[int, dt.date] = {}
    for action_id, day in tally.missed:  # newest first
        last_missed.setdefault(action_id, day)
    rows = [
        ActionCompliance(actions[i], req, rep, last_missed.get(i))
        for i, (req, rep) in tally.by_action.items()
        if req > 0
    ]
    # The worst first: the lowest share, then the most missed.
    rows.sort(key=lambda r: (r.percent if r.percent is not None else 101, -r.missed, r.action.code))
    return rows


def compliance_by_action(
    *, agency: Agency, start: dt.date, end: dt.date, plan: Plan | None = None
) -> list[ActionCompliance]:
    """Per lead action with at least one required pair over start..end: required, reported,
    share and the last missed day; the worst first."""
    inputs, actions = _agency_compliance_inputs(agency, start, end, plan)
    tally = scorecard.tally(inputs, working_calendar().working_days(start, end))
    return _by_action(tally, actions)


def compliance_by_day(
    *, agency: Agency, start: dt.date, end: dt.date, plan: Plan | None = None
) -> list[DayCompliance]:
    """Per working day of start..end: pairs required and reported (days with nothing required
    included, with a share of None)."""
    tally = compliance_tally(agency=agency, start=start, end=end, plan=plan)
    return [DayCompliance(d, req, rep) for d, (req, rep) in sorted(tally.by_day.items())]


def last_working_days(end: dt.date, n: int = STRIP_WORKING_DAYS, first: dt.date | None = None):
    """The last `n` working days up to `end` (not before `first`), oldest first."""
    calendar = working_calendar()
    days, d = [], end
    floor = first or end - dt.timedelta(days=n * 3 + 30)
    while len(days) < n and d >= floor:
        if calendar.is_working(d):
            days.append(d)
        d -= dt.timedelta(days=1)
    return sorted(days)


# --- the compliance page of a plan ---------------------------------------------------------------


@dataclass
class AgencyCompliance:
    agency: Agency
    required: int
    reported: int
    recent_required: int
    recent_reported: int
    lead_actions: int
    unreported: int
    stalled: int

    @property
    def percent(self) -> float | None:
        return scorecard.share(self.reported, self.required)

    @property
    def recent_percent(self) -> float | None:
        return scorecard.share(self.recent_reported, self.recent_required)

    @property
    def missed(self) -> int:
        return self.required - self.reported


@dataclass
class PlanCompliance:
    as_of: dt.date
    first_day: dt.date | None
    recent_days: list[dt.date]
    agencies: list[AgencyCompliance]
    by_day: list[DayCompliance]
    required: int = 0
    reported: int = 0

    @property
    def percent(self) -> float | None:
        return scorecard.share(self.reported, self.required)


def plan_compliance(*, plan: Plan, as_of: dt.date, agency_ids: set[int] | None = None):
    """Compliance of every agency that leads actions in the plan, from communication to
    `as_of` and over the last 30 working days, with its unreported and stalled actions, and the
    plan's compliance per working day over those last 30 days."""
    pf = figures(plan, as_of)
    as_of = pf.as_of
    data, figs = pf.data, pf.actions
    first = plan.communicated_on if plan.is_judged else None
    recent = last_working_days(as_of, first=first) if first and first <= as_of else []
    by_agency: dict[int, list[int]] = defaultdict(list)
    for i, a in data.inputs.items():
        if a.lead_agency_id and (agency_ids is None or a.lead_agency_id in agency_ids):
            by_agency[a.lead_agency_id].append(i)
    agencies = Agency.objects.in_bulk(list(by_agency))
    lead_ids = [i for ids in by_agency.values() for i in ids]
    counts = compliance_counts(data, lead_ids, start=first, end=as_of) if recent else {}
    inputs = compliance_inputs(data, lead_ids, until=as_of, since=recent[0]) if recent else {}
    whole = scorecard.tally(inputs.values(), recent)
    rows = []
    total_req = total_rep = 0
    for g, ids in by_agency.items():
        required = sum(counts.get(i, (0, 0))[0] for i in ids)
        reported = sum(counts.get(i, (0, 0))[1] for i in ids)
        t_recent = scorecard.tally((inputs[i] for i in ids if i in inputs), recent)
        total_req += required
        total_rep += reported
        rows.append(
            AgencyCompliance(
                agency=agencies[g],
                required=required,
                reported=reported,
                recent_required=t_recent.required,
                recent_reported=t_recent.reported,
                lead_actions=len(ids),
                unreported=sum(1 for i in ids if figs[i].unreported),
                stalled=sum(1 for i in ids if figs[i].status == Status.STALLED),
            )
        )
    rows.sort(key=lambda r: (r.percent if r.percent is not None else 101, r.agency.name))
    return PlanCompliance(
        as_of=as_of,
        first_day=first if recent else None,
        recent_days=recent,
        agencies=rows,
        by_day=[DayCompliance(d, req, rep) for d, (req, rep) in sorted(whole.by_day.items())],
        required=total_req,
        reported=total_rep,
    )
