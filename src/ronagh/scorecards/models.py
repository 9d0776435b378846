"""The secretariat's written evaluations of agencies, and the suspicious-pattern flags it reviews
(SPEC 4.2, 4.4). The figures of a scorecard are computed live and never stored."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ronagh.core.append_only import AppendOnlyModel
from ronagh.core.i18n import separator


class Evaluation(AppendOnlyModel):
    """A periodic written evaluation of one agency by the secretariat. Append-only: a second
    opinion on the same period is a new record; nothing is edited or deleted."""

    SAMPLE_PATH = "plan__is_sample"

    class Grade(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"
        D = "D", "D"

    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("agency"),
    )
    # The evaluation belongs to its plan's year: it goes if that plan is ever deleted (only a
    # sample plan ever is).
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("plan")
    )
    period_label = models.CharField(_("period"), max_length=100, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    text = models.TextField(_("evaluation"))
    grade = models.CharField(_("suggested grade"), max_length=1, choices=Grade.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="evaluations_written",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-created_at", "-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")), name="evaluation_period_order"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="evaluation_has_text"),
        ]

    def __str__(self):
        return f"{self.agency}{separator()}{self.period_label or self.period_end}"


class SuspiciousFlag(models.Model):
    """A suspicious pattern in an action's reports (SPEC 4.2), open until the secretariat clears
    it with a note. One flag per (report, kind) — or per (action, kind) for a finding that hangs
    on no report — so that running the detection again adds nothing."""

    class Kind(models.TextChoices):
        JUMP = "jump", _("Jump of more than 30 points in one report")
        BURST = "burst", _("Burst of progress before an evaluation or the year end")
        FLAT = "flat", _("Same value confirmed for weeks while the note changes")
        CORRECTIONS = "corrections", _("Repeated corrections downwards")

    action = models.ForeignKey(
        "plans.Action", on_delete=models.CASCADE, related_name="flags", verbose_name=_("action")
    )
    # Flags are derived from reports and go with them; reports themselves are never deleted
    # except with a sample plan.
    report = models.ForeignKey(
        "plans.ProgressReport",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="flags",
        verbose_name=_("report"),
    )
    kind = models.CharField(_("pattern"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    detected_at = models.DateTimeField(_("detected at"), auto_now_add=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flags_cleared",
        verbose_name=_("cleared by"),
    )
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("suspicious pattern")
        verbose_name_plural = _("suspicious patterns")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind"],
                condition=Q(report__isnull=False),
                name="flag_unique_per_report",
            ),
            models.UniqueConstraint(
                fields=["action", "kind"],
                condition=Q(report__isnull=True),
                name="flag_unique_per_action",
            ),
            models.CheckConstraint(
                condition=Q(cleared_at__isnull=True) | ~Q(note=""),
                name="flag_cleared_with_note",
            ),
        ]
        indexes = [models.Index(fields=["cleared_at", "date"])]

    def __str__(self):
        return f"{self.action.code}{separator()}{self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None

    def _detail_date(self, key: str):
        try:
            return dt.date.fromisoformat(str(self.detail.get(key, "")))
        except ValueError:
            return None

    @property
    def deadline(self):
        """The deadline a burst came before (year end or an evaluated period's end)."""
        return self._detail_date("deadline")

    @property
    def until(self):
        """The last report of a flat run when it was detected."""
        return self._detail_date("until")
