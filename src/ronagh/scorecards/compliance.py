"""Reporting compliance (SPEC 4.3) by agency, action and day: the (action, working day) pairs
required and reported, counted by `scorecard.py`'s pure functions from one query per set of
actions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F

from ronagh.core.calendar import working_calendar
from ronagh.core.models import Agency
from ronagh.plans.figures import PlanData, figures, report_rows
from ronagh.plans.models import Action, Plan, ProgressReport
from ronagh.plans.rollup import Status

from . import scorecard

STRIP_WORKING_DAYS = 30  # the per-day compliance strip of the agency page


# --- compliance ----------------------------------------------------------------------------------


def _reported_days(action_ids: Iterable[int], agency_id: int | None = None) -> dict:
    """action id → the dates of the reports its lead agency (or `agency_id`) sent on it."""
    qs = ProgressReport.objects.filter(action_id__in=list(action_ids))
    qs = (
        qs.filter(agency_id=agency_id)
        if agency_id
        else qs.filter(agency_id=F("action__lead_agency_id"))
    )
    days: dict[int, set] = defaultdict(set)
    for action_id, day in qs.values_list("action_id", "date").distinct():
        days[action_id].add(day)
    return days


def compliance_inputs(data: PlanData, ids: Iterable[int] | None = None):
    """scorecard.ComplianceAction per action of a loaded plan (its lead agency's reports)."""
    ids = list(data.actions) if ids is None else list(ids)
    reported = _reported_days(ids)
    from_day = data.plan.communicated_on if data.plan.is_judged else None
    return {
        i: scorecard.ComplianceAction(
            id=i,
            start=data.inputs[i].start,
            end=data.inputs[i].end,
            from_day=from_day,
            reports=data.inputs[i].reports,
            reported_days=frozenset(reported.get(i, ())),
        )
        for i in ids
    }


def _agency_compliance_inputs(agency: Agency, start: dt.date, end: dt.date, plan: Plan | None):
    """The agency's lead actions (of every communicated plan, or of `plan`) that overlap the
    period, as ComplianceActions, and the Action objects by id."""
    actions = Action.objects.filter(
        lead_agency=agency, plan__in=Plan.objects.judged(), start__lte=end, end__gte=start
    )
    if plan is not None:
        actions = actions.filter(plan=plan)
    actions = {
        # (the plan's baseline, a large JSON document, is not needed here)
        a.id: a
        for a in actions.select_related("plan", "axis")
        .defer("plan__baseline")
        .order_by("axis__number", "code")
    }
    rows = report_rows(list(actions))
    reported = _reported_days(actions.keys(), agency.id)
    inputs = [
        scorecard.ComplianceAction(
            id=i,
            start=a.start,
            end=a.end,
            from_day=a.plan.communicated_on,
            reports=tuple((d, p) for d, p, effective in rows.get(i, []) if effective),
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


def agency_compliance(
    *, agency: Agency, start: dt.date, end: dt.date, strip: list[dt.date], plan: Plan | None = None
) -> tuple[list[ActionCompliance], list[DayCompliance]]:
    """`compliance_by_action` over start..end and `compliance_by_day` over the working days
    `strip` (inside start..end) from one load of the agency's actions and reports: what the
    scorecard page shows."""
    inputs, actions = _agency_compliance_inputs(agency, start, end, plan)
    by_action = _by_action(
        scorecard.tally(inputs, working_calendar().working_days(start, end)), actions
    )
    by_day = []
    if strip:
        tally = scorecard.tally(inputs, strip)
        by_day = [DayCompliance(d, req, rep) for d, (req, rep) in sorted(tally.by_day.items())]
    return by_action, by_day


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
    data, figs = pf.data, pf.actions
    inputs = compliance_inputs(data)
    first = plan.communicated_on if plan.is_judged else None
    days = data.calendar.working_days(first, as_of) if first else []
    recent = days[-STRIP_WORKING_DAYS:]
    by_agency: dict[int, list[int]] = defaultdict(list)
    agencies: dict[int, Agency] = {}
    for i, a in data.actions.items():
        if a.lead_agency_id and (agency_ids is None or a.lead_agency_id in agency_ids):
            by_agency[a.lead_agency_id].append(i)
            agencies[a.lead_agency_id] = a.lead_agency
    rows = []
    whole = scorecard.tally((inputs[i] for ids in by_agency.values() for i in ids), recent)
    total_req = total_rep = 0
    for g, ids in by_agency.items():
        t_all = scorecard.tally((inputs[i] for i in ids), days)
        t_recent = scorecard.tally((inputs[i] for i in ids), recent)
        total_req += t_all.required
        total_rep += t_all.reported
        rows.append(
            AgencyCompliance(
                agency=agencies[g],
                required=t_all.required,
                reported=t_all.reported,
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
        first_day=days[0] if days else None,
        recent_days=recent,
        agencies=rows,
        by_day=[DayCompliance(d, req, rep) for d, (req, rep) in sorted(whole.by_day.items())],
        required=total_req,
        reported=total_rep,
    )
