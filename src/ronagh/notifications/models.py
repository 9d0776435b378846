"""What the system tells people: the in-app notification, the log of every delivery on every
channel (in-app, email, SMS, Bale), which is what makes the daily job idempotent, and the links
between people and their Bale chats (SPEC 4.2.1)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in a user's in-app inbox. Written once by services.notify; only its read
    marker changes afterwards."""

    class Kind(models.TextChoices):
        # Other apps may notify with kinds of their own (a short slug); these are the ones this
        # app knows a label for.
        PLAN_COMMUNICATED = "plan_communicated", _("Plan communicated")
        REPORT_REMINDER = "report_reminder", _("Report reminder")
        ACTIONS_ALERT = "actions_alert", _("Stalled or critical actions")
        DIGEST = "digest", _("Daily digest")
        OBSTACLE_OVERDUE = "obstacle_overdue", _("Overdue obstacles")
        WEEKLY_BRIEF = "weekly_brief", _("Weekly brief")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    # A path inside the site ("/report/?date=…"), never an outside address.
    link = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(_("idempotency key"), max_length=200, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_inbox"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self) -> str:
        try:
            return str(self.Kind(self.kind).label)
        except ValueError:
            return str(_("Notice"))


class Delivery(models.Model):
    """One message to one person on one channel. The unique (key, channel, recipient) is the
    guard of idempotency: a sender first claims the row (status `pending`) and sends only when
    the insert succeeds, so two runs of the daily job, even at the same moment, never send the
    same thing twice. The row is then completed once, as sent or failed; a failed one may be
    claimed again for a retry (its attempts counted), a sent one never, and neither is one left
    `pending` by a crash between claim and send: better once too few than twice."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In the app")
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        BALE = "bale", _("Bale messenger")

    class Status(models.TextChoices):
        PENDING = "pending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(_("idempotency key"), max_length=200)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("recipient"),
    )
    notification = models.ForeignKey(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("notification"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    address = models.CharField(_("address"), max_length=254, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    error = models.TextField(_("error"), blank=True)
    message_id = models.CharField(_("message id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "channel", "recipient"], name="delivery_once_per_key"
            ),
        ]
        indexes = [models.Index(fields=["status", "channel"], name="delivery_status")]

    def __str__(self):
        return f"{self.key} / {self.channel} / {self.recipient_id}"


class MessengerLink(models.Model):
    """A person's Bale chat (SPEC 4.2.1): one chat per person and one person per chat. Made by
    sending `/start CODE` to the bot with a code from `LinkCode`; removed by unlinking."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="messenger_link",
        verbose_name=_("user"),
    )
    chat_id = models.BigIntegerField(_("Bale chat"), unique=True)
    chat_name = models.CharField(_("name in Bale"), max_length=200, blank=True)
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        verbose_name = _("Bale link")
        verbose_name_plural = _("Bale links")

    def __str__(self):
        return f"{self.user} ↔ {self.chat_id}"


class LinkCode(models.Model):
    """A one-time 6-digit code that links a Bale chat to its user, valid for 10 minutes. Only
    a keyed digest of the code is stored: reading the table does not give a working code."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    digest = models.CharField(_("digest of the code"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("linking code")
        verbose_name_plural = _("linking codes")

    def __str__(self):
        return f"{self.user} · {self.expires_at:%Y-%m-%d %H:%M}"
