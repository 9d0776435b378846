"""A plan's life after it is built (SPEC 4.1, 4.2): the quality check page, the communication
page with each agency's acknowledgement, the agency's acknowledgement page, and re-planning
(the request from the action page, the secretariat's list and decision). Writes go through
services.py; reads through selectors.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ronagh.core.errors import Conflict
from ronagh.core.forms import add_service_errors
from ronagh.core.models import Agency, User
from ronagh.core.permissions import require

from .. import permissions, selectors, services
from .. import quality as plan_quality
from ..baseline import Schedule, action_schedule, request_schedule, schedule_history
from ..forms import ReplanDecisionForm, ReplanRequestForm, format_milestones, plain_decimal
from ..models import Action, Plan, ReplanRequest
from .editing import secretariat_required


def _plan(request, pk: int) -> Plan:
    return get_object_or_404(selectors.visible_plans(request.user), pk=pk)


# --- the quality check -------------------------------------------------------------------------


@dataclass
class Fix:
    label: str
    url: str


def _fixes(plan: Plan, gap, agency_ids: dict[str, int]) -> list[Fix]:
    """Where the secretariat goes to fix a gap."""
    draft = plan.status == Plan.Status.DRAFT
    if gap.action_id:
        if draft:
            return [
                Fix(
                    _("Edit the action"),
                    reverse("plans:action_edit", args=[plan.pk, gap.action_id]),
                )
            ]
        return [
            Fix(_("Request re-planning"), reverse("plans:replan_request", args=[gap.action_id])),
            Fix(_("Open the action"), reverse("plans:action", args=[gap.action_id])),
        ]
    if gap.axis_id and draft:
        return [
            Fix(
                _("Add an action"),
                reverse("plans:action_create", args=[plan.pk]) + f"?axis={gap.axis_id}",
            ),
            Fix(_("Edit the axis"), reverse("plans:axis_edit", args=[plan.pk, gap.axis_id])),
        ]
    if gap.code == "idle_agency":
        # The gap names the agency in its message; the longest known name in it is the one.
        named = [name for name in agency_ids if name in gap.message]
        agency_id = agency_ids[max(named, key=len)] if named else None
        fixes = []
        if draft:
            fixes.append(Fix(_("Add an action"), reverse("plans:action_create", args=[plan.pk])))
        if agency_id:
            fixes.append(
                Fix(
                    _("Agency administration"),
                    reverse("plans:agency", args=[agency_id]),
                )
            )
        return fixes
    if gap.code == "no_actions" and draft:
        return [
            Fix(_("Add an action"), reverse("plans:action_create", args=[plan.pk])),
            Fix(_("Import a workbook"), reverse("plans:plan_import")),
        ]
    return []


@require_safe
@secretariat_required
def quality(request, pk: int):
    """Every gap of the plan quality check (SPEC 4.1), grouped by kind, each with a link to fix
    it; the communicate button beside them, disabled while a blocking gap remains."""
    plan = _plan(request, pk)
    require(permissions.may_build_plans(request.user, plan.province_id))
    groups = plan_quality.quality_groups(plan)
    agency_ids = dict(Agency.objects.filter(province=plan.province).values_list("name", "id"))
    for group in groups:
        group.title = plan_quality.gap_kind_title(group.code)
        group.items = [(gap, _fixes(plan, gap, agency_ids)) for gap in group.gaps]
    blocking = sum(len(g.gaps) for g in groups if g.blocking)
    context = {
        "plan": plan,
        "groups": groups,
        "blocking_count": blocking,
        "warning_count": sum(len(g.gaps) for g in groups if not g.blocking),
        "is_draft": plan.status == Plan.Status.DRAFT,
    }
    return render(request, "plans/lifecycle_quality.html", context)


# --- communication and acknowledgement ---------------------------------------------------------


@require_safe
@login_required
def communication(request, pk: int):
    """Each agency of a communicated plan: its actions, when it was notified, and when and by
    whom it acknowledged receipt. An agency user sees its own row."""
    plan = _plan(request, pk)
    rows = selectors.communication_rows(plan, request.user)
    context = {
        "plan": plan,
        "rows": rows,
        "acknowledged": sum(1 for r in rows if r.acknowledgement),
        "is_draft": plan.status == Plan.Status.DRAFT,
    }
    return render(request, "plans/lifecycle_communication.html", context)


@login_required
def acknowledge(request, pk: int):
    """An agency user's receipt of a communicated plan: its actions in the plan and one button."""
    user: User = request.user
    plan = _plan(request, pk)
    if not user.is_agency_user or not user.agency_id:
        if user.sees_everything:
            return redirect("plans:communication", pk=plan.pk)
        require(False, _("Only an agency's manager or reporter acknowledges a plan."))
    if request.method == "POST":
        try:
            services.acknowledge_plan(actor=user, plan=plan)
        except Conflict as exc:
            messages.warning(request, str(exc))
        else:
            messages.success(request, _("Your agency's acknowledgement of the plan was recorded."))
        return redirect("plans:acknowledge", pk=plan.pk)
    actions = list(selectors.agency_actions_in_plan(plan, user.agency))
    require(bool(actions), _("Your agency has no actions in this plan."))
    context = {
        "plan": plan,
        "agency": user.agency,
        "actions": actions,
        "lead_count": sum(1 for a in actions if a.lead_agency_id == user.agency_id),
        "acknowledgement": plan.acknowledgements.filter(agency=user.agency)
        .select_related("acknowledged_by")
        .first(),
        "is_communicated": plan.status == Plan.Status.COMMUNICATED,
    }
    return render(request, "plans/lifecycle_acknowledge.html", context)


# --- re-planning -------------------------------------------------------------------------------


def _replan_initial(action: Action) -> dict:
    return {
        "start": action.start,
        "end": action.end,
        "weight": plain_decimal(action.weight),
        "target": plain_decimal(action.target),
        "milestones": format_milestones(action.milestones.order_by("date")),
    }


@login_required
def replan_request(request, pk: int):
    """A request to change a communicated action's schedule, with the reason."""
    user: User = request.user
    action = get_object_or_404(
        selectors.visible_actions(user).select_related("plan__province", "axis", "lead_agency"),
        pk=pk,
    )
    plan = action.plan
    require(
        permissions.may_request_replan(user, action),
        _("Only the lead agency of the action or the secretariat may ask to re-plan it."),
    )
    if plan.status != Plan.Status.COMMUNICATED:
        messages.warning(
            request,
            _(
                "Only the actions of a communicated plan are re-planned; a draft is edited directly."
            ),
        )
        if permissions.may_edit(user, plan):
            return redirect("plans:action_edit", pk=plan.pk, action_id=action.pk)
        return redirect("plans:action", pk=action.pk)
    history = schedule_history(action)
    form = ReplanRequestForm(request.POST or None, initial=_replan_initial(action))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.request_replan(actor=user, action=action, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("The re-planning request was sent to the secretariat for a decision."),
                )
                return redirect("plans:action", pk=action.pk)
    context = {"plan": plan, "action": action, "form": form, "schedule": history}
    return render(request, "plans/lifecycle_replan_form.html", context, status=status)


STATUS_FILTERS = ("pending", "approved", "rejected", "all")


@require_safe
@login_required
def replan_list(request):
    """Re-planning requests the user may see; the secretariat decides the pending ones here."""
    user: User = request.user
    visible = selectors.visible_replan_requests(user)
    counts = dict(visible.order_by().values_list("status").annotate(n=Count("id")))
    shown = request.GET.get("status", "pending")
    if shown not in STATUS_FILTERS:
        shown = "pending"
    requests = visible if shown == "all" else visible.filter(status=shown)
    requests = list(requests.select_related("revision")[:300])
    for r in requests:
        r.proposed = Schedule.from_data(request_schedule(r))
        r.revision_done = getattr(r, "revision", None)
        if r.revision_done is not None:
            r.revision_done.before_schedule = Schedule.from_data(r.revision_done.before)
            r.revision_done.after_schedule = Schedule.from_data(r.revision_done.after)
        else:
            r.current = Schedule.from_data(action_schedule(r.action))
        r.may_decide = permissions.may_decide_replan(user, r.action)
    context = {
        "requests": requests,
        "shown": shown,
        "counts": {s: counts.get(s, 0) for s in STATUS_FILTERS[:3]},
        "total": sum(counts.values()),
        "decide": any(r.may_decide for r in requests),
    }
    return render(request, "plans/lifecycle_replan_list.html", context)


def _detail(request, replan: ReplanRequest, form: ReplanDecisionForm | None, status: int = 200):
    action = replan.action
    revision = getattr(replan, "revision", None)
    if revision is not None:
        revision.before_schedule = Schedule.from_data(revision.before)
        revision.after_schedule = Schedule.from_data(revision.after)
    context = {
        "revision": revision,
        "replan": replan,
        "action": action,
        "plan": action.plan,
        "proposed": Schedule.from_data(request_schedule(replan)),
        "current": Schedule.from_data(action_schedule(action)),
        "schedule": schedule_history(action),
        "form": form,
    }
    return render(request, "plans/lifecycle_replan_detail.html", context, status=status)


@login_required
def replan_detail(request, pk: int):
    """One request: the schedule asked for beside the live one and the baseline; the decision."""
    replan = get_object_or_404(selectors.visible_replan_requests(request.user), pk=pk)
    pending = replan.status == ReplanRequest.Status.PENDING
    decides = permissions.may_decide_replan(request.user, replan.action)
    form = ReplanDecisionForm() if pending and decides else None
    return _detail(request, replan, form)


@require_POST
@secretariat_required
def replan_decide(request, pk: int):
    """Approve or reject a request (the reason is required either way)."""
    replan = get_object_or_404(selectors.visible_replan_requests(request.user), pk=pk)
    form = ReplanDecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, replan, form, status=400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.decide_replan(
            actor=request.user, request=replan, approve=approve, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _detail(request, replan, form, status=400)
    except Conflict as exc:
        messages.warning(request, str(exc))
        return redirect("plans:replan_detail", pk=replan.pk)
    if approve:
        messages.success(
            request,
            _("Approved: the action %(code)s now follows the new schedule.")
            % {"code": replan.action.code},
        )
    else:
        messages.info(
            request,
            _("Rejected: the action %(code)s keeps its schedule.") % {"code": replan.action.code},
        )
    return redirect(reverse("plans:replan_list"))
