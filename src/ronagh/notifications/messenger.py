"""Linking a person to their Bale chat (SPEC 4.2.1): a signed-in user gets a one-time 6-digit code
valid for 10 minutes (profile page, `POST /api/v1/me/messenger-code/`); sending `/start CODE` to
the bot links that chat to the user. An unknown, used or expired code links nothing.

Only a keyed digest of each code is stored (`salted_hmac` with the site's SECRET_KEY), a new code
voids the user's earlier ones, and the code is spent in the same transaction that links the
chat, so two chats racing with one code cannot both win.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from ronagh.core.models import User
from ronagh.core.permissions import require
from ronagh.lib.digits import to_latin

from .models import LinkCode, MessengerLink

CODE_DIGITS = 6
VALID_FOR = dt.timedelta(minutes=10)
_CODE_RE = re.compile(r"^\d{6}$")


class LinkRefused(Exception):
    """The code links nothing; `reason` is "unknown" (never issued, used, voided) or "expired"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_at: dt.datetime


def _digest(code: str) -> str:
    return salted_hmac("ronagh.notifications.link-code", code).hexdigest()


def clean_code(text: str) -> str | None:
    """A code as people type it (any digits, spaces): six Latin digits, or None."""
    code = re.sub(r"[\s\-\u200c]", "", to_latin(text or ""))
    return code if _CODE_RE.match(code) else None


@transaction.atomic
def issue_code(*, actor: User, now: dt.datetime | None = None) -> IssuedCode:
    """A new one-time code for the actor, valid for 10 minutes; the actor's earlier unused codes
    stop working."""
    require(
        actor is not None and actor.is_authenticated and actor.is_active,
        _("Sign in to link a Bale chat."),
    )
    now = now or timezone.now()
    LinkCode.objects.filter(user=actor, used_at__isnull=True).delete()
    live = LinkCode.objects.filter(used_at__isnull=True, expires_at__gt=now)
    for _attempt in range(20):
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        if not live.filter(digest=_digest(code)).exists():
            break
    row = LinkCode.objects.create(
        user=actor, digest=_digest(code), created_at=now, expires_at=now + VALID_FOR
    )
    return IssuedCode(code=code, expires_at=row.expires_at)


@transaction.atomic
def link_chat(
    *, code: str, chat_id: int, chat_name: str = "", now: dt.datetime | None = None
) -> User:
    """Link the chat to the user the code was issued to and spend the code. The chat leaves any
    user it was linked to before, and the user any chat. LinkRefused when the code is unknown,
    used, voided or expired (nothing changes then)."""
    now = now or timezone.now()
    cleaned = clean_code(code)
    if cleaned is None:
        raise LinkRefused("unknown")
    row = (
        LinkCode.objects.select_for_update()
        .select_related("user")
        .filter(digest=_digest(cleaned), used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if row is None or not row.user.is_active:
        raise LinkRefused("unknown")
    if row.expires_at <= now:
        raise LinkRefused("expired")
    if not LinkCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
        raise LinkRefused("unknown")
    MessengerLink.objects.filter(chat_id=chat_id).exclude(user=row.user).delete()
    MessengerLink.objects.update_or_create(
        user=row.user,
        defaults={"chat_id": chat_id, "chat_name": chat_name[:200], "linked_at": now},
    )
    return row.user


def unlink(*, actor: User) -> bool:
    """Remove the actor's own Bale link; whether there was one."""
    require(actor is not None and actor.is_authenticated, _("Sign in first."))
    count, _by_model = MessengerLink.objects.filter(user=actor).delete()
    return bool(count)


def unlink_chat(*, chat_id: int) -> bool:
    """The chat asked to be forgotten (`/stop` in the bot)."""
    count, _by_model = MessengerLink.objects.filter(chat_id=chat_id).delete()
    return bool(count)


def linked_user(chat_id: int) -> User | None:
    """The active user a chat is linked to, or None."""
    link = (
        MessengerLink.objects.select_related("user__agency")
        .filter(chat_id=chat_id, user__is_active=True)
        .first()
    )
    return link.user if link else None


def link_of(user: User) -> MessengerLink | None:
    return MessengerLink.objects.filter(user=user).first() if user.is_authenticated else None
