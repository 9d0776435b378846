"""The national page (SPEC 9): the 31 provinces side by side on an as-of date, ranked in a
chart, with a drill-down into each province's own dashboard. For the national viewers only; a
province's own readers are sent to their province's dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ronagh.core import pages
from ronagh.core.pages import link, resolve_as_of
from ronagh.core.permissions import is_national
from ronagh.plans import charts as plan_charts

from . import charts
from .selectors import national


@require_safe
@login_required
def national_view(request):
    if not is_national(request.user):
        raise PermissionDenied(_("Only a national viewer sees the provinces side by side."))
    as_of = resolve_as_of(request)
    result = national(user=request.user, as_of=as_of.date)

    def dashboard(row) -> str:
        url = reverse("plans:plan_dashboard", args=[row.plan.pk])
        return link(url, as_of=as_of.param)

    ranked = result.ranked()
    labels = plan_charts.status_labels()
    rows = [
        (
            row,
            dashboard(row) if row.plan else "",
            [row.total.status_counts.get(s, 0) for s in labels] if row.total else [],
        )
        for row in result.rows
    ]
    with_plan = len(result.with_plan)
    totals = {
        "provinces": len(result.rows),
        "with_plan": with_plan,
        "without_plan": len(result.rows) - with_plan,
        "obstacles_open": sum(r.obstacles_open for r in result.rows),
        "obstacles_overdue": sum(r.obstacles_overdue for r in result.rows),
    }
    return pages.page(
        request,
        "national/national.html",
        {
            "as_of": as_of,
            "result": result,
            "rows": rows,
            "totals": totals,
            "status_labels": labels.values(),
            "blank_columns": 5 + len(labels),
            "chart_size": "s" if len(ranked) <= 8 else "m" if len(ranked) <= 16 else "l",
            "chart": charts.ranked(ranked, [dashboard(r) for r in ranked]) if ranked else None,
        },
    )
