"""Reads: a user's own notifications, and who the daily job writes to."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from ronagh.core.models import Agency, User
from ronagh.plans.models import Action, Plan, ProgressReport
from ronagh.plans.selectors import reportable_actions

from .models import Notification

# --- the inbox ---------------------------------------------------------------------------------


def inbox(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first; nobody ever sees another person's."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread (the number on the bell)."""
    return inbox(user, unread_only=True).count()


# --- recipients --------------------------------------------------------------------------------


def agency_people(agency_ids, roles) -> dict[int, list[User]]:
    """Active users with one of `roles`, by agency id."""
    out: dict[int, list[User]] = {}
    qs = User.objects.filter(agency_id__in=list(agency_ids), role__in=list(roles), is_active=True)
    for user in qs.order_by("username"):
        out.setdefault(user.agency_id, []).append(user)
    return out


def secretariat_people() -> list[User]:
    """Active secretariat users (the recipients of the daily digest)."""
    return list(
        User.objects.filter(role=User.Role.SECRETARIAT, is_active=True)
        .select_related("province")
        .order_by("username")
    )


def agencies_with_reporters() -> QuerySet[Agency]:
    return Agency.objects.filter(
        users__role=User.Role.AGENCY_REPORTER, users__is_active=True
    ).distinct()


def communicated_plans() -> list[Plan]:
    """The plans that take reports now: communicated, neither draft nor closed."""
    return list(
        Plan.objects.filter(status=Plan.Status.COMMUNICATED)
        .select_related("province")
        .order_by("province__name", "-year")
    )


def unsent_actions(agency: Agency, *, day: dt.date, today: dt.date) -> list[Action]:
    """The actions an agency had to report for `day` and nobody has reported since: active on
    that day (the report screen's list: communicated plan, started, not done; overdue ones
    included) in a plan communicated by then, with no report dated from `day` to `today`. A
    report is cumulative, so a report for today also covers the day before."""
    actions = reportable_actions(agency, day).filter(plan__communicated_on__lte=day)
    covered = ProgressReport.objects.filter(
        action__in=actions.values("id"), date__gte=day, date__lte=today
    ).values("action_id")
    return list(actions.exclude(id__in=covered))
