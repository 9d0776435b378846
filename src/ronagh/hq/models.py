"""The Facilitation HQ (SPEC 5): its meetings with their agenda of open obstacles, the numbered
resolutions (مصوبات) and their clauses, the follow-up of each clause and the escalation ladder of
an overdue one (with the Article 62 case file), and the systemic issues referred to the national
HQ.

Meetings, resolutions and clauses are written through services.py only. Clause updates and
escalation steps are append-only: a later fact is a new row, never an edit of an old one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ronagh.core.append_only import AppendOnlyModel

from . import ladder, rates


class Meeting(models.Model):
    """A session of the provincial working group: the governor in the chair, the head of the
    Industry, Mine & Trade organisation as secretary, the member agencies, banks invited case by
    case."""

    province = models.ForeignKey(
        "core.Province",
        on_delete=models.PROTECT,
        related_name="hq_meetings",
        verbose_name=_("province"),
    )
    number = models.PositiveIntegerField(_("meeting number"))
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    chair = models.CharField(_("chair"), max_length=200, blank=True)
    secretary = models.CharField(_("secretary"), max_length=200, blank=True)
    # Free text, one attendee a line ("name — post"), as the minutes list them.
    attendees = models.TextField(_("attendees"), blank=True)
    agencies = models.ManyToManyField(
        "core.Agency",
        blank=True,
        related_name="hq_meetings",
        verbose_name=_("attending agencies"),
    )
    notes = models.TextField(_("notes"), blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-date", "-number"]
        verbose_name = _("HQ meeting")
        verbose_name_plural = _("HQ meetings")
        constraints = [
            models.UniqueConstraint(fields=["province", "number"], name="hq_meeting_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="hq_meeting_number_positive"),
        ]

    def __str__(self):
        return str(_("HQ meeting %(n)s") % {"n": self.number})

    def attendee_lines(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class AgendaItem(models.Model):
    """One item of a meeting's agenda: an open obstacle brought to the table, or a topic."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting")
    )
    number = models.PositiveIntegerField(_("number"))
    obstacle = models.ForeignKey(
        "obstacles.Obstacle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hq_agenda_items",
        verbose_name=_("obstacle"),
    )
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="hq_agenda_unique_number"),
            models.UniqueConstraint(
                fields=["meeting", "obstacle"],
                condition=Q(obstacle__isnull=False),
                name="hq_agenda_obstacle_once",
            ),
        ]

    def __str__(self):
        return self.title


class Resolution(models.Model):
    """A numbered resolution (مصوبه) of a meeting, e.g. 12/3: the third of meeting 12."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="resolutions", verbose_name=_("meeting")
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))
    obstacles = models.ManyToManyField(
        "obstacles.Obstacle",
        blank=True,
        related_name="hq_resolutions",
        verbose_name=_("obstacles answered"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="hq_resolution_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="hq_resolution_number_positive"
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def code(self) -> str:
        """'12/3': meeting 12, resolution 3 (Latin digits; templates localise them)."""
        return f"{self.meeting.number}/{self.number}"


class ClauseQuerySet(models.QuerySet):
    """SPEC 5's words about clauses, each defined here once (rates.py holds the same rules for
    plain data)."""

    def open(self):
        return self.filter(status=Clause.Status.OPEN)

    def overdue(self, on):
        """Still open after its due date on `on`: it climbs the escalation ladder."""
        return self.filter(status=Clause.Status.OPEN, due_date__lt=on)

    def due_by(self, on):
        """Due on or before `on`: what the execution rate counts."""
        return self.filter(due_date__lte=on)

    def of_agency(self, agency_id: int):
        """Clauses whose party is this agency (not a firm's own commitments)."""
        return self.filter(party_kind=Clause.Party.AGENCY, agency_id=agency_id)


class Clause(models.Model):
    """One obligation of a resolution, with its own party (an agency, or the firm itself), due
    date and status. Its status changes only through services.mark_clause, each change kept as a
    ClauseUpdate."""

    class Party(models.TextChoices):
        AGENCY = "agency", _("Agency")
        FIRM = "firm", _("The firm itself")

    class Status(models.TextChoices):  # the values are rates.py's, where the rules use them
        OPEN = rates.OPEN, _("Open")
        DONE = rates.DONE, _("Done")
        NOT_DONE = rates.NOT_DONE, _("Not done")

    resolution = models.ForeignKey(
        Resolution, on_delete=models.PROTECT, related_name="clauses", verbose_name=_("resolution")
    )
    number = models.PositiveIntegerField(_("number"))
    party_kind = models.CharField(
        _("party"), max_length=10, choices=Party.choices, default=Party.AGENCY
    )
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hq_clauses",
        verbose_name=_("responsible agency"),
    )
    unit = models.ForeignKey(
        "units.ProductionUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hq_clauses",
        verbose_name=_("production unit"),
    )
    # The firm's name as the minutes write it, when it has no production-unit record.
    firm = models.CharField(_("firm"), max_length=300, blank=True)
    obligation = models.TextField(_("obligation"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    not_done_on = models.DateField(_("declared not done on"), null=True, blank=True)
    reason = models.TextField(_("reason not done"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ClauseQuerySet.as_manager()

    class Meta:
        ordering = ["resolution", "number"]
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["status", "due_date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "number"], name="hq_clause_unique_number"
            ),
            models.CheckConstraint(
                condition=(Q(party_kind="agency") & Q(agency__isnull=False))
                | (Q(party_kind="firm") & (Q(unit__isnull=False) | ~Q(firm=""))),
                name="hq_clause_party_given",
            ),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(done_on__isnull=True) & Q(not_done_on__isnull=True))
                | (Q(status="done") & Q(done_on__isnull=False))
                | (Q(status="not_done") & Q(not_done_on__isnull=False) & ~Q(reason="")),
                name="hq_clause_status_dates",
            ),
        ]

    def __str__(self):
        return f"{self.resolution.code}-{self.number}"

    @property
    def code(self) -> str:
        """'12/3-1': clause 1 of resolution 12/3."""
        return f"{self.resolution.code}-{self.number}"

    @property
    def party(self) -> str:
        """Who must act, for display."""
        if self.party_kind == self.Party.AGENCY:
            return str(self.agency)
        return str(self.unit) if self.unit_id else self.firm

    @property
    def party_is_bank(self) -> bool:
        from ronagh.core.models import Agency

        return self.party_kind == self.Party.AGENCY and self.agency.kind == Agency.Kind.BANK

    def is_overdue(self, today) -> bool:
        """ClauseQuerySet.overdue for one loaded clause."""
        return self.status == self.Status.OPEN and self.due_date < today

    def done_on_time(self) -> bool:
        return self.status == self.Status.DONE and self.done_on <= self.due_date


class ClauseUpdate(AppendOnlyModel):
    """One change of a clause's status, with who, when and why. Append-only."""

    SAMPLE_PATH = "clause__resolution__meeting__is_sample"

    clause = models.ForeignKey(
        Clause, on_delete=models.PROTECT, related_name="updates", verbose_name=_("clause")
    )
    from_status = models.CharField(_("from"), max_length=10, choices=Clause.Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=Clause.Status.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["clause", "at", "id"]
        verbose_name = _("clause update")
        verbose_name_plural = _("clause updates")

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class EscalationStep(AppendOnlyModel):
    """One rung of the escalation ladder an overdue clause climbed (ladder.py). Append-only."""

    SAMPLE_PATH = "clause__resolution__meeting__is_sample"

    class Step(models.TextChoices):
        REMINDER = ladder.REMINDER, _("Reminder to the agency")
        GOVERNOR_LETTER = ladder.GOVERNOR_LETTER, _("The governor's letter")
        ARTICLE_62 = ladder.ARTICLE_62, _("Article 62 board")
        JUDICIAL_COMMITTEE = ladder.JUDICIAL_COMMITTEE, _("Judicial-support committee")
        CENTRAL_BANK_BOARD = ladder.CENTRAL_BANK_BOARD, _("Central bank's disciplinary board")
        NATIONAL_HQ = ladder.NATIONAL_HQ, _("National HQ")

    clause = models.ForeignKey(
        Clause, on_delete=models.PROTECT, related_name="escalations", verbose_name=_("clause")
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    level = models.PositiveSmallIntegerField(_("rung"))
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["clause", "date", "at", "id"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        constraints = [
            models.CheckConstraint(
                condition=Q(step__in=list(ladder.STEPS)), name="hq_escalation_step_known"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=ladder.TOP), name="hq_escalation_level"
            ),
        ]

    def __str__(self):
        return self.get_step_display()


class Article62Case(models.Model):
    """The case file of a bank's refusal to finance, put before the Article 62 board: the
    facility asked, the bank's written reasons, then the board's opinion and the pay-by date.
    The referral fields are written once with the escalation step; the opinion is written once
    when the board gives it (services.record_board_opinion)."""

    step = models.OneToOneField(
        EscalationStep,
        on_delete=models.PROTECT,
        related_name="article62",
        verbose_name=_("escalation step"),
    )
    facility_amount = models.PositiveBigIntegerField(_("facility asked (rial)"))
    bank_reasons = models.TextField(_("bank's written reasons"))
    board_opinion = models.TextField(_("board's opinion"), blank=True)
    opinion_on = models.DateField(_("opinion given on"), null=True, blank=True)
    pay_by = models.DateField(_("pay by"), null=True, blank=True)
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Article 62 case")
        verbose_name_plural = _("Article 62 cases")
        constraints = [
            models.CheckConstraint(
                condition=(Q(board_opinion="") & Q(opinion_on__isnull=True))
                | (~Q(board_opinion="") & Q(opinion_on__isnull=False)),
                name="hq_article62_opinion_dated",
            ),
        ]

    def __str__(self):
        return str(self.step.clause)


class SystemicIssue(models.Model):
    """Obstacles of many firms with one cause (a bank's policy, a customs rule, a missing
    regulation), grouped to be referred to the national HQ with the firms, jobs and money behind
    them (counted by selectors.systemic_figures)."""

    class Cause(models.TextChoices):
        BANK_POLICY = "bank_policy", _("A bank's policy")
        CUSTOMS_RULE = "customs_rule", _("A customs rule")
        MISSING_REGULATION = "missing_regulation", _("A missing regulation")
        NATIONAL_POLICY = "national_policy", _("A national policy or directive")
        OTHER = "other", _("Other")

    province = models.ForeignKey(
        "core.Province",
        on_delete=models.PROTECT,
        related_name="systemic_issues",
        verbose_name=_("province"),
    )
    title = models.CharField(_("title"), max_length=300)
    cause_kind = models.CharField(
        _("kind of cause"), max_length=20, choices=Cause.choices, default=Cause.OTHER
    )
    cause = models.TextField(_("cause"))
    obstacles = models.ManyToManyField(
        "obstacles.Obstacle", related_name="systemic_issues", verbose_name=_("obstacles")
    )
    referred_on = models.DateField(_("referred to the national HQ on"), null=True, blank=True)
    national_reference = models.CharField(_("national HQ reference"), max_length=100, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_sample = models.BooleanField(_("sample data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("systemic issue")
        verbose_name_plural = _("systemic issues")

    def __str__(self):
        return self.title

    @property
    def is_referred(self) -> bool:
        return self.referred_on is not None
