"""Where an obstacle goes and by when (SPEC 5): the province's routing table (category →
agency), the SLA of each severity (4 → 7 days … 1 → 60), and the due date an assignment or a
re-routing — a bounce — sets."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.models import Agency, Province, User
from ronagh.core.permissions import require, secretariat_refusal

from . import permissions
from .models import Category, RoutingRule


def sla_days(severity: int) -> int:
    """Days an agency has for an obstacle of this severity (settings.RONAGH_OBSTACLE_SLA_DAYS)."""
    table = {int(k): int(v) for k, v in settings.RONAGH_OBSTACLE_SLA_DAYS.items()}
    return table[int(severity)]


def due_date_for(*, assigned_on: dt.date, severity: int) -> dt.date:
    """SPEC 5: the day it is assigned plus the SLA of its severity."""
    return assigned_on + dt.timedelta(days=sla_days(severity))


def routing_table(province: Province) -> dict[str, RoutingRule]:
    """category → rule of a province's routing table."""
    rules = RoutingRule.objects.filter(province=province).select_related("agency", "updated_by")
    return {r.category: r for r in rules}


def routed_agency(*, province: Province, category: str) -> Agency | None:
    """The agency the province's routing table names for a category, if any."""
    rule = RoutingRule.objects.filter(province=province, category=category).first()
    return rule.agency if rule else None


@transaction.atomic
def set_routing_rule(
    *, actor: User, province: Province, category: str, agency: Agency | None
) -> RoutingRule | None:
    """The secretariat names the agency obstacles of a category go to (None: clear the rule, so
    they wait for the secretariat). Obstacles already registered are not moved."""
    if not actor.is_secretariat:
        require(False, _("Only the secretariat may edit the routing table."))
    require(
        permissions.may_edit_routing(actor, province.pk),
        _("You may edit only your own province's routing table.")
        if actor.is_secretariat
        else secretariat_refusal(actor),
    )
    if category not in Category.values:
        raise ValidationError({"category": _("Choose one of the categories.")})
    if agency is None:
        RoutingRule.objects.filter(province=province, category=category).delete()
        return None
    if agency.province_id != province.id:
        raise ValidationError({"agency": _("The agency belongs to another province.")})
    rule, _created = RoutingRule.objects.update_or_create(
        province=province,
        category=category,
        defaults={"agency": agency, "updated_by": actor, "updated_at": timezone.now()},
    )
    return rule
