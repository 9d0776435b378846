"""Writes: telling people things (in the app, by email, by SMS, in Bale), and marking
notifications read.

`notify` is the one write path every message goes through — the daily job, the plan's
communication and any other app. It claims a row of the delivery log before it sends anything,
so a message with the same key never reaches the same person twice on the same channel.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.models import User
from ronagh.lib.digits import to_latin

from . import bale
from . import sms as sms_backends
from .models import Delivery, MessengerLink, Notification

CHANNELS = tuple(Delivery.Channel.values)
_KIND_RE = re.compile(r"^[a-z0-9_\-]{1,40}$")
_MOBILE_RE = re.compile(r"^09\d{9}$")
SMS_MAX_CHARS = 480  # seven parts of a Persian (UCS-2) message; a longer text is cut


@dataclass
class Outcome:
    """What a call of `notify` (or a whole run) did: sent and failed deliveries per channel, and
    how many it skipped because they had been made already (same key, channel and person)."""

    sent: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)
    duplicates: int = 0

    def add(self, other: Outcome) -> Outcome:
        self.sent.update(other.sent)
        self.failed.update(other.failed)
        self.duplicates += other.duplicates
        return self

    @property
    def total_sent(self) -> int:
        return sum(self.sent.values())

    @property
    def total_failed(self) -> int:
        return sum(self.failed.values())


# --- helpers -----------------------------------------------------------------------------------


def mobile_number(phone: str) -> str | None:
    """An Iranian mobile number as the gateways want it (09xxxxxxxxx), from what people type:
    any digits, spaces and dashes, +98 or 0098 in front. None when it is not a mobile number."""
    text = re.sub(r"[\s\-().]", "", to_latin(phone or ""))
    if text.startswith("+98"):
        text = "0" + text[3:]
    elif text.startswith("0098"):
        text = "0" + text[4:]
    elif text.startswith("98") and len(text) == 12:
        text = "0" + text[2:]
    elif text.startswith("9") and len(text) == 10:
        text = "0" + text
    return text if _MOBILE_RE.match(text) else None


def _absolute(link: str) -> str:
    base = settings.RONAGH_SITE_URL or ""
    return f"{base.rstrip('/')}{link}" if base and link else ""


def _validate(*, kind: str, title: str, link: str, key: str, channels) -> None:
    errors = {}
    if not _KIND_RE.match(kind or ""):
        errors["kind"] = _("The kind must be a short code of Latin letters, digits and “_”.")
    if not (title or "").strip():
        errors["title"] = _("A notification needs a title.")
    elif len(title) > 300:
        errors["title"] = _("The title may have at most 300 characters.")
    if link and (not link.startswith("/") or link.startswith("//") or len(link) > 500):
        errors["link"] = _("The link must be a path inside this site, such as /report/.")
    if not (key or "").strip():
        errors["key"] = _("A notification needs an idempotency key.")
    elif len(key) > 200:
        errors["key"] = _("The idempotency key may have at most 200 characters.")
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown or not channels:
        errors["channels"] = _("Channels must be chosen from: %(channels)s.") % {
            "channels": ", ".join(CHANNELS)
        }
    if errors:
        raise ValidationError(errors)


def _claim(*, key: str, channel: str, recipient: User, kind: str, address: str):
    """The delivery row this sender now owns, or None when the message was sent already (or is
    being sent by another run). The unique constraint decides, not a prior read, so two runs at
    the same moment cannot both win. A failed delivery is claimed again for a retry."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                key=key, channel=channel, recipient=recipient, kind=kind, address=address
            )
    except IntegrityError:
        pass
    retried = Delivery.objects.filter(
        key=key, channel=channel, recipient=recipient, status=Delivery.Status.FAILED
    ).update(
        status=Delivery.Status.PENDING,
        attempts=F("attempts") + 1,
        address=address,
        error="",
    )
    if retried:
        return Delivery.objects.get(key=key, channel=channel, recipient=recipient)
    return None


def _complete(delivery: Delivery, *, error: str = "", message_id: str = "") -> None:
    delivery.status = Delivery.Status.FAILED if error else Delivery.Status.SENT
    delivery.error = error[:2000]
    delivery.message_id = message_id[:100]
    delivery.sent_at = None if error else timezone.now()
    delivery.save(update_fields=["status", "error", "message_id", "sent_at"])


def _in_app(*, user, kind, title, body, link, key) -> bool:
    """The notification and its delivery row in one transaction: both or neither."""
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                recipient=user, kind=kind, title=title, body=body, link=link, key=key
            )
            Delivery.objects.create(
                key=key,
                channel=Delivery.Channel.IN_APP,
                recipient=user,
                kind=kind,
                notification=note,
                status=Delivery.Status.SENT,
                sent_at=note.created_at,
            )
    except IntegrityError:
        return False
    return True


# --- the one write path ------------------------------------------------------------------------


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str,
    link: str = "",
    key: str,
    channels: Iterable[str] = ("in_app", "email", "sms", "bale"),
    sms_text: str | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> Outcome:
    """Tell each recipient once per channel: an in-app notification, an email through Django's
    mail backend when the user has an email address, an SMS through the configured SMS backend
    when the user has a mobile number, a Bale message when the user has linked a Bale chat
    (SPEC 4.2.1). Inactive users are left out.

    Idempotent: a (key, channel, recipient) that was delivered before is skipped, also when two
    calls race. A failed email or SMS is recorded in the delivery log (and tried again by the
    next call with the same key), never raised. `link` is a path inside the site; `sms_text`
    replaces the title in the SMS; `attachments` — (file name, content, MIME type) — go with
    the email (the weekly brief's PDF). Call it outside a transaction (or from
    `transaction.on_commit`): an email or SMS cannot be taken back by a rollback.

    Raises ValidationError with a message per field for bad input, before anything is sent."""
    channels = tuple(dict.fromkeys(channels))
    _validate(kind=kind, title=title, link=link, key=key, channels=channels)
    title = " ".join(title.split())  # one line: it is also an email subject
    attachments = list(attachments)
    outcome = Outcome()
    people = {u.pk: u for u in recipients if u is not None and u.is_active}
    sms_backend = None
    chats = {}
    if Delivery.Channel.BALE in channels and people:
        chats = dict(
            MessengerLink.objects.filter(user_id__in=list(people)).values_list("user_id", "chat_id")
        )
    bale_client = None
    for user in people.values():
        if user.pk in chats:
            bale_client = bale_client or bale.client()
            _send_bale(
                outcome,
                bale_client,
                user=user,
                chat_id=chats[user.pk],
                kind=kind,
                key=key,
                text="\n\n".join(x for x in (title, body, _absolute(link)) if x),
            )
        if Delivery.Channel.IN_APP in channels:
            if _in_app(user=user, kind=kind, title=title, body=body, link=link, key=key):
                outcome.sent[Delivery.Channel.IN_APP] += 1
            else:
                outcome.duplicates += 1
        if Delivery.Channel.EMAIL in channels and user.email:
            delivery = _claim(
                key=key, channel="email", recipient=user, kind=kind, address=user.email
            )
            if delivery is None:
                outcome.duplicates += 1
            else:
                url = _absolute(link)
                text = f"{body}\n\n{url}" if url else body
                try:
                    email = EmailMessage(title, text, None, [user.email])
                    for name, content, mimetype in attachments:
                        email.attach(name, content, mimetype)
                    email.send(fail_silently=False)
                except Exception as exc:  # recorded, never raised
                    _complete(delivery, error=f"{type(exc).__name__}: {exc}")
                    outcome.failed[Delivery.Channel.EMAIL] += 1
                else:
                    _complete(delivery)
                    outcome.sent[Delivery.Channel.EMAIL] += 1
        if Delivery.Channel.SMS in channels and user.phone.strip():
            number = mobile_number(user.phone)
            delivery = _claim(
                key=key, channel="sms", recipient=user, kind=kind, address=number or user.phone
            )
            if delivery is None:
                outcome.duplicates += 1
                continue
            if number is None:
                _complete(
                    delivery,
                    error=_("“%(phone)s” is not a mobile number.") % {"phone": user.phone},
                )
                outcome.failed[Delivery.Channel.SMS] += 1
                continue
            text = sms_text or title
            url = _absolute(link)
            message = f"{_('Ronagh')}: {text}" + (f"\n{url}" if url else "")
            if len(message) > SMS_MAX_CHARS:
                message = message[: SMS_MAX_CHARS - 1] + "…"
            try:
                sms_backend = sms_backend or sms_backends.get_backend()
                message_id = sms_backend.send(number, message)
            except Exception as exc:  # recorded, never raised
                error = str(exc) if isinstance(exc, sms_backends.SmsError) else repr(exc)
                _complete(delivery, error=error)
                outcome.failed[Delivery.Channel.SMS] += 1
            else:
                _complete(delivery, message_id=str(message_id or ""))
                outcome.sent[Delivery.Channel.SMS] += 1
    return outcome


def _send_bale(outcome: Outcome, client, *, user, chat_id: int, kind, key, text) -> None:
    delivery = _claim(key=key, channel="bale", recipient=user, kind=kind, address=str(chat_id))
    if delivery is None:
        outcome.duplicates += 1
        return
    try:
        message_id = client.send_message(chat_id, text)
    except Exception as exc:  # recorded, never raised
        error = str(exc) if isinstance(exc, bale.BaleError) else repr(exc)
        _complete(delivery, error=error)
        outcome.failed[Delivery.Channel.BALE] += 1
    else:
        _complete(delivery, message_id=message_id)
        outcome.sent[Delivery.Channel.BALE] += 1


# --- reading -----------------------------------------------------------------------------------


def mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (once: a second call keeps the first
    time). PermissionDenied for another person's notification."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied(_("This notification is not yours."))
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to read your notifications."))
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
