"""The obstacle pages: the registry with its filters, registering, one obstacle with its history
and the steps the user may take, the secretariat's routing table and escalation list, and the
analytics page with its Excel export. Reads start from selectors.visible_obstacles; writes go
through services.py only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ronagh.core import pages
from ronagh.core.forms import add_service_errors
from ronagh.core.i18n import separator
from ronagh.core.models import Province, User
from ronagh.core.permissions import home_province_id, require
from ronagh.core.selectors import visible_agencies
from ronagh.lib import jalali
from ronagh.plans.selectors import visible_actions

from . import analytics, charts, export, permissions, selectors, services
from . import routing as routes
from .forms import FilterForm, ObstacleForm, ReportObstacleForm, TransitionForm
from .models import Category, Obstacle, Status, Transition
from .transitions import TRANSITIONS

PAGE_SIZE = 50


def user_province(user: User) -> Province | None:
    """The province a user works in (None for a national user)."""
    province_id = home_province_id(user)
    return Province.objects.get(pk=province_id) if province_id else None


def step_label(frm: str, to: str) -> str:
    """The button that makes a step, in words."""
    if to == Status.ASSIGNED:
        return _("Re-route to another agency") if frm == Status.ASSIGNED else _("Assign")
    if to == Status.IN_PROGRESS:
        return _("Reopen") if frm == Status.RESOLVED else _("Start work on it")
    return {
        Status.RESOLVED: _("Mark resolved"),
        Status.REFERRED_NATIONAL: _("Refer to the national HQ"),
        Status.REJECTED: _("Reject"),
    }[to]


def _steps(user: User, obstacle: Obstacle, bound: TransitionForm | None = None) -> list[dict]:
    """The steps this user may take now, each with its form (the one just sent keeps its input
    and errors)."""
    province = obstacle.province
    out = []
    for to in permissions.allowed_transitions(user, obstacle):
        rule = TRANSITIONS[(obstacle.status, to)]
        form = (
            bound
            if bound is not None and bound.data.get("to") == to
            else TransitionForm(initial={"to": to}, province=province, auto_id=f"id_{to}_%s")
        )
        if rule.agency_required and obstacle.responsible_agency_id:
            form.fields["agency"].queryset = form.fields["agency"].queryset.exclude(
                pk=obstacle.responsible_agency_id
            )
        out.append(
            {
                "to": to,
                "label": step_label(obstacle.status, to),
                "needs_agency": rule.agency_required,
                "needs_comment": rule.comment_required,
                "form": form,
                "open": bound is not None and bound.data.get("to") == to,
                "danger": to == Status.REJECTED,
            }
        )
    return out


# --- the registry --------------------------------------------------------------------------------


def _filtered(request, user: User, today):
    province = user_province(user)
    agencies = visible_agencies(user) if user.is_agency_user else None
    form = FilterForm(request.GET or None, province=province, agencies=agencies)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
    qs = selectors.filter_obstacles(selectors.visible_obstacles(user), today=today, **filters)
    return form, qs, bool(filters)


SORTS = {
    "new": ("-registered_at", "-id"),
    "due": ("due_date", "-severity", "id"),
    "severity": ("-severity", "due_date", "id"),
}


@require_safe
@login_required
def obstacle_list(request):
    """The registry: every obstacle the user may see, filtered and paginated."""
    user = request.user
    today = timezone.localdate()
    form, qs, filtered = _filtered(request, user, today)
    sort = request.GET.get("sort", "new")
    qs = qs.order_by(*SORTS.get(sort, SORTS["new"]))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = request.GET.copy()
    sort_query.pop("sort", None)
    sort_query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filtered": filtered,
        "today": today,
        "query": query.urlencode(),
        "sort": sort if sort in SORTS else "new",
        "sort_query": sort_query.urlencode(),
        "may_register": permissions.may_register(user),
    }
    return render(request, "obstacles/list.html", context)


@login_required
def obstacle_register(request):
    """Register an obstacle (secretariat and agency users); it is routed at once."""
    user = request.user
    require(permissions.may_register(user), _("Your role may not register obstacles."))
    province = user_province(user)
    form = ObstacleForm(request.POST or None, province=province)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                obstacle = services.register_obstacle(actor=user, province=province, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if obstacle.responsible_agency_id:
                    messages.success(
                        request,
                        _("The obstacle was registered and routed to %(agency)s.")
                        % {"agency": obstacle.responsible_agency},
                    )
                else:
                    messages.info(
                        request,
                        _("The obstacle was registered; the secretariat will assign an agency."),
                    )
                return redirect("obstacles:detail", pk=obstacle.pk)
    return render(request, "obstacles/register.html", {"form": form}, status=status)


@login_required
def obstacle_from_report(request, action_id: int):
    """An obstacle met on an action, from the daily report: a short form, the action linked, the
    obstacle registered and routed by services.register_obstacle like any other; then back to
    the report (its `next`), where the typed values wait in the browser."""
    user = request.user
    require(permissions.may_register(user), _("Your role may not register obstacles."))
    action = get_object_or_404(visible_actions(user).select_related("plan__province"), pk=action_id)
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("plans:daily_report")
    form = ReportObstacleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                obstacle = services.register_obstacle(
                    actor=user, province=action.plan.province, action=action, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                words = {"code": action.code, "agency": obstacle.responsible_agency}
                if obstacle.responsible_agency_id:
                    text = _(
                        "The obstacle met on %(code)s was registered and routed to %(agency)s."
                    )
                else:
                    text = _(
                        "The obstacle met on %(code)s was registered; the secretariat will "
                        "assign an agency."
                    )
                messages.success(request, text % words)
                return redirect(back)
    context = {"form": form, "action": action, "next": back}
    return render(request, "obstacles/from_report.html", context, status=status)


def _detail(request, obstacle: Obstacle, *, bound=None, error: str = "", status: int = 200):
    steps = _steps(request.user, obstacle, bound)
    if bound is not None and bound.errors and not any(s["open"] for s in steps):
        # The step sent is not one this user may take now (the page was stale).
        error = error or " ".join(m for msgs in bound.errors.values() for m in msgs)
    context = {
        "obstacle": obstacle,
        "history": list(selectors.transitions_of(obstacle)),
        "steps": steps,
        "today": timezone.localdate(),
        "error": error,
        "sla_days": routes.sla_days(obstacle.severity),
    }
    return render(request, "obstacles/detail.html", context, status=status)


@require_safe
@login_required
def obstacle_detail(request, pk: int):
    obstacle = get_object_or_404(selectors.visible_obstacles(request.user), pk=pk)
    return _detail(request, obstacle)


@require_POST
@login_required
def obstacle_transition(request, pk: int):
    """One step of the workflow from the detail page's forms."""
    obstacle = get_object_or_404(selectors.visible_obstacles(request.user), pk=pk)
    form = TransitionForm(
        request.POST, province=obstacle.province, auto_id=f"id_{request.POST.get('to', '')}_%s"
    )
    if not form.is_valid():
        return _detail(request, obstacle, bound=form, status=400)
    data = form.cleaned_data
    try:
        moved = services.transition(
            actor=request.user,
            obstacle=obstacle,
            to=data["to"],
            comment=data["comment"],
            agency=data["agency"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc, aliases={"to": None})
        return _detail(request, obstacle, bound=form, status=400)
    except PermissionDenied as exc:
        return _detail(request, obstacle, error=str(exc), status=403)
    messages.success(
        request,
        _("The obstacle is now “%(status)s”.") % {"status": moved.get_status_display()},
    )
    return redirect("obstacles:detail", pk=moved.pk)


# --- the secretariat's pages ---------------------------------------------------------------------


def _secretariat_province(request, user: User) -> Province:
    province = user_province(user)
    if province is not None:
        return province
    code = request.GET.get("province") or request.POST.get("province") or "qom"
    return get_object_or_404(Province, code=code)


@login_required
def routing(request):
    """The routing table: which agency obstacles of each category go to. The secretariat edits
    it; the governor and the auditor read it."""
    user = request.user
    require(permissions.may_read_routing(user), _("Only the secretariat keeps the routing table."))
    province = _secretariat_province(request, user)
    agencies = list(visible_agencies(user).filter(province=province).order_by("name"))
    by_id = {a.pk: a for a in agencies}
    errors: dict[str, str] = {}
    editable = permissions.may_edit_routing(user, province.pk)
    if request.method == "POST":
        require(editable, _("Only the secretariat may edit the routing table."))
        table = routes.routing_table(province)
        changed = 0
        for category in Category.values:
            raw = request.POST.get(category, "")
            agency = by_id.get(int(raw)) if raw.isdigit() else None
            if raw and agency is None:
                errors[category] = _("Choose one of the province's agencies.")
                continue
            current = table.get(category)
            if (current.agency_id if current else None) == (agency.pk if agency else None):
                continue
            try:
                routes.set_routing_rule(
                    actor=user, province=province, category=category, agency=agency
                )
            except ValidationError as exc:
                errors[category] = " ".join(exc.messages)
            else:
                changed += 1
        if not errors:
            messages.success(request, _("The routing table has been saved."))
            return redirect("obstacles:routing")
    table = routes.routing_table(province)
    rows = [
        {
            "category": value,
            "label": label,
            "rule": table.get(value),
            "chosen": request.POST.get(value, "")
            if request.method == "POST"
            else str(table[value].agency_id if value in table else ""),
            "error": errors.get(value, ""),
        }
        for value, label in Category.choices
    ]
    context = {
        "province": province,
        "rows": rows,
        "agencies": agencies,
        "editable": editable,
    }
    return render(request, "obstacles/routing.html", context, status=400 if errors else 200)


@require_safe
@login_required
def escalation(request):
    """Overdue obstacles (escalated to the secretariat) and bounced ones, with the overdue count
    of every agency."""
    user = request.user
    require(
        permissions.may_see_escalations(user),
        _("Only the secretariat, the governor and the auditor see this."),
    )
    today = timezone.localdate()
    visible = selectors.visible_obstacles(user)
    overdue = list(visible.overdue(today).order_by("due_date", "-severity", "id"))
    history = Prefetch(
        "transitions",
        queryset=Transition.objects.select_related("to_agency").order_by("at", "id"),
        to_attr="steps",
    )
    bounced = list(visible.bounced().prefetch_related(history).order_by("-bounces", "-id"))
    for o in bounced:
        chain = []
        for step in o.steps:
            if step.to_agency_id and (not chain or chain[-1].pk != step.to_agency_id):
                chain.append(step.to_agency)
        o.chain = chain
    waiting = visible.filter(status=Status.REGISTERED).order_by("registered_at")
    per_agency = (
        visible.overdue(today)
        .values("responsible_agency__id", "responsible_agency__name")
        .annotate(n=Count("id"))
        .order_by("-n", "responsible_agency__name")
    )
    context = {
        "today": today,
        "overdue": overdue,
        "bounced": bounced,
        "waiting": list(waiting),
        "per_agency": list(per_agency),
    }
    return render(request, "obstacles/escalation.html", context)


# --- analytics -----------------------------------------------------------------------------------


def _month(day) -> str:
    return jalali.format_date(day)[:7]


def _scope_text(user: User, form: FilterForm) -> str:
    parts = [str(user.agency) if user.is_agency_user and user.agency_id else _("All visible")]
    if form.is_bound and form.is_valid():
        for name, value in form.cleaned_data.items():
            if value in (None, "", False):
                continue
            field = form.fields[name]
            shown = jalali.format_date(value) if hasattr(value, "year") else value
            if hasattr(field, "choices") and not hasattr(value, "pk"):
                shown = dict(field.choices).get(value, value)
            parts.append(f"{field.label}: {shown}")
    return separator().join(str(p) for p in parts)


@require_safe
@login_required
def analytics_page(request):
    """Depth and dimensions: counts, jobs and money by category, agency, park, sector and county;
    ageing; time to resolve; bounces; with charts and an Excel export of the same figures."""
    user = request.user
    today = timezone.localdate()
    form, qs, filtered = _filtered(request, user, today)
    records = selectors.analytics_records(qs)
    by = request.GET.get("by", "category")
    if by not in analytics.DIMENSIONS:
        by = "category"
    categories = {k: str(v) for k, v in Category.choices}
    total = analytics.totals(records, today)
    on_time, resolved = analytics.resolved_on_time(records)
    groups = {d: analytics.by_dimension(records, d, today) for d in analytics.DIMENSIONS}
    ageing = analytics.ageing(records, today)
    query = request.GET.copy()
    query.pop("by", None)
    context = {
        "form": form,
        "filtered": filtered,
        "today": today,
        "total": total,
        "median_days": analytics.median_days_to_resolve(records),
        "on_time": on_time,
        "resolved": resolved,
        "on_time_pct": 100 * on_time / resolved if resolved else None,
        "ageing": ageing,
        "ageing_rows": [(charts.ageing_labels()[k], n) for k, n in ageing.items()],
        "by": by,
        "dimensions": export.dimension_titles(),
        "rows": groups[by],
        "labels": categories if by == "category" else {},
        "query": query.urlencode(),
        "export_query": request.GET.urlencode(),
        "chart_category": charts.groups_bar(groups["category"], categories),
        "chart_agency": charts.groups_bar(groups["agency"], {}),
        "chart_ageing": charts.ageing_bar(ageing),
        "chart_monthly": charts.monthly_bars(analytics.monthly(records, _month)),
        "chart_park": charts.groups_bar(groups["park"], {}),
    }
    return render(request, "obstacles/analytics.html", context)


@require_safe
@login_required
def analytics_xlsx(request):
    """The analytics page's figures and the obstacles behind them as an Excel workbook."""
    user = request.user
    today = timezone.localdate()
    form, qs, _filtered_flag = _filtered(request, user, today)
    body = export.analytics_workbook(
        records=selectors.analytics_records(qs),
        obstacles=list(qs.select_related("unit__park").order_by("id")),
        as_of=today,
        scope=_scope_text(user, form),
    )
    name = f"obstacles-{jalali.format_date(today).replace('/', '-')}.xlsx"
    return pages.file_response(
        request,
        body,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=name,
    )
