"""Systemic issues (SPEC 5): obstacles of many firms with one cause grouped, and referred to the
national HQ with their obstacles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.errors import Conflict
from ronagh.core.models import Province, User
from ronagh.lib.text import clean_name
from ronagh.obstacles.models import Obstacle, Status
from ronagh.obstacles.services import transition

from ..models import SystemicIssue
from .common import jdate, require_manager, stripped, today_or

# --- systemic issues ----------------------------------------------------------------------------


@transaction.atomic
def group_systemic(
    *,
    actor: User,
    obstacles: Sequence[Obstacle],
    title: str,
    cause: str,
    cause_kind: str = SystemicIssue.Cause.OTHER,
    province: Province | None = None,
    is_sample: bool = False,
) -> SystemicIssue:
    """Group the obstacles of many firms with one cause into a systemic issue. At least two
    obstacles, all of one province and of no other systemic issue."""
    obstacles = list(obstacles)
    province = province or (actor.province if actor.province_id else None)
    if province is None and obstacles:
        province = obstacles[0].province
    require_manager(actor, province)
    errors: dict[str, str] = {}
    title, cause = clean_name(title), stripped(cause)
    if not title:
        errors["title"] = _("Give the systemic issue a title.")
    elif len(title) > 300:
        errors["title"] = _("The title is at most 300 characters.")
    if not cause:
        errors["cause"] = _("Describe the common cause.")
    if cause_kind not in SystemicIssue.Cause.values:
        errors["cause_kind"] = _("Choose the kind of cause.")
    if len({o.pk for o in obstacles}) < 2:
        errors["obstacles"] = _("A systemic issue groups at least two obstacles.")
    elif province is not None and any(o.province_id != province.id for o in obstacles):
        errors["obstacles"] = _("An obstacle belongs to another province.")
    else:
        taken = (
            SystemicIssue.objects.filter(obstacles__in=obstacles)
            .values_list("title", flat=True)
            .first()
        )
        if taken:
            errors["obstacles"] = _(
                "An obstacle is already part of the systemic issue “%(t)s”."
            ) % {"t": taken}
    if errors:
        raise ValidationError(errors)
    issue = SystemicIssue.objects.create(
        province=province,
        title=title,
        cause=cause,
        cause_kind=cause_kind,
        is_sample=is_sample,
        created_by=actor,
    )
    issue.obstacles.set(obstacles)
    return issue


@transaction.atomic
def refer_systemic(
    *,
    actor: User,
    issue: SystemicIssue,
    on: dt.date | None = None,
    reference: str = "",
    refer_obstacles: bool = True,
    today: dt.date | None = None,
) -> SystemicIssue:
    """Refer a systemic issue to the national HQ on a date, with the national HQ's reference when
    known. Its obstacles that are assigned or in progress are referred too, each through the
    obstacles' own transition (so each keeps its history). Conflict when already referred."""
    today = today_or(today)
    issue = SystemicIssue.objects.select_for_update().get(pk=issue.pk)
    require_manager(actor, issue.province_id)
    if issue.referred_on is not None:
        raise Conflict(
            _("The issue was referred to the national HQ on %(date)s.")
            % {"date": jdate(issue.referred_on)}
        )
    on = on or today
    reference = clean_name(reference)
    errors: dict[str, str] = {}
    if on > today:
        errors["on"] = _("The date cannot be in the future.")
    if len(reference) > 100:
        errors["reference"] = _("The reference is at most 100 characters.")
    if errors:
        raise ValidationError(errors)
    issue.referred_on, issue.national_reference, issue.referred_by = on, reference, actor
    issue.save(update_fields=["referred_on", "national_reference", "referred_by"])
    if refer_obstacles:
        comment = _("Referred with the systemic issue “%(t)s”.") % {"t": issue.title}
        at = None
        if on != timezone.localdate():
            at = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
        for obstacle in issue.obstacles.running():
            transition(
                actor=actor, obstacle=obstacle, to=Status.REFERRED_NATIONAL, comment=comment, at=at
            )
    return issue
