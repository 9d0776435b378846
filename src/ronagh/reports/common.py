"""What both reports share: an action's line, the plan's headline, labels and file names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ronagh.lib import jalali
from ronagh.lib.digits import to_persian
from ronagh.plans import rollup
from ronagh.plans import selectors as plan_selectors
from ronagh.plans.charts import status_labels
from ronagh.plans.models import Action, Plan

GRADES = ("A", "B", "C", "D")


def persian() -> bool:
    return (get_language() or "fa").startswith("fa")


def digits(value) -> str:
    return to_persian(value) if persian() else str(value)


def grade_floors() -> dict[str, float]:
    """The lowest score of each grade but D (SPEC 4.4), from the scorecards app."""
    try:
        from ronagh.scorecards.scorecard import GRADES as floors
    except ImportError:
        floors = ((90.0, "A"), (75.0, "B"), (60.0, "C"))
    return {g: floor for floor, g in floors}


def _n(value: float) -> str:
    return digits(f"{value:g}")


def grade_labels() -> dict[str, str]:
    """The grades of SPEC 4.4 with their boundaries, for a legend or a workbook."""
    floors = grade_floors()
    a, b, c = _n(floors["A"]), _n(floors["B"]), _n(floors["C"])
    return {
        "A": _("A (%(a)s and above)") % {"a": a},
        "B": _("B (%(b)s to %(a)s)") % {"a": a, "b": b},
        "C": _("C (%(c)s to %(b)s)") % {"b": b, "c": c},
        "D": _("D (below %(c)s): under-performing") % {"c": c},
    }


def status_label(status: str) -> str:
    return status_labels().get(status, status)


@dataclass
class ActionLine:
    """One action's figures as of the report's date, under the approved schedule and, where the
    plan keeps one, under the baseline communicated at the start."""

    action: Action
    fig: rollup.ActionFigures
    baseline: rollup.ActionFigures | None = None
    baseline_start: dt.date | None = None
    baseline_end: dt.date | None = None
    replanned: bool = False  # the approved schedule differs from the communicated one

    @property
    def agency_name(self) -> str:
        return self.action.lead_agency.name if self.action.lead_agency_id else ""

    @property
    def status_label(self) -> str:
        return status_label(self.fig.status)

    @property
    def baseline_status_label(self) -> str:
        return status_label(self.baseline.status) if self.baseline else ""


def worst_actions(data: plan_selectors.PlanData, figs: dict, n: int) -> list[ActionLine]:
    """The n actions furthest behind their schedule (largest gap first, then by code), as on
    the plan dashboard; only actions with a positive gap."""
    ids = sorted(
        (i for i in figs if figs[i].gap > 0), key=lambda i: (-figs[i].gap, data.actions[i].code)
    )[:n]
    return [ActionLine(data.actions[i], figs[i]) for i in ids]


def schedule_changed(a: rollup.ActionInput, b: rollup.ActionInput) -> bool:
    """Whether two schedules of one action differ (dates, weight or milestones)."""
    return (a.start, a.end, a.weight, tuple(a.milestones)) != (
        b.start,
        b.end,
        b.weight,
        tuple(b.milestones),
    )


def baseline_data(plan: Plan, live: plan_selectors.PlanData) -> plan_selectors.PlanData:
    """The plan as communicated (its frozen baseline), from the plans app when it provides
    `baseline_plan_data`; the live data otherwise."""
    loader = getattr(plan_selectors, "baseline_plan_data", None)
    if loader is None or not plan.baseline:
        return live
    return loader(plan)


def file_name(kind: str, plan: Plan, as_of: dt.date, fmt: str) -> str:
    """e.g. 'accountability-qom-1405-09-04.pdf' (ASCII, Jalali date)."""
    return f"{kind}-{plan.province.code}-{jalali.format_date(as_of).replace('/', '-')}.{fmt}"
