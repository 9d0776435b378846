"""The governor's one page (his landing page, and the secretariat's) and the weekly brief's
figures, gathered once: the plan's planned / actual / gap with their change since a week before,
the league table with grades, every grade-D agency with why (the actions that cost it the most
score whatever their status, its missed reports, its overdue obstacles and clauses), the overdue
obstacles and the HQ's execution rate.

`build` reads everything from one `plans.figures(plan, as_of)`, `scorecards.selectors.
league_table`, the obstacles' QuerySet methods and `hq.selectors.execution_rate`; the page
(`views.governor`) and the PDF (`brief.py`) lay out the same `Overview`, so they cannot disagree.

**What an action cost**: SPEC 4.4's progress component is 100 · Σ w · min(A/P, 1) / Σ w over the
agency's lead actions already due (P > 0, w the effective weight). An action therefore costs
100 · w · (1 − min(A/P, 1)) / Σ w points of it (`scorecard.progress_losses`); the costs add up to
100 − progress, and the progress component weighs `SCORE_WEIGHTS["progress"]` of the score (its
share rescaled when the obstacles component is absent), which turns the cost into score points.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from ronagh.hq import rates
from ronagh.hq.selectors import execution_rate, overdue_clauses_by_agency
from ronagh.obstacles.selectors import open_obstacles_summary
from ronagh.plans import rollup
from ronagh.plans.figures import PlanFigures, figures
from ronagh.plans.models import Action, Plan
from ronagh.scorecards import scorecard
from ronagh.scorecards.selectors import AgencyScore, league_table, score_weights
from ronagh.units import selectors as units_selectors
from ronagh.units.models import ProductionUnit

WEEK = 7
COSTLY_SHOWN = 5  # actions listed under each grade-D agency
OBSTACLES_SHOWN = 5  # the longest overdue obstacles listed
EVIDENCE_SHOWN = 3  # obstacles and clauses listed under each grade-D agency


@dataclass
class CostlyAction:
    """A lead action of an under-performing agency and what it cost: `loss` in points of the
    progress component, `score_loss` in points of the score."""

    action: Action
    fig: rollup.ActionFigures
    weight: float
    loss: float
    score_loss: float


@dataclass
class Underperformer:
    """A grade-D agency with why: its scorecard (missed reports, overdue obstacles), the actions
    that cost it the most, and its HQ clauses overdue on the date."""

    card: AgencyScore
    costly: list[CostlyAction]
    overdue_clauses: list

    @property
    def agency(self):
        return self.card.agency

    @property
    def progress_lost(self) -> float | None:
        """100 − progress: the sum of every action's loss."""
        return None if self.card.progress is None else 100.0 - self.card.progress


@dataclass
class Overview:
    plan: Plan
    as_of: dt.date
    total: rollup.Rollup
    week_before: rollup.Rollup
    unreported: int
    league: list[AgencyScore]  # ranked, best first; the unranked after them
    underperformers: list[Underperformer]
    # obstacles.selectors.open_obstacles_summary: open, overdue, by status and severity, jobs,
    # amount and the longest overdue (dicts)
    obstacles: dict
    execution: rates.Rate
    progress_share: float  # the progress component's weight in the score, for the page's note
    # Jobs at risk (SPEC 6): the units register's figure for the plan's province, filled by
    # `jobs_at_risk` once production units are part of the product; None means "not known"
    # and the page shows nothing rather than a made-up number.
    jobs_at_risk: dict | None = None
    pf: PlanFigures | None = field(default=None, repr=False)

    @property
    def week_before_date(self) -> dt.date:
        return self.as_of - dt.timedelta(days=WEEK)

    @property
    def planned_change(self) -> float:
        return self.total.planned - self.week_before.planned

    @property
    def actual_change(self) -> float:
        return self.total.actual - self.week_before.actual

    @property
    def gap_change(self) -> float:
        return self.total.gap - self.week_before.gap

    @property
    def ranked(self) -> list[AgencyScore]:
        return [s for s in self.league if s.rank is not None]

    @property
    def unranked(self) -> int:
        return len(self.league) - len(self.ranked)

    @property
    def grade_counts(self) -> dict[str, int]:
        counts = Counter(s.grade for s in self.league if s.grade)
        return {g: counts.get(g, 0) for g in ("A", "B", "C", scorecard.UNDER_PERFORMING)}

    @property
    def obstacles_overdue(self) -> int:
        return self.obstacles["overdue"]

    @property
    def obstacles_open(self) -> int:
        return self.obstacles["open"]

    @property
    def oldest_overdue(self) -> list[dict]:
        return self.obstacles["oldest_overdue"]

    @property
    def execution_percent(self) -> float | None:
        return self.execution.percent


def jobs_at_risk(plan: Plan, as_of: dt.date) -> dict | None:
    """The jobs at risk of the plan's province on the date, as the units register computes them
    (SPEC 6: employees of the medium- and high-risk units of the newest month scored by then,
    closed units left out): `{"units", "jobs", "month"}`; None when no unit was scored by then."""
    units = ProductionUnit.objects.filter(province_id=plan.province_id).not_closed()
    month = units_selectors.latest_month(units, until=as_of)
    if month is None:
        return None
    figures = units_selectors.jobs_at_risk(units, month=month)
    return {"units": figures.units_at_risk, "jobs": figures.jobs_at_risk, "month": month}


def _costly(pf: PlanFigures, card: AgencyScore, share: float) -> list[CostlyAction]:
    ids = pf.data.lead_ids(card.agency.id)
    weights = pf.data.weights
    figs = pf.actions
    losses = scorecard.progress_losses(
        (i, weights.get(i, 0.0), figs[i].planned, figs[i].actual) for i in ids
    )
    rows = [
        CostlyAction(
            action=pf.data.actions[i],
            fig=figs[i],
            weight=weights.get(i, 0.0),
            loss=loss,
            score_loss=loss * share,
        )
        for i, loss in losses.items()
        if loss > 0
    ]
    rows.sort(key=lambda r: (-r.loss, r.action.code))
    return rows[:COSTLY_SHOWN]


def progress_share(card: AgencyScore, weights: dict[str, float]) -> float:
    """The share of the score the progress component carries for this agency: its weight over
    the weights of the components present."""
    present = [k for k, v in card.components.items() if v is not None and weights.get(k, 0) > 0]
    total = sum(weights[k] for k in present)
    return weights.get("progress", 0.0) / total if total and "progress" in present else 0.0


def build(*, plan: Plan, as_of: dt.date, pf: PlanFigures | None = None) -> Overview:
    """Every figure of the governor's page as of a date (kept inside the plan's year), from one
    load of the plan."""
    pf = pf or figures(plan, as_of)
    as_of = pf.as_of
    league = league_table(plan=plan, as_of=as_of, pf=pf)
    weights = score_weights()
    under = [s for s in league if s.under_performing]
    clauses = overdue_clauses_by_agency(
        province_id=plan.province_id, as_of=as_of, agency_ids=[s.agency.id for s in under]
    )
    underperformers = [
        Underperformer(
            card=s,
            costly=_costly(pf, s, progress_share(s, weights)),
            overdue_clauses=clauses.get(s.agency.id, []),
        )
        for s in under
    ]
    return Overview(
        plan=plan,
        as_of=as_of,
        total=pf.total,
        week_before=pf.at(as_of - dt.timedelta(days=WEEK)).total,
        unreported=sum(1 for f in pf.actions.values() if f.unreported),
        league=league,
        underperformers=underperformers,
        obstacles=open_obstacles_summary(province=plan.province, as_of=as_of, top=OBSTACLES_SHOWN),
        execution=execution_rate(as_of=as_of, province_id=plan.province_id),
        progress_share=weights.get("progress", 0.0),
        jobs_at_risk=jobs_at_risk(plan, as_of),
        pf=pf,
    )
