"""The bot's inbox (SPEC 4.2.1): every update Bale delivers is stored before it is processed —
Bale keeps updates only for a day — and processed exactly once. The unique `update_id` decides
whether an update is new (a redelivery, a restart between two polls, the webhook and the poller
both receiving it), not a read before the insert; `processed_at` is set in the same transaction
that stores the reports the message carried."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Update(models.Model):
    class Via(models.TextChoices):
        POLL = "poll", _("Long polling")
        WEBHOOK = "webhook", _("Webhook")

    class Outcome(models.TextChoices):
        LINKED = "linked", _("Chat linked")
        LINK_REFUSED = "link_refused", _("Code refused")
        REPORTED = "reported", _("Report lines answered")
        LISTED = "listed", _("Action list sent")
        HELP = "help", _("Help sent")
        UNLINKED = "unlinked", _("Chat unlinked")
        NOT_LINKED = "not_linked", _("Chat not linked")
        THROTTLED = "throttled", _("Too many wrong codes")
        IGNORED = "ignored", _("Nothing to answer")
        FAILED = "failed", _("Failed")

    update_id = models.BigIntegerField(_("update id"), unique=True)
    payload = models.JSONField(_("update as received"))
    chat_id = models.BigIntegerField(_("chat"), null=True, blank=True, db_index=True)
    via = models.CharField(_("received by"), max_length=10, choices=Via.choices)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    # The answer to send: {"text": …, "reply_markup": …}; sent after the processing committed,
    # tried again by the next poll when Bale could not be reached.
    reply = models.JSONField(_("answer"), null=True, blank=True)
    replied_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reply_attempts = models.PositiveSmallIntegerField(_("attempts to answer"), default=0)
    reply_error = models.TextField(_("last error answering"), blank=True)

    class Meta:
        ordering = ["update_id"]
        verbose_name = _("Bale update")
        verbose_name_plural = _("Bale updates")
        indexes = [
            models.Index(
                fields=["update_id"],
                condition=Q(processed_at__isnull=True),
                name="bale_update_waiting",
            ),
            models.Index(
                fields=["update_id"],
                condition=Q(replied_at__isnull=True, reply__isnull=False),
                name="bale_reply_waiting",
            ),
        ]

    def __str__(self):
        return f"{self.update_id} ({self.outcome or '…'})"
