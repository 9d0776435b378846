"""The plan quality check of SPEC 4.1: the gaps the secretariat must see before communication.
Blocking gaps refuse communication; the others are warnings."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ronagh.core.models import Agency
from ronagh.lib.jalali import year_bounds
from ronagh.lib.text import normalize

from .models import Action, Plan

LONG_ACTION_DAYS = 90


@dataclass(frozen=True)
class Gap:
    code: str
    blocking: bool
    message: str
    action_id: int | None = None
    axis_id: int | None = None


def plan_gaps(plan: Plan) -> list[Gap]:
    """Every gap of the plan, blocking ones first."""
    first, last = year_bounds(plan.year)
    gaps: list[Gap] = []
    actions = list(
        Action.objects.filter(plan=plan)
        .select_related("axis", "lead_agency")
        .prefetch_related("milestones")
        .order_by("axis__number", "code")
    )
    for a in actions:
        label = {"code": a.code}
        if a.lead_agency_id is None:
            gaps.append(
                Gap("no_lead", True, _("Action %(code)s has no lead agency.") % label, a.id)
            )
        if a.start is None or a.end is None:
            gaps.append(
                Gap("no_dates", True, _("Action %(code)s has no start or end date.") % label, a.id)
            )
        else:
            if a.end < a.start:
                gaps.append(
                    Gap(
                        "end_before_start",
                        True,
                        _("Action %(code)s ends before it starts.") % label,
                        a.id,
                    )
                )
            if a.start < first or a.end > last:
                gaps.append(
                    Gap(
                        "outside_year",
                        True,
                        _("Action %(code)s has dates outside the plan year.") % label,
                        a.id,
                    )
                )
            if (a.end - a.start) > dt.timedelta(days=LONG_ACTION_DAYS) and not a.milestones.all():
                gaps.append(
                    Gap(
                        "no_milestones",
                        False,
                        _("Action %(code)s lasts more than 90 days and has no milestones.") % label,
                        a.id,
                    )
                )
        if not a.indicator or a.target is None:
            gaps.append(
                Gap(
                    "no_indicator",
                    False,
                    _("Action %(code)s has no indicator or target.") % label,
                    a.id,
                )
            )
    with_actions = {a.axis_id for a in actions}
    for axis in plan.axes.order_by("number"):
        if axis.id not in with_actions:
            gaps.append(
                Gap(
                    "empty_axis",
                    True,
                    _("Axis %(n)s has no actions.") % {"n": axis.number},
                    axis_id=axis.id,
                )
            )
    titles = Counter(normalize(a.title) for a in actions)
    for a in actions:
        if titles[normalize(a.title)] > 1:
            gaps.append(
                Gap(
                    "duplicate_title",
                    False,
                    _("Action %(code)s has the same title as another action.") % {"code": a.code},
                    a.id,
                )
            )
    leading = {a.lead_agency_id for a in actions} | set(
        Action.partners.through.objects.filter(action__plan=plan).values_list(
            "agency_id", flat=True
        )
    )
    for agency in Agency.objects.filter(province=plan.province).exclude(id__in=leading):
        gaps.append(
            Gap(
                "idle_agency",
                False,
                _("Agency “%(name)s” has no actions in this plan.") % {"name": agency.name},
            )
        )
    if not actions:
        gaps.append(Gap("no_actions", True, _("The plan has no actions.")))
    gaps.sort(key=lambda g: not g.blocking)
    return gaps


def blocking_gaps(plan: Plan) -> list[Gap]:
    return [g for g in plan_gaps(plan) if g.blocking]


@dataclass
class GapGroup:
    """The quality check's gaps of one kind."""

    code: str
    blocking: bool
    gaps: list


GAP_ORDER = (
    "no_actions",
    "no_lead",
    "no_dates",
    "end_before_start",
    "outside_year",
    "empty_axis",
    "no_milestones",
    "no_indicator",
    "duplicate_title",
    "idle_agency",
)


def gap_kind_title(code: str) -> str:
    """The heading of a kind of gap, in the reader's language."""
    titles = {
        "no_actions": _("Plan without actions"),
        "no_lead": _("Actions without a lead agency"),
        "no_dates": _("Actions without a start or end date"),
        "end_before_start": _("Actions that end before they start"),
        "outside_year": _("Actions with dates outside the plan year"),
        "empty_axis": _("Axes without actions"),
        "no_milestones": _("Long actions without milestones"),
        "no_indicator": _("Actions without an indicator or target"),
        "duplicate_title": _("Actions with duplicate titles"),
        "idle_agency": _("Agencies without actions"),
    }
    return titles.get(code, code)


def quality_groups(plan: Plan) -> list[GapGroup]:
    """The plan quality check (SPEC 4.1) grouped by kind: blocking kinds first."""
    groups: dict[str, GapGroup] = {}
    for gap in plan_gaps(plan):
        groups.setdefault(gap.code, GapGroup(gap.code, gap.blocking, [])).gaps.append(gap)

    def order(group: GapGroup):
        rank = GAP_ORDER.index(group.code) if group.code in GAP_ORDER else len(GAP_ORDER)
        return (not group.blocking, rank, group.code)

    return sorted(groups.values(), key=order)
