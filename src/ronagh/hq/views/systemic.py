"""Systemic issues: the list, grouping obstacles of many firms with one cause, and one issue
with its referral to the national HQ."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ronagh.core.decorators import secretariat_required
from ronagh.core.errors import Conflict
from ronagh.core.forms import add_service_errors
from ronagh.core.permissions import require
from ronagh.obstacles.models import Category

from .. import permissions, selectors, services
from ..forms import ReferForm, SystemicForm
from .common import page, user_province


@require_safe
@login_required
def systemic_list(request):
    require(
        permissions.reads_whole_meetings(request.user),
        _("Systemic issues are for the secretariat, the governor and auditors."),
    )
    issues = selectors.with_systemic_figures(selectors.visible_systemic_issues(request.user))
    return page(request, "hq/systemic_list.html", {"issues": issues})


@secretariat_required
def systemic_create(request):
    province = user_province(request)
    if province is None:
        raise Http404(_("There is no province with agencies yet."))
    obstacles = selectors.groupable_obstacles(province_id=province.pk)
    category = request.GET.get("category", "")
    if category:
        obstacles = obstacles.filter(category=category)
    form = SystemicForm(request.POST or None, obstacles=obstacles)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                issue = services.group_systemic(
                    actor=request.user,
                    province=province,
                    obstacles=list(data["obstacles"]),
                    title=data["title"],
                    cause=data["cause"],
                    cause_kind=data["cause_kind"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The systemic issue has been recorded."))
                return redirect("hq:systemic", pk=issue.pk)
    context = {
        "form": form,
        "obstacles": obstacles,
        "chosen": {str(v) for v in (form["obstacles"].value() or [])},
        "categories": Category.choices,
        "category": category,
    }
    return page(request, "hq/systemic_form.html", context, status=status)


@login_required
def systemic_detail(request, pk: int):
    issue = get_object_or_404(selectors.visible_systemic_issues(request.user), pk=pk)
    form = ReferForm(request.POST or None, initial={"on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        require(
            permissions.may_manage(request.user, issue.province_id),
            _("Only the secretariat may do this."),
        )
        status = 400
        if form.is_valid():
            try:
                services.refer_systemic(
                    actor=request.user,
                    issue=issue,
                    on=form.cleaned_data.get("on"),
                    reference=form.cleaned_data.get("reference", ""),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Conflict as exc:
                messages.warning(request, str(exc))
                return redirect("hq:systemic", pk=issue.pk)
            else:
                messages.success(request, _("The issue has been referred to the national HQ."))
                return redirect("hq:systemic", pk=issue.pk)
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    context = {
        "issue": issue,
        "figures": selectors.systemic_figures(issue),
        "obstacles": issue.obstacles.select_related("responsible_agency", "unit").order_by(
            "-severity", "id"
        ),
        "form": form,
        "manages": permissions.may_manage(request.user, issue.province_id),
    }
    return page(request, "hq/systemic_detail.html", context, status=status)
