"""The governor's units view (at-risk units and jobs at risk by sector, park and county,
priority sectors, with charts), the parks and one park's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ronagh.core.pages import page
from ronagh.obstacles.selectors import visible_obstacles

from .. import charts, selectors
from ..models import ProductionUnit
from ..reasons import reasons
from ..risk import Level


def _at_risk_rows(units, limit: int = 30):
    """The units at medium or high risk now, the worst first, with their reasons."""
    scores = (
        selectors.latest_scores(units.not_closed())
        .filter(level__in=selectors.AT_RISK)
        .select_related("unit", "unit__park", "unit__county")
        .order_by("-score", "-unit__employees")[:limit]
    )
    return [{"score": s, "unit": s.unit, "reasons": reasons(s.contributions, 2)} for s in scores]


@require_safe
@login_required
def governor(request):
    units = selectors.visible_units(request.user)
    figures = selectors.jobs_at_risk(
        units, no_park=_("Outside any park"), no_county=_("Not stated")
    )
    counts = selectors.level_counts(units)
    priority_units = units.filter(priority=True)
    priority = selectors.jobs_at_risk(priority_units)
    totals = units.not_closed().aggregate(units=Count("id"), jobs=Sum("employees"))
    open_cases = visible_obstacles(request.user).open().filter(preventive_case__isnull=False)
    return page(
        request,
        "units/governor.html",
        {
            "figures": figures,
            "counts": counts,
            "totals": totals,
            "priority": priority,
            "priority_total": priority_units.not_closed().aggregate(
                units=Count("id"), jobs=Sum("employees")
            ),
            "rows": _at_risk_rows(units),
            "open_cases": open_cases.count(),
            "chart_sector": charts.groups_bar(figures.by_sector),
            "chart_park": charts.groups_bar(figures.by_park),
            "chart_county": charts.groups_bar(figures.by_county),
            "chart_priority": charts.groups_bar(priority.by_sector),
            "chart_trend": charts.level_trend(selectors.risk_trend(units)),
            "levels": charts.level_labels(),
            "Level": Level,
        },
    )


@require_safe
@login_required
def parks(request):
    units = selectors.visible_units(request.user)
    rows = []
    for park in selectors.visible_parks(request.user).order_by("name"):
        rows.append({"park": park, **selectors.park_figures(park, units)})
    open_by_park = dict(
        visible_obstacles(request.user)
        .open()
        .filter(Q(park__isnull=False) | Q(unit__park__isnull=False))
        .values_list("unit__park")
        .annotate(n=Count("id"))
    )
    for row in rows:
        row["open_obstacles"] = open_by_park.get(row["park"].pk, 0)
    return page(request, "units/parks.html", {"rows": rows})


@require_safe
@login_required
def park(request, pk: int):
    park = get_object_or_404(selectors.visible_parks(request.user), pk=pk)
    units = selectors.visible_units(request.user).filter(park=park)
    figures = selectors.park_figures(park, selectors.visible_units(request.user))
    risk = selectors.with_current_risk(units)
    obstacles = (
        visible_obstacles(request.user)
        .open()
        .filter(Q(park=park) | Q(unit__park=park))
        .order_by("-registered_at")
    )
    jobs = selectors.jobs_at_risk(units)
    return page(
        request,
        "units/park.html",
        {
            "park": park,
            "figures": figures,
            "rows": [(u, risk.get(u.pk)) for u in units.order_by("name")],
            "obstacles": obstacles[:30],
            "obstacles_count": obstacles.count(),
            "jobs": jobs,
            "chart_sector": charts.groups_bar(jobs.by_sector),
            "chart_trend": charts.level_trend(selectors.risk_trend(units)),
            "idle": units.filter(status=ProductionUnit.Status.IDLE),
        },
    )
