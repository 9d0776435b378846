"""Communicating a plan (ابلاغ, SPEC 4.1): the baseline frozen, every agency told, and each
agency's acknowledgement of receipt."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.errors import Conflict
from ronagh.core.i18n import local_date
from ronagh.core.models import User
from ronagh.core.permissions import require

from .. import baseline, notices, permissions
from ..models import Acknowledgement, Plan
from ..quality import blocking_gaps
from .building import require_builder


@transaction.atomic
def communicate_plan(*, actor: User, plan: Plan, today: dt.date | None = None) -> Plan:
    """ابلاغ: draft → communicated, the baseline frozen. Conflict if not a draft;
    ValidationError listing the blocking gaps of the quality check."""
    require_builder(actor, plan.province_id)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_draft:
        raise Conflict(_("Only a draft plan can be communicated."))
    gaps = blocking_gaps(plan)
    if gaps:
        raise ValidationError({"plan": [g.message for g in gaps]})
    plan.baseline = baseline.freeze(plan)
    plan.status = Plan.Status.COMMUNICATED
    plan.communicated_on = today or timezone.localdate()
    plan.communicated_by = actor
    plan.save()
    # Each agency is told of its actions once the communication is safely stored; a failing
    # notifier is logged and does not undo the communication.
    transaction.on_commit(lambda: notices.plan_communicated(plan=plan), robust=True)
    return plan


@transaction.atomic
def close_plan(*, actor: User, plan: Plan) -> Plan:
    """communicated → closed (SPEC 4.1): the year is over and judged; a closed plan takes no
    more reports (the reporting service refuses them) and keeps every figure. The secretariat
    of the plan's province; Conflict for a plan that is not communicated."""
    require_builder(actor, plan.province_id)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_communicated:
        raise Conflict(_("Only a communicated plan can be closed."))
    plan.status = Plan.Status.CLOSED
    plan.save(update_fields=["status"])
    return plan


@transaction.atomic
def acknowledge_plan(*, actor: User, plan: Plan) -> Acknowledgement:
    """The actor's agency acknowledges receipt of a communicated plan, once.

    Refuses (PermissionDenied) anyone but a manager or reporter of an agency that leads or
    partners in an action of the plan; (Conflict) a plan that is not communicated, and a second
    acknowledgement by the same agency, saying when and by whom the first was recorded."""
    require(
        actor.is_agency_user and actor.agency_id is not None,
        _("Only an agency's manager or reporter acknowledges a plan."),
    )
    # The plan row is the lock: two people of one agency acknowledging at once get one record.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require(
        plan.actions.involving(actor.agency_id).exists(),
        _("Your agency has no actions in this plan."),
    )
    if not plan.is_communicated:
        raise Conflict(_("Only a communicated plan can be acknowledged."))
    require(permissions.may_acknowledge(actor, plan))
    earlier = (
        Acknowledgement.objects.filter(plan=plan, agency_id=actor.agency_id)
        .select_related("acknowledged_by")
        .first()
    )
    if earlier is not None:
        who = earlier.acknowledged_by
        raise Conflict(
            _("Your agency already acknowledged this plan on %(date)s (%(user)s).")
            % {
                "date": local_date(earlier.acknowledged_at),
                "user": who.get_full_name() or who.username,
            }
        )
    return Acknowledgement.objects.create(plan=plan, agency=actor.agency, acknowledged_by=actor)
