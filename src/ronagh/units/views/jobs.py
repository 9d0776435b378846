"""Jobs — the employment development document's targets against the net jobs ledger, gross
and net side by side, by year, sector and county — and the investment events with their totals
by year and country."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ronagh.core.forms import add_service_errors
from ronagh.core.pages import page
from ronagh.lib import jalali

from .. import charts, ledger, permissions, selectors, services
from ..forms import EventForm, TargetForm
from ..models import EventKind
from .common import user_province

DIMENSIONS = ("sector", "county")


def ledger_entries(user) -> list[ledger.Entry]:
    return [
        ledger.Entry(
            unit=e.unit_id,
            month=e.month,
            year=jalali.to_jalali(e.month).year,
            sector=e.unit.sector or "",
            county=e.unit.county.name if e.unit.county_id else "",
            created=e.created,
            kept=e.kept,
            lost=e.lost,
            evidence=e.evidence,
        )
        for e in selectors.visible_jobs(user)
    ]


@require_http_methods(["GET", "POST"])
@login_required
def jobs(request):
    province = user_province(request.user)
    may_edit = province is not None and permissions.may_edit_targets(request.user, province.pk)
    form = TargetForm(request.POST or None, province=province) if may_edit else None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("Only the secretariat may set employment targets."))
        if form.is_valid():
            try:
                services.set_target(actor=request.user, province=province, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The employment target was saved."))
                return redirect("units:jobs")
    by = request.GET.get("by", "sector")
    if by not in DIMENSIONS:
        by = "sector"
    entries = ledger_entries(request.user)
    targets: dict[tuple, int] = defaultdict(int)
    for t in selectors.visible_targets(request.user):
        key = (t.year, t.sector if by == "sector" else (t.county.name if t.county_id else ""))
        targets[key] += t.jobs
    summary = ledger.summarise(entries, key=lambda e: (e.year, getattr(e, by)), targets=targets)
    years = sorted({k[0] for k in summary}, reverse=True)
    by_year = ledger.summarise(
        entries,
        key=lambda e: (e.year,),
        targets={(y,): sum(v for k, v in targets.items() if k[0] == y) for y in years},
    )
    rows = sorted(summary.items(), key=lambda kv: (-kv[0][0], -kv[1].created, kv[0][1]))
    chart = charts.totals_bar(
        [str(y[0]) for y, _t in sorted(by_year.items())],
        {
            _("Declared as created"): [t.declared_created for _y, t in sorted(by_year.items())],
            _("Gross created"): [t.created for _y, t in sorted(by_year.items())],
            _("Net (created − lost)"): [t.net for _y, t in sorted(by_year.items())],
            _("Target"): [t.target or 0 for _y, t in sorted(by_year.items())],
        },
        _("Jobs"),
    )
    return page(
        request,
        "units/jobs.html",
        {
            "rows": rows,
            "by_year": sorted(by_year.items(), reverse=True),
            "by": by,
            "form": form,
            "chart": chart,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def events(request):
    province = user_province(request.user)
    may_edit = province is not None and permissions.may_edit_events(request.user, province.pk)
    form = EventForm(request.POST or None) if may_edit else None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("Only the secretariat may record investment events."))
        if form.is_valid():
            try:
                services.record_event(actor=request.user, province=province, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The event was recorded."))
                return redirect("units:events")
    qs = list(selectors.visible_events(request.user))

    def totals(key):
        out: dict = defaultdict(
            lambda: {"events": 0, "leads": 0, "memoranda": 0, "amount": Decimal(0)}
        )
        for e in qs:
            t = out[key(e)]
            t["events"] += 1
            t["leads"] += e.leads
            t["memoranda"] += e.memoranda
            t["amount"] += e.amount
        return out

    by_year = sorted(totals(lambda e: jalali.to_jalali(e.date).year).items(), reverse=True)
    by_country = sorted(
        totals(lambda e: e.country).items(), key=lambda kv: (-kv[1]["amount"], kv[0])
    )
    by_kind = totals(lambda e: e.kind)
    chart = charts.totals_bar(
        [c for c, _t in by_country[:12]],
        {
            _("Memoranda signed"): [t["memoranda"] for _c, t in by_country[:12]],
            _("Amount (million US dollars)"): [float(t["amount"]) for _c, t in by_country[:12]],
        },
        _("Count / million US dollars"),
    )
    return page(
        request,
        "units/events.html",
        {
            "events": qs,
            "by_year": by_year,
            "by_country": by_country,
            "by_kind": [(label, by_kind.get(value)) for value, label in EventKind.choices],
            "form": form,
            "chart": chart,
        },
    )
