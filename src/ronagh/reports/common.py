"""What both reports share: an action's line, the plan's headline, labels and file names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ronagh.core.i18n import local_digits
from ronagh.lib import jalali
from ronagh.plans import rollup
from ronagh.plans.charts import status_labels
from ronagh.plans.figures import PlanFigures
from ronagh.plans.models import Action, Plan
from ronagh.scorecards.scorecard import GRADES as GRADE_FLOORS
from ronagh.scorecards.scorecard import UNDER_PERFORMING

GRADES = (*(g for _floor, g in GRADE_FLOORS), UNDER_PERFORMING)


def grade_floors() -> dict[str, float]:
    """The lowest score of each grade but D (SPEC 4.4)."""
    return {g: floor for floor, g in GRADE_FLOORS}


def _n(value: float) -> str:
    return local_digits(f"{value:g}")


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


def worst_actions(pf: PlanFigures, n: int) -> list[ActionLine]:
    """The n actions furthest behind their schedule (largest gap first, then by code), as on
    the plan dashboard; only actions with a positive gap."""
    return [ActionLine(pf.data.actions[i], pf.actions[i]) for i in pf.worst(n)]


def file_name(kind: str, plan: Plan, as_of: dt.date, fmt: str) -> str:
    """e.g. 'accountability-qom-1405-09-04.pdf' (ASCII, Jalali date)."""
    return f"{kind}-{plan.province.code}-{jalali.format_date(as_of).replace('/', '-')}.{fmt}"
