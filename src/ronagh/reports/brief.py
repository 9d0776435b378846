"""The governor's weekly brief: one page with the plan's headline figures and their change over
the week, the S-curve, the five actions furthest behind, the league table, and the open
obstacles when there are any.

`build` gathers the figures from the selectors; `to_pdf` and `to_xlsx` only lay them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import zip_longest

from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.pdf import render_pdf
from ronagh.obstacles.models import OPEN, Status
from ronagh.obstacles.selectors import open_obstacles_summary
from ronagh.plans import rollup
from ronagh.plans.figures import PlanFigures, plan_data, thresholds
from ronagh.plans.models import Plan
from ronagh.scorecards.selectors import league_table

from . import excel, svg
from .common import ActionLine, grade_labels, status_label, worst_actions

TEMPLATE = "reports/brief_pdf.html"
WORST = 5
WEEK = 7
LEAGUE_ROWS_MAX = 36  # more ranked agencies than this: the top and the bottom half of it
OBSTACLES_SHOWN = 4


@dataclass
class Brief:
    plan: Plan
    as_of: dt.date
    generated_at: dt.datetime
    total: rollup.Rollup
    week_before: rollup.Rollup
    unreported: int
    worst: list[ActionLine]
    league: list  # scorecards.selectors.AgencyScore, ranked, best first
    unranked: int
    curve: list[tuple[dt.date, float, float]]
    obstacles: dict | None

    @property
    def week_start(self) -> dt.date:
        return self.as_of - dt.timedelta(days=WEEK - 1)

    @property
    def actual_change(self) -> float:
        return self.total.actual - self.week_before.actual

    @property
    def planned_change(self) -> float:
        return self.total.planned - self.week_before.planned

    @property
    def spi(self) -> float | None:
        return self.total.spi

    @property
    def league_shown(self) -> tuple[list, int]:
        """The league rows on the page and how many were left out of its middle."""
        if len(self.league) <= LEAGUE_ROWS_MAX:
            return self.league, 0
        half = LEAGUE_ROWS_MAX // 2
        return self.league[:half] + self.league[-half:], len(self.league) - 2 * half

    @property
    def show_obstacles(self) -> bool:
        return bool(self.obstacles) and self.obstacles.get("open", 0) > 0


def build(*, plan: Plan, as_of: dt.date) -> Brief:
    """Every figure of the brief as of a date, from one load of the plan."""
    pf = PlanFigures(plan_data(plan), as_of)
    week_before = pf.at(as_of - dt.timedelta(days=WEEK)).total
    league = league_table(plan=plan, as_of=as_of, pf=pf)
    ranked = [s for s in league if s.rank is not None]
    return Brief(
        plan=plan,
        as_of=as_of,
        generated_at=timezone.now(),
        total=pf.total,
        week_before=week_before,
        unreported=sum(1 for f in pf.actions.values() if f.unreported),
        worst=worst_actions(pf, WORST),
        league=ranked,
        unranked=len(league) - len(ranked),
        curve=pf.curve(),
        obstacles=open_obstacles_summary(province=plan.province, as_of=as_of, top=OBSTACLES_SHOWN),
    )


# --- PDF ---------------------------------------------------------------------------------------


def context(brief: Brief) -> dict:
    shown, left_out = brief.league_shown
    half = (len(shown) + 1) // 2
    obstacles = brief.obstacles or {}
    return {
        "brief": brief,
        "plan": brief.plan,
        "province": brief.plan.province,
        "as_of": brief.as_of,
        "doc_title": _("Weekly brief for the governor"),
        # A lower S-curve when the obstacles need room, so that the brief stays one page.
        "curve_chart": svg.s_curve(
            brief.curve, brief.as_of, height=140 if brief.show_obstacles else 175
        ),
        "league_pairs": list(zip_longest(shown[:half], shown[half:])),
        "league_left_out": left_out,
        "unreported_days": thresholds().unreported_working_days,
        "grade_d_label": grade_labels()["D"],
        "critical": brief.total.status_counts.get(rollup.Status.CRITICAL, 0),
        "stalled": brief.total.status_counts.get(rollup.Status.STALLED, 0),
        "statuses": [(s, status_label(s), n) for s, n in brief.total.status_counts.items()],
        "obstacle_statuses": _obstacle_statuses(obstacles.get("by_status", {})),
        "obstacle_severities": sorted(obstacles.get("by_severity", {}).items(), reverse=True),
    }


def _obstacle_statuses(by_status: dict) -> list[tuple[str, int]]:
    """The open statuses with their names, in the order an obstacle moves through them."""
    return [(Status(s).label, by_status.get(s, 0)) for s in OPEN]


def to_pdf(brief: Brief) -> bytes:
    return render_pdf(TEMPLATE, context(brief))


# --- Excel -------------------------------------------------------------------------------------


def to_xlsx(brief: Brief) -> bytes:
    C = excel.Column
    plan = brief.plan
    wb = excel.new_workbook(title=_("Weekly brief for the governor"))

    worst_cols = [
        C(_("Code"), "text", 10),
        C(_("Action"), "text", 55),
        C(_("Lead agency"), "text", 34),
        C(_("Planned (%)"), "number", 11),
        C(_("Actual (%)"), "number", 11),
        C(_("Gap (points)"), "number", 11),
        C(_("Status"), "text", 12),
        C(_("Last report"), "date", 12),
    ]
    ws = excel.add_sheet(wb, _("Furthest behind"), worst_cols)
    excel.add_rows(
        ws,
        worst_cols,
        (
            [
                a.action.code,
                a.action.title,
                a.agency_name,
                a.fig.planned,
                a.fig.actual,
                a.fig.gap,
                a.status_label,
                a.fig.last_report,
            ]  # fmt: skip
            for a in brief.worst
        ),
    )

    league_cols = [
        C(_("Rank"), "int", 7),
        C(_("Agency"), "text", 40),
        C(_("Score"), "number", 9),
        C(_("Grade"), "text", 7),
        C(_("Progress (%)"), "number", 11),
        C(_("Reporting compliance (%)"), "number", 13),
        C(_("Obstacles resolved on time (%)"), "number", 14),
    ]
    ws = excel.add_sheet(wb, _("League table"), league_cols)
    excel.add_rows(
        ws,
        league_cols,
        (
            [s.rank, s.agency.name, s.score, s.grade or "", s.progress, s.compliance, s.obstacles]
            for s in brief.league
        ),
    )

    curve_cols = [
        C(_("Date"), "date", 12),
        C(_("Planned progress (%)"), "number", 14),
        C(_("Actual progress (%)"), "number", 14),
    ]
    ws = excel.add_sheet(wb, _("S-curve"), curve_cols)
    excel.add_rows(
        ws, curve_cols, ([d, p, a if d <= brief.as_of else None] for d, p, a in brief.curve)
    )

    if brief.show_obstacles:
        obs_cols = [
            C(_("Obstacle"), "text", 50),
            C(_("Responsible agency"), "text", 34),
            C(_("Severity"), "int", 8),
            C(_("Due date"), "date", 12),
            C(_("Days overdue"), "int", 10),
            C(_("Jobs affected"), "int", 10),
            C(_("Amount (rial)"), "int", 18),
        ]
        ws = excel.add_sheet(wb, _("Overdue obstacles"), obs_cols)
        excel.add_rows(
            ws,
            obs_cols,
            (
                [
                    o.get("title"),
                    o.get("agency"),
                    o.get("severity"),
                    o.get("due_date"),
                    o.get("days_overdue"),
                    o.get("jobs_affected"),
                    o.get("amount"),
                ]  # fmt: skip
                for o in brief.obstacles.get("oldest_overdue", [])
            ),
        )

    counts = brief.total.status_counts
    facts = [
        (_("Province"), plan.province.name),
        (_("Plan"), plan.title),
        (_("As of"), brief.as_of),
        (_("Week from"), brief.week_start),
        (_("Generated on"), timezone.localdate(brief.generated_at)),
        (_("Planned progress (%)"), brief.total.planned),
        (_("Actual progress (%)"), brief.total.actual),
        (_("Gap (points)"), brief.total.gap),
        (_("Actual progress gained this week (points)"), brief.actual_change),
        (_("Coverage (%)"), brief.total.coverage),
        (_("Actions"), brief.total.count),
        *[(status_label(s), counts.get(s, 0)) for s in counts],
        (_("Unreported actions"), brief.unreported),
        (_("Agencies ranked"), len(brief.league)),
    ]
    if brief.show_obstacles:
        o = brief.obstacles
        facts += [
            (_("Open obstacles"), int(o.get("open", 0))),
            (_("Overdue obstacles"), int(o.get("overdue", 0))),
            (_("Jobs affected by open obstacles"), int(o.get("jobs_affected", 0))),
            (_("Amount involved in open obstacles (rial)"), int(o.get("amount", 0))),
        ]
    facts.append((_("Sample data"), _("yes") if plan.is_sample else _("no")))
    excel.add_facts(wb, _("Summary"), _("Weekly brief for the governor"), facts)
    return excel.to_bytes(wb)
