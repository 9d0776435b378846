"""The scorecard pages: the league table of a plan's agencies, an agency's scorecard with its
compliance and written evaluations, reporting compliance by agency and day, the axes × agencies
heat-map, and the secretariat's review of suspicious patterns.

Every page starts from the scoping selectors: the governor, the secretariat and the auditor see
their province; an agency user only its own agency (the league table and the compliance page take
it to its own scorecard, the heat-map shows its own row, the flags are not for it)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import jdatetime
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from ronagh.core import pages
from ronagh.core.errors import Conflict
from ronagh.core.forms import add_service_errors
from ronagh.core.i18n import local_digits
from ronagh.core.pages import link as _link
from ronagh.core.pages import resolve_as_of
from ronagh.core.permissions import require
from ronagh.core.selectors import visible_agencies
from ronagh.lib import jalali
from ronagh.plans import selectors as plan_selectors
from ronagh.plans.figures import thresholds
from ronagh.plans.models import Plan

from . import charts, patterns, permissions, scorecard, selectors, services
from . import compliance as tallies
from . import heatmap as heat
from .forms import ClearFlagForm, EvaluationForm
from .models import SuspiciousFlag

FLAGS_PER_PAGE = 50
ACTIONS_SHOWN = 15  # compliance rows shown before "more"; the rest fold away


def _page(request, template: str, context: dict, status: int = 200):
    context.setdefault("grade_floors", scorecard.GRADES)
    return pages.page(request, template, context, status=status)


def _keep(as_of) -> str | None:
    return as_of.param


def _current_plan_or_list(request, route: str):
    plan = plan_selectors.current_plan(request.user, timezone.localdate())
    if plan is None:
        return redirect("plans:plan_list")
    return redirect(_link(reverse(route, args=[plan.pk]), as_of=request.GET.get("as_of")))


def _own_scorecard(request, plan: Plan | None = None):
    """Where an agency user lands instead of a page about every agency."""
    url = reverse("scorecards:agency", args=[request.user.agency_id])
    return redirect(
        _link(url, plan=plan.pk if plan else None, as_of=request.GET.get("as_of", "").strip())
    )


# --- the league table ---------------------------------------------------------------------------


@require_safe
@login_required
def league_current(request):
    if request.user.is_agency_user:
        return _own_scorecard(request) if request.user.agency_id else redirect("home")
    return _current_plan_or_list(request, "scorecards:league")


@require_safe
@login_required
def league(request, pk: int):
    user = request.user
    plan = get_object_or_404(plan_selectors.visible_plans(user), pk=pk)
    if user.is_agency_user:
        return _own_scorecard(request, plan) if user.agency_id else redirect("home")
    as_of = resolve_as_of(request, plan)
    rows = selectors.league_table(plan=plan, as_of=as_of.date)
    keep = _keep(as_of)
    for row in rows:
        row.url = _link(
            reverse("scorecards:agency", args=[row.agency.pk]), plan=plan.pk, as_of=keep
        )
    scored = [r for r in rows if r.grade]
    context = {
        "plan": plan,
        "plans": plan_selectors.visible_plans(user).filter(province=plan.province_id),
        "as_of": as_of,
        "keep": as_of.query,
        "rows": rows,
        "grade_counts": {g: sum(1 for r in scored if r.grade == g) for g in "ABCD"},
        "under": [r for r in rows if r.under_performing],
        "weights": selectors.score_weights(),
        "judged": plan.status != Plan.Status.DRAFT,
    }
    return _page(request, "scorecards/league.html", context)


# --- an agency's scorecard ----------------------------------------------------------------------


def _agency_plan(request, agency):
    """The plan an agency's scorecard is shown on: the one asked for, else the plan that judges
    the agency on the page's date (the API's rule, `judged_plan`)."""
    plans = plan_selectors.visible_plans(request.user).filter(province=agency.province_id)
    chosen, _raw, _error = pages.parse_as_of(request)
    plan = plan_selectors.plan_for_agency(
        request.user, agency, request.GET.get("plan", ""), chosen or timezone.localdate()
    )
    return plan, plans.order_by("-year")


def _agency_context(request, agency, form=None) -> dict:
    plan, plans = _agency_plan(request, agency)
    as_of = resolve_as_of(request, plan)
    context = {
        "agency": agency,
        "plan": plan,
        "plans": plans,
        "as_of": as_of,
        "keep": as_of.query,
        "weights": selectors.score_weights(),
        "may_evaluate": plan is not None
        and permissions.may_evaluate(request.user, plan.province_id),
    }
    if plan is None:
        return context
    card = selectors.agency_scorecard(plan=plan, agency=agency, as_of=as_of.date)
    first = plan.communicated_on if plan.is_judged else None
    by_action, strip = [], []
    if first and first <= as_of.date:
        days = tallies.last_working_days(as_of.date, first=first)
        by_action, strip = tallies.agency_compliance(
            agency=agency, start=first, end=as_of.date, strip=days, plan=plan
        )
    recent_req = sum(d.required for d in strip)
    recent_rep = sum(d.reported for d in strip)
    if form is None and context["may_evaluate"]:
        form = EvaluationForm(initial=_default_period(plan, as_of.date))
    context.update(
        {
            "card": card,
            "first_day": first,
            "by_action_top": by_action[:ACTIONS_SHOWN],
            "by_action_rest": by_action[ACTIONS_SHOWN:],
            "strip": strip,
            "strip_chart": charts.compliance_strip(strip) if strip else None,
            "recent_percent": scorecard.share(recent_rep, recent_req),
            "recent_required": recent_req,
            "recent_reported": recent_rep,
            "evaluations": selectors.evaluations_of(agency=agency, plan=plan),
            "form": form,
            "league_url": _link(reverse("scorecards:league", args=[plan.pk]), as_of=_keep(as_of)),
        }
    )
    return context


def _default_period(plan: Plan, as_of: dt.date) -> dict:
    """The form's proposal: the Jalali month before the as-of date's (the first month itself
    early in the year), inside the plan's year and not after the as-of date."""
    j = jalali.to_jalali(as_of)
    month = max(j.month - 1, 1)
    start = jdatetime.date(j.year, month, 1).togregorian()
    following = jdatetime.date(j.year + (month == 12), month % 12 + 1, 1).togregorian()
    first, last = jalali.year_bounds(plan.year)
    start = min(max(start, first), last)
    end = min(following - dt.timedelta(days=1), as_of, last)
    return {"period_start": start, "period_end": max(start, end)}


@require_safe
@login_required
def agency(request, pk: int):
    agency_obj = get_object_or_404(visible_agencies(request.user), pk=pk)
    return _page(request, "scorecards/agency.html", _agency_context(request, agency_obj))


@require_POST
@login_required
def add_evaluation(request, pk: int):
    agency_obj = get_object_or_404(visible_agencies(request.user), pk=pk)
    require(
        permissions.may_evaluate(request.user, agency_obj.province_id),
        _("Only the secretariat may do this."),
    )
    plan, _plans = _agency_plan(request, agency_obj)
    raw_plan = request.POST.get("plan", "")
    if raw_plan.isdigit():
        plan = get_object_or_404(
            plan_selectors.visible_plans(request.user).filter(province=agency_obj.province_id),
            pk=int(raw_plan),
        )
    form = EvaluationForm(request.POST)
    if plan is not None and form.is_valid():
        try:
            services.add_evaluation(
                actor=request.user, agency=agency_obj, plan=plan, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The evaluation has been kept with the agency's record."))
            url = reverse("scorecards:agency", args=[agency_obj.pk])
            return redirect(
                _link(url, plan=plan.pk, as_of=request.GET.get("as_of")) + "#evaluations"
            )
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
    context = _agency_context(request, agency_obj, form=form)
    return _page(request, "scorecards/agency.html", context, status=400)


# --- compliance of a plan's agencies -------------------------------------------------------------


@require_safe
@login_required
def compliance_current(request):
    if request.user.is_agency_user:
        return _own_scorecard(request) if request.user.agency_id else redirect("home")
    return _current_plan_or_list(request, "scorecards:compliance")


@require_safe
@login_required
def compliance(request, pk: int):
    user = request.user
    plan = get_object_or_404(plan_selectors.visible_plans(user), pk=pk)
    if user.is_agency_user:
        return _own_scorecard(request, plan) if user.agency_id else redirect("home")
    as_of = resolve_as_of(request, plan)
    pc = tallies.plan_compliance(plan=plan, as_of=as_of.date)
    keep = _keep(as_of)
    for row in pc.agencies:
        row.url = (
            _link(reverse("scorecards:agency", args=[row.agency.pk]), plan=plan.pk, as_of=keep)
            + "#compliance"
        )
    context = {
        "plan": plan,
        "plans": plan_selectors.visible_plans(user).filter(province=plan.province_id),
        "as_of": as_of,
        "keep": as_of.query,
        "pc": pc,
        "t": thresholds(),
        "strip_chart": charts.compliance_strip(pc.by_day) if pc.by_day else None,
        "recent_required": sum(d.required for d in pc.by_day),
        "recent_reported": sum(d.reported for d in pc.by_day),
    }
    context["recent_percent"] = scorecard.share(
        context["recent_reported"], context["recent_required"]
    )
    return _page(request, "scorecards/compliance.html", context)


# --- the heat-map --------------------------------------------------------------------------------


@require_safe
@login_required
def heatmap_current(request):
    return _current_plan_or_list(request, "scorecards:heatmap")


def _heat_height(rows: int) -> str:
    if rows <= 2:
        return "heat-xs"
    if rows <= 10:
        return "heat-s"
    if rows <= 20:
        return "heat-m"
    if rows <= 32:
        return "heat-l"
    return "heat-xl"


@require_safe
@login_required
def heatmap(request, pk: int):
    user = request.user
    plan = get_object_or_404(plan_selectors.visible_plans(user), pk=pk)
    as_of = resolve_as_of(request, plan)
    measure = request.GET.get("measure", "gap")
    measure = measure if measure in charts.MEASURES else "gap"
    only = (
        None if user.sees_everything else set(visible_agencies(user).values_list("pk", flat=True))
    )
    hm = heat.heatmap(plan=plan, as_of=as_of.date, agency_ids=only)
    keep = _keep(as_of)
    axes = [ax for ax in hm.axes if any((ax.id, g.id) in hm.cells for g in hm.agencies)]
    table = [(g, [hm.cells.get((ax.id, g.id)) for ax in axes]) for g in hm.agencies]
    here = reverse("scorecards:heatmap", args=[plan.pk])
    context = {
        "plan": plan,
        "plans": plan_selectors.visible_plans(user).filter(province=plan.province_id),
        "as_of": as_of,
        "keep": as_of.query,
        "measure": measure,
        "measure_links": {m: _link(here, measure=m, as_of=keep) for m in charts.MEASURES},
        "chart": charts.heatmap(hm, measure) if hm.cells else None,
        "legend": charts.legend(measure),
        "height": _heat_height(len(hm.agencies)),
        "axes": axes,
        "table": table,
        "agency_scoped": only is not None,
    }
    return _page(request, "scorecards/heatmap.html", context)


# --- suspicious patterns -------------------------------------------------------------------------


def _require_reviewer(user) -> None:
    require(
        permissions.may_read_flags(user), _("Suspicious patterns are reviewed by the secretariat.")
    )


@require_safe
@login_required
def flags(request):
    user = request.user
    _require_reviewer(user)
    plans = plan_selectors.visible_plans(user).order_by("-year")
    raw = request.GET.get("plan", "")
    plan = plans.filter(pk=int(raw)).first() if raw.isdigit() else None
    plan = plan or plan_selectors.current_plan(user, timezone.localdate())
    status = request.GET.get("status", "open")
    status = status if status in ("open", "cleared", "all") else "open"
    kind = request.GET.get("kind", "")
    kind = kind if kind in SuspiciousFlag.Kind.values else ""
    qs = selectors.visible_flags(user)
    if plan is not None:
        qs = qs.filter(action__plan=plan)
    counts = {
        "open": qs.filter(cleared_at__isnull=True).count(),
        "cleared": qs.filter(cleared_at__isnull=False).count(),
    }
    counts["all"] = counts["open"] + counts["cleared"]
    if status == "open":
        qs = qs.filter(cleared_at__isnull=True)
    elif status == "cleared":
        qs = qs.filter(cleared_at__isnull=False)
    if kind:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("-date", "-id"), FLAGS_PER_PAGE).get_page(request.GET.get("page"))
    here = reverse("scorecards:flags")
    base = {"plan": plan.pk if plan else None, "kind": kind}
    context = {
        "plan": plan,
        "plans": plans,
        "status": status,
        "kind": kind,
        "kinds": SuspiciousFlag.Kind.choices,
        "counts": counts,
        "page": page,
        "status_links": {s: _link(here, status=s, **base) for s in ("open", "cleared", "all")},
        "page_query": urlencode({k: v for k, v in {**base, "status": status}.items() if v}),
        "may_clear": plan is not None and permissions.may_review_flags(user, plan.province_id),
        "pt": patterns.Thresholds(),
        "clear_form": ClearFlagForm(),
        "next": request.get_full_path(),
    }
    return _page(request, "scorecards/flags.html", context)


def _safe_next(request, fallback: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return fallback


@require_POST
@login_required
def clear_flag(request, pk: int):
    user = request.user
    _require_reviewer(user)
    flag = get_object_or_404(selectors.visible_flags(user), pk=pk)
    back = _safe_next(request, reverse("scorecards:flags"))
    form = ClearFlagForm(request.POST)
    form.is_valid()
    try:
        services.clear_flag(actor=user, flag=flag, note=form.cleaned_data.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except Conflict as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(
            request, _("The flag on %(code)s has been cleared.") % {"code": flag.action.code}
        )
    return redirect(back)


@require_POST
@login_required
def detect(request, pk: int):
    user = request.user
    plan = get_object_or_404(plan_selectors.visible_plans(user), pk=pk)
    _first, last = jalali.year_bounds(plan.year)
    found = services.detect_flags(plan=plan, as_of=min(timezone.localdate(), last), actor=user)
    if found:
        n = len(found)
        messages.success(
            request,
            ngettext(
                "%(n)s new suspicious pattern found.", "%(n)s new suspicious patterns found.", n
            )
            % {"n": local_digits(n)},
        )
    else:
        messages.info(request, _("No new suspicious pattern found."))
    return redirect(_safe_next(request, _link(reverse("scorecards:flags"), plan=plan.pk)))
