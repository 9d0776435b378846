"""Reads: agency scorecards and the league table (SPEC 4.4), written evaluations and the
suspicious-pattern flags. Compliance is `compliance.py`'s, the heat-map `heatmap.py`'s.

Every scorecard stands on one `plans.figures(plan, as_of)`; the plan that judges an agency is
`plans.selectors.judged_plan`, the one definition the pages, the API and the reports share. The
numbers themselves are `scorecard.py`'s and `plans/rollup.py`'s pure functions; the obstacle
counts of all agencies come in one query.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet

from ronagh.core.models import Agency, User
from ronagh.core.scoping import scoped
from ronagh.obstacles.selectors import obstacle_score_counts, overdue_by_agency
from ronagh.plans.figures import PlanFigures, clamp_to_year, figures
from ronagh.plans.models import Action, Plan
from ronagh.plans.rollup import Status
from ronagh.plans.selectors import judged_plan

from . import permissions, scorecard
from .compliance import compliance_counts, compliance_inputs
from .models import Evaluation, SuspiciousFlag

MISSED_PAIRS_CAP = 100  # missed (action, day) pairs kept on an AgencyScore, newest first


def score_weights() -> dict[str, float]:
    return dict(settings.RONAGH.get("SCORE_WEIGHTS", scorecard.DEFAULT_WEIGHTS))


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


def _tallies(
    pf: PlanFigures, agency_ids: Iterable[int], detail_for: set[int]
) -> dict[int, scorecard.ComplianceTally]:
    """Each agency's compliance tally from communication to the as-of date: the counts of all
    of them from the database in one statement (`compliance_counts`), and the day-by-day detail
    (the missed pairs) only for the agencies in `detail_for`."""
    data = pf.data
    by_agency = {g: data.lead_ids(g) for g in agency_ids}
    by_agency = {g: ids for g, ids in by_agency.items() if ids}
    start = pf.plan.communicated_on
    counts = compliance_counts(
        data, [i for ids in by_agency.values() for i in ids], start=start, end=pf.as_of
    )
    detailed = [i for g, ids in by_agency.items() if g in detail_for for i in ids]
    days = data.calendar.working_days(start, pf.as_of) if detailed else []
    inputs = compliance_inputs(data, detailed, until=pf.as_of) if detailed else {}
    out = {}
    for g, ids in by_agency.items():
        if g in detail_for:
            out[g] = scorecard.tally((inputs[i] for i in ids), days)
        else:
            out[g] = scorecard.ComplianceTally(
                required=sum(counts[i][0] for i in ids), reported=sum(counts[i][1] for i in ids)
            )
    return out


def _score(
    agency: Agency,
    pf: PlanFigures | None,
    tally: scorecard.ComplianceTally | None,
    counts: tuple[int, int],
    as_of: dt.date,
    weights: dict[str, float],
) -> AgencyScore:
    """The components, score and grade of one agency (no evidence)."""
    out = AgencyScore(agency=agency, plan=pf.plan if pf else None, as_of=as_of)
    if pf is not None:
        ids = pf.data.lead_ids(agency.id)
        out.lead_actions = len(ids)
        out.due_actions = sum(1 for i in ids if pf.actions[i].planned > 0)
        if ids:
            out.progress = pf.scorecard_progress(agency.id)
    if tally is not None:
        out.compliance = tally.percent
        out.required_reports, out.reported_reports = tally.required, tally.reported
        out.missed_reports = tally.missed_count
    out.obstacles_on_time, out.obstacles_due = counts
    out.obstacles = scorecard.obstacles_component(out.obstacles_on_time, out.obstacles_due)
    out.score, out.grade = scorecard.score_and_grade(out.components, weights)
    return out


def _add_evidence(
    out: AgencyScore, pf: PlanFigures | None, tally: scorecard.ComplianceTally | None, overdue
) -> None:
    """What an under-performing grade is shown with: critical, stalled and unreported actions,
    missed reports and overdue obstacles."""
    out.overdue_obstacles = list(overdue)
    if pf is None:
        return
    figs = pf.actions
    actions = [pf.data.actions[i] for i in pf.data.lead_ids(out.agency.id)]
    out.critical_actions = _with_figures(
        (a for a in actions if figs[a.id].status == Status.CRITICAL), figs
    )
    out.stalled_actions = _with_figures(
        (a for a in actions if figs[a.id].status == Status.STALLED), figs
    )
    out.unreported_actions = _with_figures((a for a in actions if figs[a.id].unreported), figs)
    if tally is None:
        return
    out.missed_pairs = [(pf.data.actions[i], d) for i, d in tally.missed[:MISSED_PAIRS_CAP]]
    counts: dict[int, int] = defaultdict(int)
    for i, _d in tally.missed:
        counts[i] += 1
    out.missed_by_action = sorted(
        ((pf.data.actions[i], n) for i, n in counts.items()), key=lambda r: (-r[1], r[0].code)
    )


def _province_scores(
    pf: PlanFigures, agencies: list[Agency], evidence_for: set[int]
) -> list[AgencyScore]:
    """Every agency scored on one plan as of its date and ranked (equal scores share a rank),
    with the evidence of those in `evidence_for`. A constant number of queries, whatever the
    number of agencies."""
    as_of, weights = pf.as_of, score_weights()
    ids = [g.id for g in agencies]
    counts = obstacle_score_counts(agency_ids=ids, as_of=as_of)
    if pf.plan.is_judged:
        tallies = _tallies(pf, ids, evidence_for)
        judged = pf
    else:
        tallies, judged = {}, None
    overdue = overdue_by_agency(agency_ids=evidence_for, today=as_of) if evidence_for else {}
    rows = []
    for agency in agencies:
        if judged is None:
            row = AgencyScore(agency=agency, plan=pf.plan, as_of=as_of)
        else:
            row = _score(agency, judged, tallies.get(agency.id), counts.get(agency.id, (0, 0)),
                         as_of, weights)  # fmt: skip
        if agency.id in evidence_for:
            _add_evidence(row, judged, tallies.get(agency.id), overdue.get(agency.id, []))
        rows.append(row)
    ranks = scorecard.rank([r.score for r in rows])
    ranked = sum(1 for r in ranks if r is not None)
    for row, r in zip(rows, ranks, strict=True):
        row.rank, row.ranked_of = r, ranked
    return rows


def _province_agencies(province_id: int) -> list[Agency]:
    return list(Agency.objects.filter(province_id=province_id).order_by("name"))


def league_table(*, plan: Plan, as_of: dt.date, pf: PlanFigures | None = None) -> list[AgencyScore]:
    """Every agency of the plan's province, scored as of `as_of` (kept inside the plan's year)
    on this plan with its evidence, ranked by score, highest first (equal scores share a rank;
    agencies without a score come last, with no rank). A draft plan judges no one."""
    pf = pf or figures(plan, as_of)
    agencies = _province_agencies(plan.province_id)
    rows = _province_scores(pf, agencies, evidence_for={g.id for g in agencies})
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.agency.name))
    return rows


def agency_scorecard(
    *, agency: Agency, as_of: dt.date, plan: Plan | None = None, pf: PlanFigures | None = None
) -> AgencyScore:
    """One agency's scorecard with its evidence and its rank in its province, on `plan` or else
    on the plan that judges it on `as_of` (`judged_plan`), the date kept inside that plan's year.
    Without such a plan only the obstacles component can be present. The other agencies are
    scored only as far as the rank needs (no evidence of theirs)."""
    plan = plan or (pf.plan if pf else None) or judged_plan(agency, as_of)
    if plan is None:
        counts = obstacle_score_counts(agency_ids=[agency.id], as_of=as_of)
        out = _score(agency, None, None, counts.get(agency.id, (0, 0)), as_of, score_weights())
        overdue = overdue_by_agency(agency_ids=[agency.id], today=as_of)
        _add_evidence(out, None, None, overdue.get(agency.id, []))
        return out
    pf = pf or figures(plan, clamp_to_year(plan, as_of))
    agencies = _province_agencies(plan.province_id)
    if agency.id not in {g.id for g in agencies}:
        agencies.append(agency)
    rows = _province_scores(pf, agencies, evidence_for={agency.id})
    return next(r for r in rows if r.agency.id == agency.id)


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


def visible_flags(user: User) -> QuerySet[SuspiciousFlag]:
    """The flags of the plans the user may see, for the readers of everything; none for an
    agency user (the flags are the secretariat's review of the agencies' reports)."""
    if not permissions.may_read_flags(user):
        return SuspiciousFlag.objects.none()
    qs = SuspiciousFlag.objects.select_related(
        "action", "action__lead_agency", "action__plan", "report", "cleared_by"
    )
    return scoped(qs, user, province="action__plan__province_id")
