"""The year-end accountability report (SPEC 4.4): every agency ranked by its scorecard, with the
components, the grade, both baselines side by side, and the evidence behind every grade D.

`build` gathers the figures from the selectors (the scorecards app's league table, the plans
app's rollups on the approved schedule and on the communicated baseline); `to_pdf` and
`to_xlsx` only lay them out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.pdf import render_pdf
from ronagh.plans import rollup
from ronagh.plans.baseline import baseline_plan_data, schedule_changed
from ronagh.plans.figures import PlanFigures, plan_data
from ronagh.plans.models import Plan
from ronagh.scorecards.scorecard import UNDER_PERFORMING
from ronagh.scorecards.selectors import league_table, score_weights

from . import excel, svg
from .common import GRADES, ActionLine, grade_floors, grade_labels

TEMPLATE = "reports/accountability_pdf.html"
MISSED_ACTIONS_SHOWN = 5  # the actions with the most missed reports listed per grade D agency


@dataclass
class AgencyLine:
    """One agency of the league: its scorecard (scorecards.selectors.AgencyScore) and its lead
    actions' progress under the approved schedule and under the communicated baseline."""

    score: object
    lead_actions: int = 0
    actual: float | None = None
    planned: float | None = None
    baseline_planned: float | None = None
    baseline_progress: float | None = None  # the scorecard's progress component vs the baseline

    @property
    def agency(self):
        return self.score.agency

    @property
    def gap(self) -> float | None:
        return None if self.planned is None else self.planned - self.actual

    @property
    def baseline_gap(self) -> float | None:
        return None if self.baseline_planned is None else self.baseline_planned - self.actual

    @property
    def critical_count(self) -> int:
        return len(self.score.critical_actions)

    @property
    def stalled_count(self) -> int:
        return len(self.score.stalled_actions)

    @property
    def overdue_count(self) -> int:
        return len(self.score.overdue_obstacles)

    @property
    def overdue_rows(self) -> list[tuple]:
        """(obstacle, days overdue as of the report's date)."""
        as_of = self.score.as_of
        return [
            (o, (as_of - o.due_date).days if as_of and o.due_date else None)
            for o in self.score.overdue_obstacles
        ]

    @property
    def missed_by_action(self) -> list:
        return self.score.missed_by_action[:MISSED_ACTIONS_SHOWN]


@dataclass
class AccountabilityReport:
    plan: Plan
    as_of: dt.date
    generated_at: dt.datetime
    rows: list[AgencyLine]
    total: rollup.Rollup
    baseline_total: rollup.Rollup
    actions: list[ActionLine]
    weights: dict[str, float]
    has_baseline: bool
    grade_counts: dict[str, int] = field(default_factory=dict)

    @property
    def ranked(self) -> list[AgencyLine]:
        return [r for r in self.rows if r.score.rank is not None]

    @property
    def unranked(self) -> list[AgencyLine]:
        return [r for r in self.rows if r.score.rank is None]

    @property
    def under_performing(self) -> list[AgencyLine]:
        return [r for r in self.rows if r.score.grade == UNDER_PERFORMING]

    @property
    def replanned(self) -> list[ActionLine]:
        return [a for a in self.actions if a.replanned]

    @property
    def spi(self) -> float | None:
        return self.total.spi


def build(*, plan: Plan, as_of: dt.date) -> AccountabilityReport:
    """Every figure of the report as of a date, from one load of the plan (the baseline is the
    same load with the communicated schedule)."""
    data = plan_data(plan)
    base = baseline_plan_data(plan, data)
    live = PlanFigures(data, as_of)
    orig = PlanFigures(base, as_of)
    live_agencies = {g.id: r for g, r in live.agencies}
    orig_agencies = {g.id: r for g, r in orig.agencies}
    lead_ids: dict[int, list[int]] = {}
    for i, a in data.inputs.items():
        if a.lead_agency_id:
            lead_ids.setdefault(a.lead_agency_id, []).append(i)

    rows = []
    for score in league_table(plan=plan, as_of=as_of, pf=live):
        g = score.agency.id
        ids = lead_ids.get(g, [])
        line = AgencyLine(score=score, lead_actions=len(ids))
        if g in live_agencies:
            line.actual = live_agencies[g].actual
            line.planned = live_agencies[g].planned
        if g in orig_agencies:
            line.baseline_planned = orig_agencies[g].planned
        if ids:
            line.baseline_progress = orig.scorecard_progress(g)
        rows.append(line)

    actions = [
        ActionLine(
            action=a,
            fig=live.actions[i],
            baseline=orig.actions.get(i),
            baseline_start=base.inputs[i].start if i in base.inputs else None,
            baseline_end=base.inputs[i].end if i in base.inputs else None,
            replanned=i in base.inputs and schedule_changed(data.inputs[i], base.inputs[i]),
        )
        for i, a in data.actions.items()
    ]
    counts = Counter(r.score.grade for r in rows if r.score.grade)
    return AccountabilityReport(
        plan=plan,
        as_of=as_of,
        generated_at=timezone.now(),
        rows=rows,
        total=live.total,
        baseline_total=orig.total,
        actions=actions,
        weights=score_weights(),
        has_baseline=base is not data,
        grade_counts={g: counts.get(g, 0) for g in GRADES},
    )


# --- PDF ---------------------------------------------------------------------------------------


def score_chart(report: AccountabilityReport):
    """A bar per ranked agency, coloured by grade, with the grade boundaries marked."""
    floors = grade_floors()
    a, b, c = floors["A"], floors["B"], floors["C"]
    bars = [
        svg.Bar(
            label=r.agency.name,
            value=r.score.score,
            color=svg.GRADE_COLORS.get(r.score.grade, svg.AXIS_COLOR),
        )
        for r in report.ranked
    ]
    return svg.bars(
        bars,
        title=_("Agency scores"),
        ticks=(0, c, b, a, 100),
        marks=(c, b, a),
        bands=((0, c, "D"), (c, b, "C"), (b, a, "B"), (a, 100, "A")),
    )


def context(report: AccountabilityReport) -> dict:
    return {
        "report": report,
        "plan": report.plan,
        "province": report.plan.province,
        "as_of": report.as_of,
        "doc_title": _("Year-end accountability report"),
        "score_chart": score_chart(report) if report.ranked else "",
        "grade_labels": grade_labels(),
        "floors": grade_floors(),
        "weights_pct": {k: round(v * 100) for k, v in report.weights.items()},
    }


def to_pdf(report: AccountabilityReport) -> bytes:
    return render_pdf(TEMPLATE, context(report))


# --- Excel -------------------------------------------------------------------------------------


def to_xlsx(report: AccountabilityReport) -> bytes:
    C = excel.Column
    plan = report.plan
    wb = excel.new_workbook(title=_("Year-end accountability report"))

    ranking_cols = [
        C(_("Rank"), "int", 7),
        C(_("Agency"), "text", 40),
        C(_("Progress (%)"), "number", 11),
        C(_("Reporting compliance (%)"), "number", 13),
        C(_("Obstacles resolved on time (%)"), "number", 14),
        C(_("Score"), "number", 9),
        C(_("Grade"), "text", 7),
        C(_("Lead actions"), "int", 10),
        C(_("Actual progress (%)"), "number", 12),
        C(_("Planned, approved schedule (%)"), "number", 14),
        C(_("Gap, approved schedule (points)"), "number", 14),
        C(_("Planned, communicated baseline (%)"), "number", 14),
        C(_("Gap, communicated baseline (points)"), "number", 14),
        C(_("Progress vs the baseline (%)"), "number", 13),
        C(_("Critical actions"), "int", 10),
        C(_("Stalled actions"), "int", 10),
        C(_("Missed reports"), "int", 10),
        C(_("Overdue obstacles"), "int", 10),
    ]
    ws = excel.add_sheet(wb, _("Ranking"), ranking_cols)
    excel.add_rows(
        ws,
        ranking_cols,
        (
            [
                r.score.rank,
                r.agency.name,
                r.score.progress,
                r.score.compliance,
                r.score.obstacles,
                r.score.score,
                r.score.grade or "",
                r.lead_actions,
                r.actual,
                r.planned,
                r.gap,
                r.baseline_planned,
                r.baseline_gap,
                r.baseline_progress,
                r.critical_count,
                r.stalled_count,
                r.score.missed_reports,
                r.overdue_count,
            ]
            for r in report.rows
        ),
    )

    evidence_cols = [
        C(_("Agency"), "text", 36),
        C(_("Evidence"), "text", 18),
        C(_("Code"), "text", 10),
        C(_("Title"), "text", 50),
        C(_("Planned (%)"), "number", 10),
        C(_("Actual (%)"), "number", 10),
        C(_("Gap (points)"), "number", 10),
        C(_("Date"), "date", 12),
        C(_("Count / days overdue"), "int", 14),
    ]
    ws = excel.add_sheet(wb, _("Evidence of grade D"), evidence_cols)
    excel.add_rows(ws, evidence_cols, _evidence_rows(report))

    action_cols = [
        C(_("Code"), "text", 10),
        C(_("Axis"), "int", 6),
        C(_("Action"), "text", 50),
        C(_("Lead agency"), "text", 32),
        C(_("Actual progress (%)"), "number", 11),
        C(_("Start, approved"), "date", 12),
        C(_("End, approved"), "date", 12),
        C(_("Planned, approved (%)"), "number", 11),
        C(_("Gap, approved (points)"), "number", 11),
        C(_("Status, approved"), "text", 12),
        C(_("Start, baseline"), "date", 12),
        C(_("End, baseline"), "date", 12),
        C(_("Planned, baseline (%)"), "number", 11),
        C(_("Gap, baseline (points)"), "number", 11),
        C(_("Status, baseline"), "text", 12),
        C(_("Re-planned"), "text", 9),
    ]
    ws = excel.add_sheet(wb, _("Actions, both baselines"), action_cols)
    excel.add_rows(
        ws,
        action_cols,
        (
            [
                a.action.code,
                a.action.axis.number,
                a.action.title,
                a.agency_name,
                a.fig.actual,
                a.action.start,
                a.action.end,
                a.fig.planned,
                a.fig.gap,
                a.status_label,
                a.baseline_start,
                a.baseline_end,
                a.baseline.planned if a.baseline else None,
                a.baseline.gap if a.baseline else None,
                a.baseline_status_label,
                _("yes") if a.replanned else _("no"),
            ]
            for a in report.actions
        ),
    )

    excel.add_facts(
        wb,
        _("Report"),
        _("Year-end accountability report"),
        [
            (_("Province"), plan.province.name),
            (_("Plan"), plan.title),
            (_("Jalali year"), str(plan.year)),  # text: no thousands separator
            (_("As of"), report.as_of),
            (_("Communicated on"), plan.communicated_on),
            (_("Generated on"), timezone.localdate(report.generated_at)),
            (_("Agencies ranked"), len(report.ranked)),
            *[(grade_labels()[g], report.grade_counts.get(g, 0)) for g in GRADES],
            (_("Planned progress, approved schedule (%)"), report.total.planned),
            (_("Planned progress, communicated baseline (%)"), report.baseline_total.planned),
            (_("Actual progress (%)"), report.total.actual),
            (_("Re-planned actions"), len(report.replanned)),
            (
                _("Score"),
                _("%(p)s%% progress + %(c)s%% reporting compliance + %(o)s%% obstacles")
                % {
                    "p": round(report.weights.get("progress", 0) * 100),
                    "c": round(report.weights.get("compliance", 0) * 100),
                    "o": round(report.weights.get("obstacles", 0) * 100),
                },
            ),
            (_("Sample data"), _("yes") if plan.is_sample else _("no")),
        ],
    )
    return excel.to_bytes(wb)


def _evidence_rows(report: AccountabilityReport):
    for r in report.under_performing:
        name = r.agency.name
        for a in r.score.critical_actions:
            f = a.figures
            yield [name, _("Critical action"), a.code, a.title, f.planned, f.actual, f.gap, None,
                   None]  # fmt: skip
        for a in r.score.stalled_actions:
            f = a.figures
            yield [name, _("Stalled action"), a.code, a.title, f.planned, f.actual, f.gap,
                   f.last_report, None]  # fmt: skip
        yield [name, _("Missed reports"), "", "", None, None, None, None, r.score.missed_reports]
        for a, n in r.missed_by_action:
            yield [name, _("Missed reports"), a.code, a.title, None, None, None, None, n]
        for o, days in r.overdue_rows:
            yield [name, _("Overdue obstacle"), "", o.title, None, None, None, o.due_date, days]
