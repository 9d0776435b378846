"""Permit applications: the list with the delays per issuing agency (days past the legal
deadline), an application with its competence score as advice beside the file, the officer's
decision, and the one-click HQ obstacle for an overdue one."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ronagh.core.errors import Conflict
from ronagh.core.forms import add_service_errors
from ronagh.core.pages import page

from .. import permissions, selectors, services
from ..competence import MAXIMA
from ..forms import DecisionForm, PermitForm
from ..models import Decision, Education
from .common import user_province


def part_labels() -> dict[str, str]:
    return {
        "education": _("Education of the managing director"),
        "experience": _("Years of relevant experience"),
        "failures": _("Earlier failed units"),
        "capital": _("Own capital against the project's cost"),
        "business_plan": _("Business plan"),
    }


def advice_labels() -> dict[str, str]:
    return {
        "strong": _("Strong file"),
        "review": _("Needs a close review"),
        "weak": _("Weak file: examine the manager's competence"),
    }


@require_safe
@login_required
def permit_list(request):
    today = timezone.localdate()
    qs = selectors.visible_permits(request.user)
    delays: dict[int, dict] = defaultdict(
        lambda: {"pending": 0, "overdue": 0, "days": [], "decided_late": 0}
    )
    agencies = {}
    for a in qs:
        agencies[a.issuing_agency_id] = a.issuing_agency
        row = delays[a.issuing_agency_id]
        late = a.days_late(today)
        if a.decision == Decision.PENDING:
            row["pending"] += 1
            if late:
                row["overdue"] += 1
                row["days"].append(late)
        elif late:
            row["decided_late"] += 1
    delay_rows = sorted(
        (
            {
                "agency": agencies[k],
                "pending": v["pending"],
                "overdue": v["overdue"],
                "decided_late": v["decided_late"],
                "max_days": max(v["days"], default=0),
                "total_days": sum(v["days"]),
            }
            for k, v in delays.items()
        ),
        key=lambda r: (-r["total_days"], r["agency"].name),
    )
    status = request.GET.get("status", "")
    shown = qs
    if status == "overdue":
        shown = shown.overdue(today)
    elif status in Decision.values:
        shown = shown.filter(decision=status)
    rows = [
        {"a": a, "late": a.days_late(today), "competence": services.competence_of(a)}
        for a in shown[:200]
    ]
    province = user_province(request.user)
    return page(
        request,
        "units/permits.html",
        {
            "rows": rows,
            "delay_rows": delay_rows,
            "status": status,
            "may_file": province is not None
            and permissions.may_file_permit(request.user, province.pk, request.user.agency_id),
            "advice": advice_labels(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def permit_new(request):
    province = user_province(request.user)
    if province is None or not permissions.may_file_permit(
        request.user, province.pk, request.user.agency_id
    ):
        raise PermissionDenied(
            _("Only the secretariat or the issuing agency may record a permit application.")
        )
    form = PermitForm(
        request.POST or None,
        province=province,
        units=selectors.visible_units(request.user),
        initial={"filed_on": timezone.localdate(), "issuing_agency": request.user.agency_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.file_application(
                actor=request.user, province=province, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The application was recorded."))
            return redirect("units:permit", pk=application.pk)
    return page(request, "units/permit_form.html", {"form": form})


def _permit_context(request, application, form=None) -> dict:
    today = timezone.localdate()
    c = services.competence_of(application)
    return {
        "a": application,
        "competence": c,
        "parts": [
            {"part": p, "label": part_labels()[p.code], "maximum": MAXIMA[p.code]} for p in c.parts
        ],
        "advice": advice_labels()[c.advice],
        "late": application.days_late(today),
        "education": dict(Education.choices).get(application.education, ""),
        "may_decide": application.decision == Decision.PENDING
        and permissions.may_decide_permit(request.user, application),
        "may_open_obstacle": (
            not application.obstacle_id
            and application.decision == Decision.PENDING
            and application.days_late(today) > 0
            and permissions.may_open_permit_obstacle(request.user, application)
        ),
        "form": form or DecisionForm(),
    }


@require_safe
@login_required
def permit_detail(request, pk: int):
    application = get_object_or_404(selectors.visible_permits(request.user), pk=pk)
    return page(request, "units/permit_detail.html", _permit_context(request, application))


@require_POST
@login_required
def permit_decide(request, pk: int):
    application = get_object_or_404(selectors.visible_permits(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide(
                actor=request.user,
                application=application,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc))
            return redirect("units:permit", pk=pk)
        else:
            messages.success(request, _("The decision and its reason were recorded."))
            return redirect("units:permit", pk=pk)
    return page(
        request, "units/permit_detail.html", _permit_context(request, application, form), status=400
    )


@require_POST
@login_required
def permit_obstacle(request, pk: int):
    application = get_object_or_404(selectors.visible_permits(request.user), pk=pk)
    try:
        application = services.open_delay_obstacle(actor=request.user, application=application)
    except Conflict as exc:
        messages.error(request, str(exc))
        return redirect("units:permit", pk=pk)
    messages.success(
        request, _("An HQ obstacle was opened for the delay and linked to the application.")
    )
    return redirect("obstacles:detail", pk=application.obstacle_id)
