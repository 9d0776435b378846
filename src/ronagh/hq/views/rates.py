"""The HQ's headline figure: the execution rate of its resolutions per meeting, agency and
month, on any date."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ronagh.core.pages import resolve_as_of
from ronagh.lib import jalali

from .. import charts, selectors
from .common import page


@require_safe
@login_required
def execution_rates(request):
    user = request.user
    as_of = resolve_as_of(request, None)
    result = selectors.execution_rates(user=user, as_of=as_of.date)
    whole = selectors.sees_whole_meetings(user)
    clauses_url = reverse("hq:clauses")
    meeting_rows = [
        {
            "label": _("Meeting %(n)s, %(date)s")
            % {"n": charts.digits(m.number), "date": charts.digits(jalali.format_date(m.date))},
            "url": reverse("hq:meeting", args=[m.pk]),
            "rate": r,
        }
        for m, r in result.meetings
    ]
    firm_label = charts.firm_label()
    agencies = [
        {
            "label": a.name if a else firm_label,
            "url": f"{clauses_url}?status=all&agency={a.pk}" if (a and whole) else "",
            "rate": r,
        }
        for a, r in result.agencies
    ]
    months = [{"label": charts.month_label(m), "rate": r} for m, r in result.months]
    rated_agencies = [(row["label"], row["rate"]) for row in agencies if row["rate"].due]
    rated_meetings = [
        (_("Meeting %(n)s") % {"n": charts.digits(m.number)}, r)
        for m, r in reversed(result.meetings)
        if r.due
    ]
    n = len(rated_agencies)
    agency_chart_size = "s" if n <= 6 else "m" if n <= 14 else "l" if n <= 24 else "xl"
    context = {
        "as_of": as_of,
        "total": result.total,
        "band": charts.band(result.total.percent),
        "meeting_rows": meeting_rows,
        "agencies": agencies,
        "months": months,
        "month_chart": charts.rate_by_month(result.months) if result.months else None,
        "agency_chart": charts.rate_by_label(rated_agencies) if rated_agencies else None,
        "meeting_chart": charts.rate_by_label(rated_meetings) if rated_meetings else None,
        "agency_chart_size": agency_chart_size,
        "whole_view": whole,
        "keep": as_of.query,
    }
    return page(request, "hq/rates.html", context)
