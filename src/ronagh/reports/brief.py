"""The governor's weekly brief: the governor's page (`governor.Overview`) on one A4 page — the
headline figures and their change over the week, the S-curve, the league table with grades, every
grade-D agency with why, the overdue obstacles and the HQ's execution rate — and the same as an
Excel workbook, with the five actions furthest behind.

`build` gathers the figures through `governor.build`, so the brief and the page agree figure for
figure; `to_pdf` and `to_xlsx` only lay them out. `ronagh remind` sends it once a week
(`weekly.py`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import zip_longest

from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.pdf import render_pdf
from ronagh.obstacles.models import OPEN, Status
from ronagh.plans import rollup
from ronagh.plans.figures import PlanFigures, plan_data, thresholds
from ronagh.plans.models import Plan

from . import excel, governor, svg
from .common import ActionLine, grade_labels, status_label, worst_actions

TEMPLATE = "reports/brief_pdf.html"
WORST = 5
WEEK = governor.WEEK
LEAGUE_ROWS_MAX = 40  # more ranked agencies than this: the top and the bottom half of it


@dataclass
class Brief:
    overview: governor.Overview
    generated_at: dt.datetime
    worst: list[ActionLine]
    curve: list[tuple[dt.date, float, float]]

    # The overview's figures under the names the layouts use.
    @property
    def plan(self) -> Plan:
        return self.overview.plan

    @property
    def as_of(self) -> dt.date:
        return self.overview.as_of

    @property
    def total(self) -> rollup.Rollup:
        return self.overview.total

    @property
    def week_before(self) -> rollup.Rollup:
        return self.overview.week_before

    @property
    def unreported(self) -> int:
        return self.overview.unreported

    @property
    def league(self) -> list:
        """The ranked agencies, best first."""
        return self.overview.ranked

    @property
    def unranked(self) -> int:
        return self.overview.unranked

    @property
    def obstacles(self) -> dict:
        return self.overview.obstacles

    @property
    def week_start(self) -> dt.date:
        return self.as_of - dt.timedelta(days=WEEK - 1)

    @property
    def actual_change(self) -> float:
        return self.overview.actual_change

    @property
    def planned_change(self) -> float:
        return self.overview.planned_change

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


def build(*, plan: Plan, as_of: dt.date, pf: PlanFigures | None = None) -> Brief:
    """Every figure of the brief as of a date, from one load of the plan."""
    pf = pf or PlanFigures(plan_data(plan), as_of)
    return Brief(
        overview=governor.build(plan=plan, as_of=as_of, pf=pf),
        generated_at=timezone.now(),
        worst=worst_actions(pf, WORST),
        curve=pf.curve(),
    )


# --- PDF ---------------------------------------------------------------------------------------


def context(brief: Brief) -> dict:
    shown, left_out = brief.league_shown
    half = (len(shown) + 1) // 2
    obstacles = brief.obstacles or {}
    crowded = len(brief.overview.underperformers) + (1 if brief.show_obstacles else 0)
    return {
        "brief": brief,
        "o": brief.overview,
        "plan": brief.plan,
        "province": brief.plan.province,
        "as_of": brief.as_of,
        "doc_title": _("Weekly brief for the governor"),
        # A lower S-curve when the evidence needs room, so that the brief stays one page.
        "curve_chart": svg.s_curve(brief.curve, brief.as_of, height=95 if crowded > 2 else 130),
        "league_pairs": list(zip_longest(shown[:half], shown[half:])),
        "league_left_out": left_out,
        "unreported_days": thresholds().unreported_working_days,
        "grade_d_label": grade_labels()["D"],
        "statuses": [(s, status_label(s), n) for s, n in brief.total.status_counts.items()],
        "obstacle_statuses": _obstacle_statuses(obstacles.get("by_status", {})),
    }


def _obstacle_statuses(by_status: dict) -> list[tuple[str, int]]:
    """The open statuses with their names, in the order an obstacle moves through them."""
    return [(Status(s).label, by_status.get(s, 0)) for s in OPEN]


def to_pdf(brief: Brief) -> bytes:
    return render_pdf(TEMPLATE, context(brief))


def _why_rows(brief: Brief):
    """One row per costly action of each grade-D agency (one row when none cost anything)."""
    for u in brief.overview.underperformers:
        head = [u.agency.name, u.card.score]
        tail = [u.card.missed_reports, len(u.card.overdue_obstacles), len(u.overdue_clauses)]
        if not u.costly:
            yield [*head, "", "", None, None, None, None, *tail]
        for c in u.costly:
            fig = c.fig
            yield [*head, c.action.code, c.action.title, fig.planned, fig.actual, fig.gap, c.loss,
                   *tail]  # fmt: skip


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

    why_cols = [
        C(_("Agency"), "text", 40),
        C(_("Score"), "number", 9),
        C(_("Code"), "text", 10),
        C(_("Action that cost the most"), "text", 55),
        C(_("Planned (%)"), "number", 11),
        C(_("Actual (%)"), "number", 11),
        C(_("Gap (points)"), "number", 11),
        C(_("Progress lost (points)"), "number", 12),
        C(_("Missed reports"), "int", 10),
        C(_("Overdue obstacles"), "int", 10),
        C(_("Overdue HQ clauses"), "int", 10),
    ]
    ws = excel.add_sheet(wb, _("Under-performing"), why_cols)
    excel.add_rows(ws, why_cols, _why_rows(brief))

    counts = brief.total.status_counts
    execution = brief.overview.execution
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
        (_("Under-performing agencies"), len(brief.overview.underperformers)),
        (_("HQ execution rate (%)"), execution.percent),
        (_("HQ clauses due"), execution.due),
        (_("HQ clauses done on time"), execution.on_time),
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
