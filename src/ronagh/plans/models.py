"""The plan and its progress (SPEC 4.1, 4.2): Plan → Axis → Action (+ Milestone), and the
append-only ProgressReport."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ronagh.core.append_only import AppendOnlyModel, AppendOnlyQuerySet


class PlanQuerySet(models.QuerySet):
    def communicated(self):
        """Plans open for reports (SPEC 4.1): communicated and not yet closed."""
        return self.filter(status=Plan.Status.COMMUNICATED)

    def judged(self):
        """Plans that judge agencies: communicated once (communicated or closed since). A draft
        is a schedule, not a yardstick."""
        return self.filter(communicated_on__isnull=False).exclude(status=Plan.Status.DRAFT)


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMMUNICATED = "communicated", _("Communicated")
        CLOSED = "closed", _("Closed")

    province = models.ForeignKey(
        "core.Province", on_delete=models.PROTECT, related_name="plans", verbose_name=_("province")
    )
    year = models.PositiveIntegerField(_("Jalali year"))
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    communicated_on = models.DateField(_("communicated on"), null=True, blank=True)
    communicated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The baseline frozen at communication (weights, dates, milestones), as plain data, so the
    # year-end report can always show what was communicated.
    baseline = models.JSONField(null=True, blank=True, editable=False)
    is_sample = models.BooleanField(_("sample data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "province__name"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="plan_one_per_province_year")
        ]

    def __str__(self):
        return self.title

    @property
    def is_communicated(self) -> bool:
        return self.status == self.Status.COMMUNICATED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_judged(self) -> bool:
        """See PlanQuerySet.judged."""
        return self.status != self.Status.DRAFT and self.communicated_on is not None


class Axis(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="axes")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    weight = models.DecimalField(_("weight"), max_digits=9, decimal_places=3, default=1)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("axis")
        verbose_name_plural = _("axes")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="axis_unique_number"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="axis_weight_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


def involving(agency_id: int) -> Q:
    """The actions an agency leads or partners in, as a condition on Action (no duplicate rows:
    the partners are a subquery, not a join)."""
    partner_of = Action.partners.through.objects.filter(agency_id=agency_id)
    return Q(lead_agency_id=agency_id) | Q(pk__in=partner_of.values("action_id"))


class ActionQuerySet(models.QuerySet):
    def involving(self, agency_id: int):
        """Actions the agency leads or partners in."""
        return self.filter(involving(agency_id))


class Action(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    lead_agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_actions",
        verbose_name=_("lead agency"),
    )
    partners = models.ManyToManyField(
        "core.Agency",
        blank=True,
        related_name="partner_actions",
        verbose_name=_("partner agencies"),
    )
    weight = models.DecimalField(_("weight"), max_digits=9, decimal_places=3, default=1)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit of measure"), max_length=100, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["axis__number", "code"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="action_unique_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="action_weight_positive"),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="action_end_not_before_start",
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField(_("date"))
    percent = models.DecimalField(_("planned cumulative percent"), max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["action", "date"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["action", "date"], name="milestone_unique_date"),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="milestone_percent_range"
            ),
        ]

    def __str__(self):
        return f"{self.date}: {self.percent}%"


class Channel(models.TextChoices):
    """How a report reached Ronagh (SPEC 7: `channel`)."""

    WEB = "web", _("Web")
    API = "api", _("API")
    BALE = "bale", _("Bale messenger")
    IMPORT = "import", _("Import")
    SECRETARIAT = "secretariat", _("Entered by the secretariat")


class ReportState(models.TextChoices):
    """Where a report stands (SPEC 7: `state`): it counts (effective), it was replaced by a
    correction in force (superseded), it is a reporter's correction awaiting the manager
    (pending), or a correction the manager refused (rejected)."""

    EFFECTIVE = "effective", _("Effective")
    SUPERSEDED = "superseded", _("Superseded")
    PENDING = "pending", _("Awaiting approval")
    REJECTED = "rejected", _("Rejected")


# --- what counts: the one definition (SPEC 4.2) ----------------------------------------------
#
# A report is **in force** unless it is a correction that needs approval (a reporter's) and has no
# approving decision. It is **effective** — it counts in figures — when it is in force and no
# correction in force points at it. Both are plain conditions on indexed columns: `needs_approval`
# on the row itself, an EXISTS on `CorrectionDecision.correction_id` (unique) and an anti-join
# on `ProgressReport.corrects_id` (the foreign key's index). Almost every report is no
# correction and has none, so both subqueries find nothing at the first index probe. Usable in
# any subquery: the OuterRef of each condition is the report being judged.


def _decisions(**kw):
    return CorrectionDecision.objects.filter(correction=OuterRef("pk"), **kw)


def in_force() -> Q:
    """The report may count: not a correction awaiting approval or refused."""
    return Q(needs_approval=False) | Q(Exists(_decisions(approved=True)))


def superseded() -> Exists:
    """A correction in force points at the report."""
    return Exists(ProgressReport.objects.filter(in_force(), corrects=OuterRef("pk")))


def is_effective() -> Q:
    """The report counts in every figure (SPEC 4.3's "effective report")."""
    return in_force() & ~Q(superseded())


def state() -> Case:
    """The report's ReportState, as an expression (for annotations)."""
    return Case(
        When(Q(needs_approval=True) & ~Q(Exists(_decisions())), then=Value(ReportState.PENDING)),
        When(
            Q(needs_approval=True) & Q(Exists(_decisions(approved=False))),
            then=Value(ReportState.REJECTED),
        ),  # fmt: skip
        When(superseded(), then=Value(ReportState.SUPERSEDED)),
        default=Value(ReportState.EFFECTIVE),
        output_field=models.CharField(),
    )


class ProgressReportQuerySet(AppendOnlyQuerySet):
    def effective(self):
        """The reports that count (SPEC 4.2, 4.3): in force and not superseded by a correction in
        force (see `is_effective`). The figures' engine and every read of "the latest report"
        use this and only this."""
        return self.filter(is_effective())

    def pending(self):
        """Reporters' corrections awaiting a decision of the manager or the secretariat."""
        return self.filter(needs_approval=True).exclude(Exists(_decisions()))

    def with_state(self):
        """Each report annotated with `state` (a ReportState value)."""
        return self.annotate(state=state())


class ProgressReport(AppendOnlyModel):
    """One report of cumulative physical progress. Append-only: a correction is a new record
    that points at the one it supersedes; a reporter's correction counts only once the manager
    or the secretariat approves it (a CorrectionDecision, itself append-only)."""

    SAMPLE_PATH = "action__plan__is_sample"

    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, related_name="reports", verbose_name=_("action")
    )
    agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, related_name="reports", verbose_name=_("agency")
    )
    date = models.DateField(_("report date"))
    percent = models.DecimalField(_("cumulative progress %"), max_digits=4, decimal_places=1)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(_("evidence file"), upload_to="evidence/%Y/%m/", blank=True)
    unchanged = models.BooleanField(_("confirmed unchanged"), default=False)
    # A foreign key, not one-to-one: a rejected correction stays on record and the report may be
    # corrected again. At most one correction of a report is pending or in force at a time
    # (services.reporting, under the action's lock; the database guards the immediate ones).
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    reason = models.TextField(_("reason for correction"), blank=True)
    needs_approval = models.BooleanField(
        _("needs approval"),
        default=False,
        editable=False,
        help_text=_("A reporter's correction: it counts only once approved."),
    )
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, default=Channel.WEB
    )
    late = models.BooleanField(_("late"), default=False)
    entered_by_secretariat = models.BooleanField(_("entered by the secretariat"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["action", "date", "id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        indexes = [
            # "The latest report of an action on or before a date": one probe (plans.engine).
            models.Index(fields=["action", "date", "id"], name="report_action_date_id"),
            # "The day an action reached 100": a probe of the reports at 100 only.
            models.Index(
                fields=["action", "date"], condition=Q(percent__gte=100), name="report_at_100"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="report_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(reason=""),
                name="report_correction_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(corrects=F("id")),
                name="report_not_self_correction",
            ),
            models.CheckConstraint(
                condition=Q(needs_approval=False) | Q(corrects__isnull=False),
                name="report_only_corrections_need_approval",
            ),
            # A report has at most one correction that took effect at once.
            models.UniqueConstraint(
                fields=["corrects"],
                condition=Q(needs_approval=False),
                name="report_one_immediate_correction",
            ),
        ]

    def __str__(self):
        return f"{self.action.code} {self.date}: {self.percent}%"


class CorrectionDecision(AppendOnlyModel):
    """The agency manager's (or the secretariat's) decision on a reporter's correction (SPEC 1,
    4.2): approved or rejected, with a comment. One per correction (the database guards it),
    never edited; the correction itself is never changed."""

    SAMPLE_PATH = "correction__action__plan__is_sample"

    correction = models.OneToOneField(
        ProgressReport,
        on_delete=models.PROTECT,
        related_name="decision",
        verbose_name=_("correction"),
    )
    approved = models.BooleanField(_("approved"))
    comment = models.TextField(_("comment"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("decision on a correction")
        verbose_name_plural = _("decisions on corrections")
        constraints = [
            models.CheckConstraint(condition=~Q(comment=""), name="decision_has_comment"),
        ]

    def __str__(self):
        return f"{self.correction_id}: {'+' if self.approved else '-'}"


# --- plan lifecycle: acknowledgement of communication, re-planning (SPEC 4.1, 4.2) -------------


class Acknowledgement(AppendOnlyModel):
    """An agency's receipt of a communicated plan: one per plan and agency, never edited."""

    SAMPLE_PATH = "plan__is_sample"

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="acknowledgements", verbose_name=_("plan")
    )
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("agency"),
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(
        _("acknowledged at"), default=timezone.now, editable=False
    )

    class Meta:
        ordering = ["plan", "acknowledged_at"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["plan", "agency"], name="acknowledgement_once"),
        ]

    def __str__(self):
        return f"{self.plan} — {self.agency}"


class ReplanRequest(models.Model):
    """A request to change a communicated action's schedule (dates, weight, target, milestones).
    The new values are the whole schedule the action would have; the secretariat decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, related_name="replan_requests", verbose_name=_("action")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="replan_requests",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, editable=False)
    new_start = models.DateField(_("new start"))
    new_end = models.DateField(_("new end"))
    new_weight = models.DecimalField(_("new weight"), max_digits=9, decimal_places=3)
    new_target = models.DecimalField(
        _("new target"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    # [["2026-06-01", "30.0"], …]: the format of Plan.baseline's milestones.
    new_milestones = models.JSONField(_("new milestones"), default=list, blank=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("re-planning request")
        verbose_name_plural = _("re-planning requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(new_end__gte=F("new_start")), name="replan_end_not_before_start"
            ),
            models.CheckConstraint(condition=Q(new_weight__gt=0), name="replan_weight_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="replan_has_reason"),
            models.CheckConstraint(
                condition=(
                    Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                    | (
                        Q(status__in=["approved", "rejected"])
                        & Q(decided_by__isnull=False, decided_at__isnull=False)
                        & ~Q(decision_reason="")
                    )
                ),
                name="replan_decision_complete",
            ),
        ]

    def __str__(self):
        return f"{self.action.code} ({self.get_status_display()})"


class Revision(AppendOnlyModel):
    """An approved change of a communicated action's schedule: what it was and what it became.
    Append-only; the plan's baseline keeps what was communicated."""

    SAMPLE_PATH = "action__plan__is_sample"

    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("action")
    )
    request = models.OneToOneField(
        ReplanRequest,
        on_delete=models.PROTECT,
        related_name="revision",
        verbose_name=_("re-planning request"),
    )
    before = models.JSONField(_("schedule before"))
    after = models.JSONField(_("schedule after"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["action", "created_at", "id"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self):
        return f"{self.action.code} @ {self.created_at:%Y-%m-%d}"
