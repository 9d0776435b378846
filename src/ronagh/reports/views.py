"""The reports page and the downloads: the year-end accountability report and the governor's
weekly brief, each as PDF or Excel, as of a chosen date. For the secretariat, the governor's
office and the auditors; an agency user gets 403 (the reports rank every agency)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ronagh.core import pages
from ronagh.lib import jalali
from ronagh.plans import charts
from ronagh.plans import selectors as plan_selectors
from ronagh.plans.figures import figures

from . import accountability, brief, selectors
from . import governor as overview
from .common import file_name

BUILDERS = {"accountability": accountability, "brief": brief}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _require_reader(user) -> None:
    if not selectors.may_run_reports(user):
        raise PermissionDenied(
            _("Reports are for the secretariat, the governor's office and the auditors.")
        )


def _index(request, *, plan=None, as_of_text: str = "", error: str = "", status: int = 200):
    user = request.user
    plans = selectors.report_plans(user)
    if plan is None:
        chosen = request.GET.get("plan", "")
        if chosen.isdigit():
            plan = plans.filter(pk=int(chosen)).first()
        if plan is None:
            current = plan_selectors.current_plan(user, timezone.localdate())
            plan = current if current is not None and plans.filter(pk=current.pk).exists() else None
            plan = plan or plans.first()
    if not as_of_text and plan is not None:
        as_of_text = jalali.format_date(selectors.default_as_of(plan, timezone.localdate()))
    context = {
        "plans": plans,
        "plan": plan,
        "as_of_text": as_of_text,
        "error": error,
    }
    return render(request, "reports/index.html", context, status=status)


@require_safe
@login_required
def index(request):
    """Choose a plan and a date, then download either report in either format."""
    _require_reader(request.user)
    return _index(request)


@require_safe
@login_required
def download(request, kind: str):
    """`?plan=ID&as_of=YYYY/MM/DD&format=pdf|xlsx`: the document as an attachment. Bad input
    shows the reports page again with the reason (400) and makes nothing."""
    if kind not in BUILDERS:
        raise Http404
    user = request.user
    _require_reader(user)
    plans = selectors.report_plans(user)
    as_of_text = request.GET.get("as_of", "").strip()[:40]
    plan = None
    fmt = request.GET.get("format", "pdf")
    try:
        if fmt not in selectors.FORMATS:
            raise selectors.ReportError(_("Choose PDF or Excel."))
        as_of = selectors.parse_as_of(as_of_text)
        plan = selectors.plan_for(as_of=as_of, plan_id=request.GET.get("plan"), plans=plans)
        selectors.check_as_of(plan, as_of)
    except selectors.ReportError as exc:
        return _index(request, plan=plan, as_of_text=as_of_text, error=str(exc), status=400)
    module = BUILDERS[kind]
    report = module.build(plan=plan, as_of=as_of)
    content = module.to_pdf(report) if fmt == "pdf" else module.to_xlsx(report)
    return pages.file_response(
        request,
        content,
        content_type=CONTENT_TYPES[fmt],
        filename=file_name(kind, plan, as_of, fmt),
    )


@require_safe
@login_required
def governor(request):
    """The governor's one page (his landing page, and the secretariat's): for any as-of date,
    the plan's planned / actual / gap with the week's trend, the league table, every grade D with
    why, the overdue obstacles and the HQ's execution rate. Prints on one A4 page; the weekly
    brief PDF lays out the same `governor.Overview`."""
    user = request.user
    _require_reader(user)
    plans = selectors.report_plans(user)
    chosen = request.GET.get("plan", "")
    plan = plans.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if plan is None:
        current = plan_selectors.current_plan(user, timezone.localdate())
        plan = plans.filter(pk=current.pk).first() if current is not None else None
    if plan is None:
        return redirect("plans:plan_list")
    as_of = pages.resolve_as_of(request, plan)
    pf = figures(plan, as_of.date)
    data = overview.build(plan=plan, as_of=as_of.date, pf=pf)
    context = {
        "plan": plan,
        "plans": plans,
        "as_of": as_of,
        "keep": as_of.query,
        "o": data,
        "curve_chart": charts.s_curve(pf.curve(), pf.as_of),
        "brief_query": urlencode(
            {"plan": plan.pk, "as_of": jalali.format_date(data.as_of), "format": "pdf"}
        ),
    }
    return pages.page(request, "reports/governor.html", context)
