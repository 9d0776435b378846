"""Reads: agency scorecards and the league table (SPEC 4.4), reporting compliance (SPEC 4.3) by
agency, action and day, the axes × agencies heat-map, evaluations and suspicious-pattern flags.

Each plan is loaded once (`plans.selectors.plan_data`) and each action's figures computed once
for the as-of date; the reports that count for compliance come in one `values_list` query. The
numbers themselves are `scorecard.py`'s and `plans/rollup.py`'s pure functions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, QuerySet

from ronagh.core.calendar import working_calendar
from ronagh.core.models import Agency, User
from ronagh.lib.jalali import current_year
from ronagh.plans import rollup
from ronagh.plans import selectors as plan_selectors
from ronagh.plans.models import Action, Plan, ProgressReport

from . import scorecard
from .models import Evaluation, SuspiciousFlag

MISSED_PAIRS_CAP = 100  # missed (action, day) pairs kept on an AgencyScore, newest first
STRIP_WORKING_DAYS = 30  # the per-day compliance strip of the agency page


def score_weights() -> dict[str, float]:
    return dict(settings.RONAGH.get("SCORE_WEIGHTS", scorecard.DEFAULT_WEIGHTS))


# --- which plan an agency is judged on -----------------------------------------------------------


def judged_plans(province_id: int) -> QuerySet[Plan]:
    """Plans that have been communicated (communicated or closed): only those judge anyone."""
    return Plan.objects.filter(province_id=province_id, communicated_on__isnull=False).exclude(
        status=Plan.Status.DRAFT
    )


def scorecard_plan(agency: Agency, as_of: dt.date) -> Plan | None:
    """The plan an agency is judged on at `as_of`: its province's communicated plan of that
    Jalali year, else the newest communicated one of an earlier year, else None."""
    plans = judged_plans(agency.province_id)
    year = current_year(as_of)
    return plans.filter(year=year).first() or plans.filter(year__lt=year).order_by("-year").first()


# --- the obstacles component (another app's data, looked up lazily) ------------------------------


def obstacle_counts(agency: Agency, as_of: dt.date) -> tuple[int, int]:
    """(resolved on or before their due date, due by `as_of`) from the obstacles app; (0, 0) —
    the component absent — where that app does not provide it."""
    try:
        from ronagh.obstacles.selectors import obstacle_score_counts
    except ImportError:
        return 0, 0
    on_time, due = obstacle_score_counts(agency=agency, as_of=as_of)
    return int(on_time), int(due)


def overdue_obstacles_of(agency: Agency, as_of: dt.date) -> list:
    """The agency's overdue obstacles (evidence of an under-performing scorecard); empty where
    the obstacles app does not provide them."""
    try:
        from ronagh.obstacles.selectors import agency_overdue
    except ImportError:
        return []
    return list(agency_overdue(agency=agency, today=as_of))


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


def compliance_inputs(data: plan_selectors.PlanData, ids: Iterable[int] | None = None):
    """scorecard.ComplianceAction per action of a loaded plan (its lead agency's reports)."""
    ids = list(data.actions) if ids is None else list(ids)
    reported = _reported_days(ids)
    from_day = data.plan.communicated_on if data.plan.status != Plan.Status.DRAFT else None
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
        lead_agency=agency, plan__communicated_on__isnull=False, start__lte=end, end__gte=start
    ).exclude(plan__status=Plan.Status.DRAFT)
    if plan is not None:
        actions = actions.filter(plan=plan)
    actions = {
        a.id: a for a in actions.select_related("plan", "axis").order_by("axis__number", "code")
    }
    rows = plan_selectors.report_rows(actions.keys())
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


# --- the scorecard -------------------------------------------------------------------------------


@dataclass
class AgencyScore:
    """An agency's SPEC 4.4 scorecard as of a date, with its evidence.

    The components, the score and the rank are None where they cannot be computed (no plan, no
    lead action due, nothing required, no obstacle due). `critical_actions`, `stalled_actions`
    and `unreported_actions` are Action objects of the agency's lead actions, each with the
    attribute `figures` (plans.rollup.ActionFigures as of the date), the largest gap first.
    `missed_reports` is the count of required (action, working day) pairs not reported;
    `missed_pairs` the newest of them as (Action, day), at most MISSED_PAIRS_CAP;
    `missed_by_action` every action that missed any as (Action, count), the most first."""

    agency: Agency
    progress: float | None = None
    compliance: float | None = None
    obstacles: float | None = None
    score: float | None = None
    grade: str | None = None
    rank: int | None = None
    critical_actions: list = field(default_factory=list)
    stalled_actions: list = field(default_factory=list)
    missed_reports: int = 0
    overdue_obstacles: list = field(default_factory=list)
    # context
    plan: Plan | None = None
    as_of: dt.date | None = None
    lead_actions: int = 0
    due_actions: int = 0
    required_reports: int = 0
    reported_reports: int = 0
    obstacles_due: int = 0
    obstacles_on_time: int = 0
    unreported_actions: list = field(default_factory=list)
    missed_pairs: list = field(default_factory=list)
    missed_by_action: list = field(default_factory=list)
    ranked_of: int = 0

    @property
    def under_performing(self) -> bool:
        return self.grade == scorecard.UNDER_PERFORMING

    @property
    def components(self) -> dict[str, float | None]:
        return {
            "progress": self.progress,
            "compliance": self.compliance,
            "obstacles": self.obstacles,
        }


def _with_figures(actions: Iterable[Action], figs: dict) -> list[Action]:
    out = []
    for a in actions:
        a.figures = figs[a.id]
        out.append(a)
    out.sort(key=lambda a: (-a.figures.gap, a.code))
    return out


def _score_agency(
    agency: Agency,
    data: plan_selectors.PlanData | None,
    figs: dict,
    ids: list[int],
    tally: scorecard.ComplianceTally | None,
    as_of: dt.date,
    weights: dict[str, float],
) -> AgencyScore:
    out = AgencyScore(agency=agency, plan=data.plan if data else None, as_of=as_of)
    if data is not None and ids:
        out.lead_actions = len(ids)
        out.due_actions = sum(1 for i in ids if figs[i].planned > 0)
        out.progress = rollup.scorecard_progress(data.items(ids, figs), data.weights)
        actions = [data.actions[i] for i in ids]
        out.critical_actions = _with_figures(
            (a for a in actions if figs[a.id].status == "critical"), figs
        )
        out.stalled_actions = _with_figures(
            (a for a in actions if figs[a.id].status == "stalled"), figs
        )
        out.unreported_actions = _with_figures((a for a in actions if figs[a.id].unreported), figs)
    if tally is not None:
        out.compliance = tally.percent
        out.required_reports, out.reported_reports = tally.required, tally.reported
        out.missed_reports = tally.missed_count
        out.missed_pairs = [(data.actions[i], d) for i, d in tally.missed[:MISSED_PAIRS_CAP]]
        counts: dict[int, int] = defaultdict(int)
        for i, _d in tally.missed:
            counts[i] += 1
        out.missed_by_action = sorted(
            ((data.actions[i], n) for i, n in counts.items()), key=lambda r: (-r[1], r[0].code)
        )
    out.obstacles_on_time, out.obstacles_due = obstacle_counts(agency, as_of)
    out.obstacles = scorecard.obstacles_component(out.obstacles_on_time, out.obstacles_due)
    out.score, out.grade = scorecard.score_and_grade(out.components, weights)
    out.overdue_obstacles = overdue_obstacles_of(agency, as_of)
    return out


def is_judged(plan: Plan) -> bool:
    """Only a communicated (or closed) plan judges anyone; a draft is a schedule, not a yardstick."""
    return plan.status != Plan.Status.DRAFT and plan.communicated_on is not None


def _league(data: plan_selectors.PlanData, as_of: dt.date, agencies: list[Agency]):
    if not is_judged(data.plan):
        return [AgencyScore(agency=g, plan=data.plan, as_of=as_of) for g in agencies]
    figs = data.figures(as_of)
    by_agency: dict[int, list[int]] = defaultdict(list)
    for i, a in data.actions.items():
        if a.lead_agency_id:
            by_agency[a.lead_agency_id].append(i)
    inputs = compliance_inputs(data)
    days = data.calendar.working_days(data.plan.communicated_on, as_of)
    weights = score_weights()
    rows = []
    for agency in agencies:
        ids = by_agency.get(agency.id, [])
        tally = scorecard.tally((inputs[i] for i in ids), days) if ids else None
        rows.append(_score_agency(agency, data, figs, ids, tally, as_of, weights))
    ranks = scorecard.rank([r.score for r in rows])
    ranked = sum(1 for r in ranks if r is not None)
    for row, r in zip(rows, ranks, strict=True):
        row.rank, row.ranked_of = r, ranked
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.agency.name))
    return rows


def league_table(*, plan: Plan, as_of: dt.date) -> list[AgencyScore]:
    """Every agency of the plan's province, scored as of `as_of` on this plan and ranked by
    score, highest first (equal scores share a rank; agencies without a score come last, with
    no rank)."""
    data = plan_selectors.plan_data(plan)
    agencies = list(Agency.objects.filter(province_id=plan.province_id).order_by("name"))
    return _league(data, as_of, agencies)


def agency_scorecard(*, agency: Agency, as_of: dt.date) -> AgencyScore:
    """The agency's scorecard as of `as_of` on the plan it is judged on (`scorecard_plan`), with
    its rank among its province's agencies. Without such a plan only the obstacles component
    can be present."""
    plan = scorecard_plan(agency, as_of)
    if plan is None:
        return _score_agency(agency, None, {}, [], None, as_of, score_weights())
    return agency_scorecard_on(plan=plan, agency=agency, as_of=as_of)


def agency_scorecard_on(*, plan: Plan, agency: Agency, as_of: dt.date) -> AgencyScore:
    """The agency's scorecard on a given plan (the agency page lets the reader choose it)."""
    for row in league_table(plan=plan, as_of=as_of):
        if row.agency.id == agency.id:
            return row
    return _score_agency(agency, None, {}, [], None, as_of, score_weights())


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
    data = plan_selectors.plan_data(plan)
    figs = data.figures(as_of)
    inputs = compliance_inputs(data)
    first = plan.communicated_on if plan.status != Plan.Status.DRAFT else None
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
                stalled=sum(1 for i in ids if figs[i].status == "stalled"),
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


# --- the heat-map --------------------------------------------------------------------------------


@dataclass
class HeatCell:
    planned: float
    actual: float
    count: int

    @property
    def gap(self) -> float:
        return self.planned - self.actual

    @property
    def ratio(self) -> float | None:
        """100 · actual / planned; None before anything is planned."""
        return 100.0 * self.actual / self.planned if self.planned > 0 else None


@dataclass
class HeatMap:
    as_of: dt.date
    axes: list
    agencies: list[Agency]
    cells: dict[tuple[int, int], HeatCell]  # (axis id, agency id) → cell


def heatmap(*, plan: Plan, as_of: dt.date, agency_ids: set[int] | None = None) -> HeatMap:
    """Axes × agencies: the planned and actual rollup (SPEC 4.3 weights) of each agency's lead
    actions in each axis as of `as_of`. Only the agencies that lead an action (of `agency_ids`,
    when given) are columns; a cell exists where the agency leads actions in that axis."""
    data = plan_selectors.plan_data(plan)
    figs = data.figures(as_of)
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    agencies: dict[int, Agency] = {}
    for i, a in data.actions.items():
        if a.lead_agency_id and (agency_ids is None or a.lead_agency_id in agency_ids):
            groups[(a.axis_id, a.lead_agency_id)].append(i)
            agencies[a.lead_agency_id] = a.lead_agency
    cells = {}
    for key, ids in groups.items():
        r = rollup.rollup(data.items(ids, figs), data.weights, as_of)
        cells[key] = HeatCell(planned=r.planned, actual=r.actual, count=r.count)
    return HeatMap(
        as_of=as_of,
        axes=data.axes,
        agencies=sorted(agencies.values(), key=lambda g: g.name),
        cells=cells,
    )


# --- evaluations and flags -----------------------------------------------------------------------


def evaluations_of(*, agency: Agency, plan: Plan | None = None) -> QuerySet[Evaluation]:
    """The agency's written evaluations, the newest period first."""
    qs = Evaluation.objects.filter(agency=agency).select_related("author", "plan")
    return qs.filter(plan=plan) if plan is not None else qs


def evaluation_deadlines(plan: Plan) -> dict[int, list[dt.date]]:
    """agency id → the last days of the periods the secretariat evaluated it for in the plan
    (the dates a burst of progress before an evaluation is looked for)."""
    out: dict[int, list[dt.date]] = defaultdict(list)
    for agency_id, end in Evaluation.objects.filter(plan=plan).values_list(
        "agency_id", "period_end"
    ):
        out[agency_id].append(end)
    return out


def may_review_flags(user: User) -> bool:
    """The flags are the secretariat's work; the governor and the auditor may read them."""
    return bool(user.is_authenticated and user.sees_everything)


def visible_flags(user: User) -> QuerySet[SuspiciousFlag]:
    """The flags of the plans the user may see, for the readers of everything; none for an
    agency user."""
    if not may_review_flags(user):
        return SuspiciousFlag.objects.none()
    return SuspiciousFlag.objects.filter(
        action__plan__in=plan_selectors.visible_plans(user)
    ).select_related("action", "action__lead_agency", "action__plan", "report", "cleared_by")
