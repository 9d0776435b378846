"""Building a plan and communicating it (SPEC 4.1), for the secretariat only. Writes go through
services.py; these views only read forms and show the quality check."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ronagh.core.decorators import secretariat_required
from ronagh.core.errors import Conflict
from ronagh.core.forms import add_service_errors

from .. import selectors, services
from ..forms import ActionForm, AxisForm, PlanForm, format_milestones, plain_decimal
from ..models import Action, Axis, Plan
from ..quality import plan_gaps


def _plan(request, pk: int) -> Plan:
    return get_object_or_404(selectors.visible_plans(request.user), pk=pk)


def _draft_or_redirect(request, plan: Plan):
    """A communicated plan is read-only here: say so and go back to it."""
    if plan.status == Plan.Status.DRAFT:
        return None
    messages.warning(request, _("The plan has been communicated; changes go through re-planning."))
    return redirect("plans:plan_edit", pk=plan.pk)


@secretariat_required
def plan_create(request):
    form = PlanForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                plan = services.create_plan(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The plan has been created as a draft."))
                return redirect("plans:plan_edit", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form}, status=status)


def _edit_context(plan: Plan) -> dict:
    axes = list(
        plan.axes.order_by("number").prefetch_related(
            "actions__lead_agency", "actions__partners", "actions__milestones"
        )
    )
    gaps = plan_gaps(plan) if plan.status == Plan.Status.DRAFT else []
    blocking = [g for g in gaps if g.blocking]
    warnings = [g for g in gaps if not g.blocking]
    flagged_actions = {g.action_id: g.blocking for g in warnings if g.action_id}
    flagged_actions.update({g.action_id: True for g in blocking if g.action_id})
    flagged_axes = {g.axis_id for g in blocking if g.axis_id}
    for axis in axes:
        axis.action_list = sorted(axis.actions.all(), key=lambda a: a.code)
        axis.has_blocking = axis.id in flagged_axes or any(
            flagged_actions.get(a.id) for a in axis.action_list
        )
        for action in axis.action_list:
            action.gap_level = (
                "blocking"
                if flagged_actions.get(action.id)
                else "warning"
                if action.id in flagged_actions
                else ""
            )
    return {
        "plan": plan,
        "axes": axes,
        "action_count": sum(len(a.action_list) for a in axes),
        "blocking": blocking,
        "warnings": warnings,
        "is_draft": plan.status == Plan.Status.DRAFT,
    }


@secretariat_required
def plan_edit(request, pk: int):
    plan = _plan(request, pk)
    return render(request, "plans/plan_edit.html", _edit_context(plan))


@secretariat_required
def axis_form(request, pk: int, axis_id: int | None = None):
    plan = _plan(request, pk)
    axis = get_object_or_404(Axis, plan=plan, pk=axis_id) if axis_id else None
    if (response := _draft_or_redirect(request, plan)) is not None:
        return response
    if axis is not None:
        initial = {"number": axis.number, "title": axis.title, "weight": plain_decimal(axis.weight)}
    else:
        last = plan.axes.order_by("-number").first()
        initial = {"number": (last.number + 1) if last else 1, "weight": 1}
    form = AxisForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_axis(actor=request.user, plan=plan, axis=axis, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Conflict as exc:
                messages.error(request, str(exc))
                return redirect("plans:plan_edit", pk=plan.pk)
            else:
                messages.success(request, _("The axis has been saved."))
                return redirect("plans:plan_edit", pk=plan.pk)
    context = {"plan": plan, "axis": axis, "form": form}
    return render(request, "plans/axis_form.html", context, status=status)


def _action_initial(plan: Plan, action: Action | None, request) -> dict:
    if action is None:
        axis_id = request.GET.get("axis")
        axis = plan.axes.filter(pk=axis_id).first() if axis_id and axis_id.isdigit() else None
        return {"axis": axis, "weight": 1}
    return {
        "axis": action.axis_id,
        "code": action.code,
        "title": action.title,
        "description": action.description,
        "lead_agency": action.lead_agency_id,
        "partners": list(action.partners.values_list("pk", flat=True)),
        "weight": plain_decimal(action.weight),
        "start": action.start,
        "end": action.end,
        "indicator": action.indicator,
        "target": plain_decimal(action.target),
        "unit": action.unit,
        "milestones": format_milestones(action.milestones.order_by("date")),
    }


@secretariat_required
def action_form(request, pk: int, action_id: int | None = None):
    plan = _plan(request, pk)
    action = get_object_or_404(Action, plan=plan, pk=action_id) if action_id else None
    if (response := _draft_or_redirect(request, plan)) is not None:
        return response
    form = ActionForm(
        request.POST or None, plan=plan, initial=_action_initial(plan, action, request)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_action(
                    actor=request.user, plan=plan, action=action, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Conflict as exc:
                messages.error(request, str(exc))
                return redirect("plans:plan_edit", pk=plan.pk)
            else:
                messages.success(request, _("The action has been saved."))
                return redirect("plans:plan_edit", pk=plan.pk)
    context = {"plan": plan, "action": action, "form": form}
    return render(request, "plans/action_form.html", context, status=status)


@require_POST
@secretariat_required
def communicate(request, pk: int):
    """ابلاغ: the plan's baseline is frozen and it starts taking reports."""
    plan = _plan(request, pk)
    try:
        services.communicate_plan(actor=request.user, plan=plan)
    except Conflict as exc:
        messages.warning(request, str(exc))
    except ValidationError as exc:
        context = _edit_context(plan)
        context["communicate_errors"] = exc.messages
        return render(request, "plans/plan_edit.html", context, status=400)
    else:
        messages.success(request, _("The plan has been communicated."))
    return redirect("plans:plan_edit", pk=plan.pk)


@require_POST
@secretariat_required
def close(request, pk: int):
    """The year is over: the plan takes no more reports (SPEC 4.1)."""
    plan = _plan(request, pk)
    try:
        services.close_plan(actor=request.user, plan=plan)
    except Conflict as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(request, _("The plan has been closed: it takes no more reports."))
    return redirect("plans:plan_dashboard", pk=plan.pk)
