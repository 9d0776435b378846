"""Receiving, processing and answering updates (SPEC 4.2.1), for the poller and the webhook alike.

1. `store(updates)`: each update is inserted before anything else happens; the unique
   `update_id` turns a redelivered one into a no-op (counted as a duplicate).
2. `process_waiting()`: each stored, unprocessed update, oldest first, in its own transaction:
   locked, answered by `bot.answer` (which writes the reports), marked processed with its
   answer — all or nothing, so an update is processed exactly once even when two processes
   run, or one is killed half-way. A bug in one update marks it failed (and says so to the
   chat) instead of blocking the ones after it; a database error leaves it for the next round.
3. `send_replies(client)`: the answers not yet sent, sent after their processing committed and
   tried again next time when Bale could not be reached (for a day, as long as Bale keeps
   updates).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ronagh.notifications.bale import BaleClient, BaleError

from . import bot
from .models import Update

logger = logging.getLogger(__name__)

REPLY_ATTEMPTS = 5
REPLY_FOR = dt.timedelta(days=1)
KEEP_FOR = dt.timedelta(days=3)  # processed updates kept this long, then forgotten


@dataclass
class Counts:
    received: int = 0
    duplicates: int = 0
    processed: int = 0
    failed: int = 0
    replied: int = 0
    reply_failed: int = 0

    def add(self, other: Counts) -> Counts:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def store(updates: list[dict], *, via: str) -> Counts:
    """Store every update not stored before."""
    counts = Counts()
    for payload in updates:
        try:
            update_id = int(payload["update_id"])
        except (KeyError, TypeError, ValueError):
            continue
        try:
            with transaction.atomic():
                Update.objects.create(
                    update_id=update_id, payload=payload, chat_id=bot.chat_of(payload), via=via
                )
        except IntegrityError:
            counts.duplicates += 1
        else:
            counts.received += 1
    return counts


def _process(pk: int, today: dt.date | None) -> str | None:
    with transaction.atomic():
        row = (
            Update.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, processed_at__isnull=True)
            .first()
        )
        if row is None:
            return None  # processed meanwhile, or being processed by another process
        reply = bot.answer(row.payload, today=today, row=row)
        row.outcome = reply.outcome
        row.reply = reply.as_json() if reply.text else None
        row.processed_at = timezone.now()
        row.save(update_fields=["outcome", "reply", "processed_at"])
        return row.outcome


def _fail(pk: int) -> None:
    Update.objects.filter(pk=pk, processed_at__isnull=True).update(
        processed_at=timezone.now(),
        outcome=Update.Outcome.FAILED,
        reply={
            "text": _("Your message could not be processed. Please try again later."),
            "reply_markup": None,
        },
    )


def process_waiting(*, today: dt.date | None = None) -> Counts:
    """Process every stored update not processed yet, oldest first."""
    counts = Counts()
    waiting = Update.objects.filter(processed_at__isnull=True).order_by("update_id")
    with translation.override(settings.LANGUAGE_CODE):
        for pk in list(waiting.values_list("pk", flat=True)):
            try:
                outcome = _process(pk, today)
            except DatabaseError:
                raise  # the database is away: the update waits for the next round
            except Exception:
                logger.exception("bale: update %s could not be processed", pk)
                _fail(pk)
                counts.failed += 1
                continue
            if outcome is not None:
                counts.processed += 1
    return counts


def send_replies(client: BaleClient, *, now: dt.datetime | None = None) -> Counts:
    """Send every answer not sent yet (each at most REPLY_ATTEMPTS times, for a day)."""
    counts = Counts()
    now = now or timezone.now()
    due = Update.objects.filter(
        reply__isnull=False,
        replied_at__isnull=True,
        reply_attempts__lt=REPLY_ATTEMPTS,
        received_at__gte=now - REPLY_FOR,
        chat_id__isnull=False,
    ).order_by("update_id")
    for row in due:
        try:
            client.send_message(
                row.chat_id, row.reply["text"], reply_markup=row.reply.get("reply_markup")
            )
        except BaleError as exc:
            Update.objects.filter(pk=row.pk).update(
                reply_attempts=row.reply_attempts + 1, reply_error=str(exc)[:2000]
            )
            counts.reply_failed += 1
            if exc.code is None:
                break  # Bale is unreachable: the rest waits for the next round
        else:
            Update.objects.filter(pk=row.pk).update(
                replied_at=timezone.now(), reply_attempts=row.reply_attempts + 1, reply_error=""
            )
            counts.replied += 1
    return counts


def forget_old(*, now: dt.datetime | None = None) -> int:
    """Processed updates older than KEEP_FOR are deleted: Bale never redelivers them, and after
    a week without updates Bale may number new ones from anywhere again."""
    now = now or timezone.now()
    count, _by_model = Update.objects.filter(
        processed_at__isnull=False, received_at__lt=now - KEEP_FOR
    ).delete()
    return count


def receive(updates: list[dict], *, via: str, client: BaleClient | None = None) -> Counts:
    """Store, process and (with a client) answer a batch."""
    counts = store(updates, via=via)
    counts.add(process_waiting())
    if client is not None:
        counts.add(send_replies(client))
    return counts
