"""Reads: a user's own notifications, and who the daily job writes to."""

from __future__ import annotations

from django.db.models import QuerySet

from ronagh.core.models import User

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
    """Active secretariat users (the recipients of the daily digest), by province. A user who
    cannot sign in (Django's unusable password starts with "!"), such as a province's
    early-warning system user, is nobody to tell."""
    return list(
        User.objects.filter(role=User.Role.SECRETARIAT, is_active=True)
        .exclude(password__startswith="!")
        .select_related("province")
        .order_by("username")
    )
