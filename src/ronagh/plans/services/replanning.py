"""Re-planning a communicated plan (SPEC 4.2): a request for a new schedule of one action,
which the secretariat approves or rejects with a reason; the approved schedule becomes live, a
Revision keeps before and after, and the baseline stays as communicated."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.errors import Conflict
from ronagh.core.i18n import local_date
from ronagh.core.models import User
from ronagh.core.permissions import require, secretariat_refusal
from ronagh.lib.jalali import year_bounds

from .. import permissions
from ..baseline import action_schedule, request_schedule
from ..models import Action, Milestone, ReplanRequest, Revision
from ..schedule import clean_schedule


@transaction.atomic
def request_replan(
    *,
    actor: User,
    action: Action,
    start: dt.date | None,
    end: dt.date | None,
    reason: str,
    weight=None,
    target=None,
    milestones=None,
) -> ReplanRequest:
    """Ask to change a communicated action's schedule (SPEC 4.2); the secretariat decides.

    `weight`, `target` and `milestones` left as None keep the action's current values;
    `milestones=[]` asks for none. Refuses (PermissionDenied) anyone but an agency user of the
    lead agency or the secretariat of the plan's province; (Conflict) an action of a plan that is
    not communicated, or one with a request already waiting; (ValidationError, a message per
    field) a missing reason or date, end before start, dates outside the plan year, a weight
    that is not above zero, a target that is not a number, a milestone out of range, or a
    request that changes nothing. The schedule is checked by `schedule.clean_schedule`, as a
    draft action's is."""
    action = Action.objects.select_for_update().select_related("plan").get(pk=action.pk)
    plan = action.plan
    require(
        permissions.may_request_replan(actor, action),
        _("Only the lead agency of the action or the secretariat may ask to re-plan it."),
    )
    if not plan.is_communicated:
        raise Conflict(
            _("Only the actions of a communicated plan are re-planned; a draft is edited directly.")
        )
    if ReplanRequest.objects.filter(action=action, status=ReplanRequest.Status.PENDING).exists():
        raise Conflict(_("This action already has a re-planning request waiting for a decision."))

    if milestones is None:
        milestones = [(m.date, m.percent) for m in action.milestones.order_by("date")]
    checked = clean_schedule(
        start=start,
        end=end,
        weight=action.weight if weight is None else weight,
        target=action.target if target is None or target == "" else target,
        milestones=milestones,
        year=year_bounds(plan.year),
        dates_required=True,
        format_date=local_date,
    )
    errors = dict(checked.errors)
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for re-planning.")
    if errors:
        raise ValidationError(errors)

    replan = ReplanRequest(
        action=action,
        requested_by=actor,
        new_start=checked.start,
        new_end=checked.end,
        new_weight=checked.weight,
        new_target=checked.target,
        new_milestones=[[d.isoformat(), str(p)] for d, p in checked.milestones],
        reason=reason.strip(),
    )
    if request_schedule(replan) == action_schedule(action):
        raise ValidationError(_("The request changes nothing in the action's schedule."))
    replan.save()
    return replan


@transaction.atomic
def decide_replan(*, actor: User, request: ReplanRequest, approve: bool, reason: str):
    """The secretariat approves or rejects a pending re-planning request, with a reason.

    On approval the action's live schedule becomes the requested one and a Revision keeps the
    schedule before and after, in the same transaction; Plan.baseline stays as communicated.
    Refuses (PermissionDenied) anyone but the secretariat of the plan's province; (ValidationError)
    a missing reason; (Conflict) a request already decided, or an approval once the plan is no
    longer communicated."""
    replan = ReplanRequest.objects.select_for_update().get(pk=request.pk)
    action = Action.objects.select_for_update().select_related("plan").get(pk=replan.action_id)
    require(permissions.may_decide_replan(actor, action), secretariat_refusal(actor))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    if replan.status != ReplanRequest.Status.PENDING:
        raise Conflict(_("This request has already been decided."))
    if approve and not action.plan.is_communicated:
        raise Conflict(_("The plan is no longer open to re-planning."))

    replan.status = ReplanRequest.Status.APPROVED if approve else ReplanRequest.Status.REJECTED
    replan.decided_by = actor
    replan.decided_at = timezone.now()
    replan.decision_reason = reason.strip()
    replan.save()
    if approve:
        before = action_schedule(action)
        action.start, action.end = replan.new_start, replan.new_end
        action.weight, action.target = replan.new_weight, replan.new_target
        action.save(update_fields=["start", "end", "weight", "target"])
        action.milestones.all().delete()
        Milestone.objects.bulk_create(
            Milestone(action=action, date=dt.date.fromisoformat(d), percent=Decimal(p))
            for d, p in replan.new_milestones
        )
        Revision.objects.create(
            action=action, request=replan, before=before, after=action_schedule(action)
        )
    request.refresh_from_db()
    return replan
