"""Production units, industrial parks, monthly indicators, the early warning, permits,
employment and investment events (SPEC 6).

One record per national id: obstacles, indicators, risk scores, permits and the jobs ledger all
point at `ProductionUnit`. Months are stored as the Gregorian date of the first day of the Jalali
month (`month`); the Jalali `YYYY/MM` is written only at the edges (`lib/jalali.py`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ronagh.core.append_only import AppendOnlyModel

from .risk import Level


class IndustrialPark(models.Model):
    province = models.ForeignKey(
        "core.Province", on_delete=models.PROTECT, related_name="parks", verbose_name=_("province")
    )
    county = models.ForeignKey(
        "core.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parks",
        verbose_name=_("county"),
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("industrial park")
        verbose_name_plural = _("industrial parks")
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="park_unique_name"),
        ]

    def __str__(self):
        return self.name


class UnitStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    IDLE = "idle", _("Idle")
    CLOSED = "closed", _("Closed")


class UnitQuerySet(models.QuerySet):
    def not_closed(self):
        return self.exclude(status=UnitStatus.CLOSED)


class ProductionUnit(models.Model):
    Status = UnitStatus

    province = models.ForeignKey(
        "core.Province", on_delete=models.PROTECT, related_name="units", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=300)
    # The search key: ی/ک, ZWNJ and spaces normalised (SPEC 3); kept in step with the name.
    name_key = models.CharField(max_length=300, editable=False, db_index=True, default="")
    # شناسه ملی: one record per national id (SPEC 6), Latin digits, check digit validated by the
    # services (lib/national_id.py).
    national_id = models.CharField(_("national id"), max_length=11, unique=True)
    isic = models.CharField(_("ISIC code"), max_length=10, blank=True)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    # Derived from the province's priority-sector list (PrioritySector); refreshed whenever the
    # list or the unit's ISIC code or sector changes (services.registry).
    priority = models.BooleanField(_("priority sector"), default=False)
    county = models.ForeignKey(
        "core.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("county"),
    )
    park = models.ForeignKey(
        IndustrialPark,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("industrial park"),
    )
    # The agency that follows the unit: its users see the unit and enter its indicators.
    responsible_agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("responsible agency"),
    )
    employees = models.PositiveIntegerField(_("employees"), default=0)
    capacity = models.DecimalField(
        _("nominal capacity"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    manager = models.CharField(_("managing director"), max_length=200, blank=True)
    licence_no = models.CharField(_("operating licence number"), max_length=60, blank=True)
    licence_date = models.DateField(_("operating licence date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=UnitStatus.choices, default=UnitStatus.ACTIVE
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("production unit")
        verbose_name_plural = _("production units")
        indexes = [models.Index(fields=["province", "status"])]
        constraints = [
            models.CheckConstraint(condition=~Q(national_id=""), name="unit_national_id_given"),
            models.CheckConstraint(
                condition=Q(status__in=UnitStatus.values), name="unit_status_known"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0), name="unit_capacity_pos"
            ),
        ]

    def __str__(self):
        return self.name


class StatusChange(AppendOnlyModel):
    """A unit's status history (active / idle / closed) with the day it changed. Append-only."""

    SAMPLE_PATH = "unit__is_sample"

    unit = models.ForeignKey(
        ProductionUnit, on_delete=models.PROTECT, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=10, choices=UnitStatus.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["unit", "on", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")


class PrioritySector(models.Model):
    """One entry of the province's priority-sector list (cultural industries: printing and
    publishing, IT): an ISIC prefix, or a sector name, or both."""

    province = models.ForeignKey(
        "core.Province", on_delete=models.PROTECT, related_name="priority_sectors"
    )
    title = models.CharField(_("title"), max_length=200)
    isic_prefix = models.CharField(_("ISIC prefix"), max_length=10, blank=True)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["province", "isic_prefix", "sector"]
        verbose_name = _("priority sector")
        verbose_name_plural = _("priority sectors")
        constraints = [
            models.CheckConstraint(
                condition=~Q(isic_prefix="") | ~Q(sector=""), name="priority_names_something"
            ),
        ]

    def __str__(self):
        return self.title


class Channel(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")
    IMPORT = "import", _("Workbook import")
    DEMO = "demo", _("Sample data")


# The indicator values: (field name, workbook alias) — the API names them by the alias.
INDICATOR_FIELDS = (
    ("employees", "employees"),
    ("utilisation", "capacity_utilisation"),
    ("sales", "sales"),
    ("energy", "energy"),
    ("tax_overdue", "tax_overdue_months"),
    ("insurance_overdue", "insurance_overdue_months"),
    ("bank_overdue", "bank_overdue_months"),
    ("bounced_cheques", "bounced_cheques"),
    ("utility_cutoffs", "utility_cutoffs"),
)


class IndicatorValues(models.Model):
    """The values of one unit-month; blank: not given."""

    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    utilisation = models.DecimalField(
        _("capacity utilisation %"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    sales = models.DecimalField(
        _("sales (million rial)"), max_digits=18, decimal_places=1, null=True, blank=True
    )
    energy = models.DecimalField(
        _("energy use"), max_digits=18, decimal_places=1, null=True, blank=True
    )
    tax_overdue = models.PositiveSmallIntegerField(
        _("months of overdue tax"), null=True, blank=True
    )
    insurance_overdue = models.PositiveSmallIntegerField(
        _("months of overdue insurance premium"), null=True, blank=True
    )
    bank_overdue = models.PositiveSmallIntegerField(
        _("months of overdue bank instalments"), null=True, blank=True
    )
    bounced_cheques = models.PositiveIntegerField(_("bounced cheques"), null=True, blank=True)
    utility_cutoffs = models.PositiveIntegerField(_("utility cut-offs"), null=True, blank=True)

    class Meta:
        abstract = True


class UnitIndicator(IndicatorValues):
    """The current values of one unit and Jalali month, with who entered them. A re-entry
    replaces them and keeps the values it replaces in IndicatorRevision."""

    unit = models.ForeignKey(ProductionUnit, on_delete=models.PROTECT, related_name="indicators")
    month = models.DateField(_("month"))  # first Gregorian day of the Jalali month
    revisions = models.PositiveIntegerField(_("revisions"), default=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)

    class Meta:
        ordering = ["unit", "month"]
        verbose_name = _("monthly indicator")
        verbose_name_plural = _("monthly indicators")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="indicator_one_per_month"),
            models.CheckConstraint(
                condition=Q(utilisation__isnull=True)
                | (Q(utilisation__gte=0) & Q(utilisation__lte=100)),
                name="indicator_utilisation_range",
            ),
            models.CheckConstraint(
                condition=Q(sales__isnull=True) | Q(sales__gte=0), name="indicator_sales_pos"
            ),
            models.CheckConstraint(
                condition=Q(energy__isnull=True) | Q(energy__gte=0), name="indicator_energy_pos"
            ),
        ]

    def __str__(self):
        return f"{self.unit_id}:{self.month}"


class IndicatorRevision(IndicatorValues, AppendOnlyModel):
    """An earlier entry of a unit-month, as it was made (who, when, through which channel),
    kept when a re-entry replaced it; `number` counts the entries (1 = the first). The current
    values are the UnitIndicator's. Append-only."""

    SAMPLE_PATH = "unit__is_sample"

    unit = models.ForeignKey(ProductionUnit, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    number = models.PositiveIntegerField(_("revision"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now, editable=False)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)

    class Meta:
        ordering = ["unit", "month", "number"]
        verbose_name = _("indicator revision")
        verbose_name_plural = _("indicator revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "number"], name="indicator_revision_unique"
            ),
        ]

    def __str__(self):
        return f"{self.unit_id}:{self.month}#{self.number}"


LEVEL_CHOICES = [
    (Level.LOW.value, _("Low risk")),
    (Level.MEDIUM.value, _("Medium risk")),
    (Level.HIGH.value, _("High risk")),
]


class RiskModel(models.Model):
    """A fitted scorecard table, versioned: every score names the version that made it, so an
    old score stays explainable after a re-fit. A province's newest version is its active one;
    without one, the newest version for every province (province blank)."""

    province = models.ForeignKey(
        "core.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"))
    table = models.JSONField(_("table"))
    metrics = models.JSONField(_("backtest"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version"]
        verbose_name = _("risk model")
        verbose_name_plural = _("risk models")
        constraints = [
            models.UniqueConstraint(fields=["version"], name="risk_model_version_unique"),
        ]

    def __str__(self):
        return f"v{self.version}"


class RiskScore(models.Model):
    """A unit's early-warning score of one month, with the contributions that made it."""

    unit = models.ForeignKey(ProductionUnit, on_delete=models.PROTECT, related_name="risk_scores")
    month = models.DateField(_("month"))
    score = models.PositiveSmallIntegerField(_("score"))
    level = models.CharField(_("level"), max_length=10, choices=LEVEL_CHOICES)
    # [{"feature", "value", "reached", "points", "threshold"}], most points first
    contributions = models.JSONField(default=list)
    model = models.ForeignKey(RiskModel, on_delete=models.PROTECT, related_name="scores")
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit", "month"]
        verbose_name = _("risk score")
        verbose_name_plural = _("risk scores")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="risk_one_per_month"),
            models.CheckConstraint(condition=Q(score__lte=100), name="risk_score_range"),
        ]
        indexes = [models.Index(fields=["month", "level"])]

    def __str__(self):
        return f"{self.unit_id}:{self.month}={self.score}"


class PreventiveCase(models.Model):
    """The obstacle opened when a unit entered high risk (SPEC 6), one per episode: `month` is
    the first high month of the episode."""

    unit = models.ForeignKey(
        ProductionUnit, on_delete=models.PROTECT, related_name="preventive_cases"
    )
    month = models.DateField(_("month"))
    score = models.PositiveSmallIntegerField(_("score"))
    obstacle = models.OneToOneField(
        "obstacles.Obstacle", on_delete=models.PROTECT, related_name="preventive_case"
    )
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit", "month"]
        verbose_name = _("preventive case")
        verbose_name_plural = _("preventive cases")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="case_one_per_episode"),
        ]

    def __str__(self):
        return f"{self.unit_id}:{self.month}"


class Education(models.TextChoices):
    NONE = "none", _("No degree")
    DIPLOMA = "diploma", _("High-school diploma")
    ASSOCIATE = "associate", _("Associate degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")


class PermitKind(models.TextChoices):
    ESTABLISHMENT = "establishment", _("Establishment permit")
    OPERATING = "operating", _("Operating licence")


class Decision(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class PermitQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(decision=Decision.PENDING)

    def overdue(self, on):
        """Awaiting a decision past the legal deadline on `on` (SPEC 6: permit delays)."""
        return self.filter(decision=Decision.PENDING, legal_deadline__lt=on)


class PermitApplication(models.Model):
    """An application for an establishment permit or operating licence (seed: permits only
    for competent managers). The competence score is advice beside the file (permits.py), never
    a decision; the officer's decision and reason are recorded."""

    Education = Education
    Kind = PermitKind
    Decision = Decision

    province = models.ForeignKey("core.Province", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("kind"), max_length=20, choices=PermitKind.choices, default=PermitKind.ESTABLISHMENT
    )
    applicant = models.CharField(_("applicant"), max_length=200)
    unit = models.ForeignKey(
        ProductionUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="permits",
        verbose_name=_("production unit"),
    )
    planned_unit = models.CharField(_("planned unit"), max_length=300, blank=True)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    county = models.ForeignKey(
        "core.County", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    manager = models.CharField(_("managing director"), max_length=200)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)
    experience_years = models.PositiveSmallIntegerField(_("years of relevant experience"))
    failed_units = models.PositiveSmallIntegerField(_("earlier failed units"), default=0)
    own_capital = models.DecimalField(
        _("own capital (million rial)"), max_digits=18, decimal_places=0
    )
    project_cost = models.DecimalField(
        _("project cost (million rial)"), max_digits=18, decimal_places=0
    )
    business_plan = models.BooleanField(_("business plan present"), default=False)
    issuing_agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        related_name="permit_applications",
        verbose_name=_("issuing agency"),
    )
    filed_on = models.DateField(_("filed on"))
    legal_deadline = models.DateField(_("legal deadline"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The HQ obstacle opened for a delay: linked, not copied.
    obstacle = models.OneToOneField(
        "obstacles.Obstacle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="permit_application",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_sample = models.BooleanField(default=False)

    objects = PermitQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = _("permit application")
        verbose_name_plural = _("permit applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(legal_deadline__gte=models.F("filed_on")), name="permit_deadline_after"
            ),
            models.CheckConstraint(
                condition=Q(own_capital__gte=0) & Q(project_cost__gt=0), name="permit_money_pos"
            ),
        ]

    def __str__(self):
        return f"{self.applicant} — {self.unit or self.planned_unit}"

    def days_late(self, today) -> int:
        """Days past the legal deadline: until the decision, or until today while pending."""
        end = self.decided_on if self.decision != Decision.PENDING else today
        if end is None:
            return 0
        return max(0, (end - self.legal_deadline).days)


class EmploymentTarget(models.Model):
    """A target of the employment development document: jobs by Jalali year, sector, county."""

    province = models.ForeignKey("core.Province", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    sector = models.CharField(_("sector"), max_length=200)
    county = models.ForeignKey(
        "core.County", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    jobs = models.PositiveIntegerField(_("target jobs"))
    is_sample = models.BooleanField(default=False)

    class Meta:
        ordering = ["year", "sector"]
        verbose_name = _("employment target")
        verbose_name_plural = _("employment targets")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "sector", "county"], name="target_unique"
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.sector}: {self.jobs}"


class Evidence(models.TextChoices):
    DECLARED = "declared", _("Declared by the unit")
    INSURANCE = "insurance", _("Matched to the insurance list")
    FIELD = "field", _("Checked in the field")


class JobsEntry(models.Model):
    """The net jobs ledger: a unit's jobs created, kept and lost in one month, and how it is
    known. One entry per unit, month and kind of evidence; the net figures count the best
    evidence of each unit-month (field check, then insurance list, then declaration)."""

    Evidence = Evidence

    unit = models.ForeignKey(ProductionUnit, on_delete=models.PROTECT, related_name="jobs")
    month = models.DateField(_("month"))
    created = models.PositiveIntegerField(_("jobs created"), default=0)
    kept = models.PositiveIntegerField(_("jobs kept"), default=0)
    lost = models.PositiveIntegerField(_("jobs lost"), default=0)
    evidence = models.CharField(_("how it is known"), max_length=10, choices=Evidence.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit", "month"]
        verbose_name = _("jobs ledger entry")
        verbose_name_plural = _("jobs ledger entries")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month", "evidence"], name="jobs_one_per_kind"),
        ]

    def __str__(self):
        return f"{self.unit_id}:{self.month} +{self.created} -{self.lost}"


class EventKind(models.TextChoices):
    EXHIBITION = "exhibition", _("Exhibition")
    SENT = "sent", _("Trade delegation sent")
    RECEIVED = "received", _("Trade delegation received")


class InvestmentEvent(models.Model):
    """An exhibition or trade delegation (seed: investment through exhibitions and delegations)."""

    Kind = EventKind

    province = models.ForeignKey("core.Province", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=300)
    country = models.CharField(_("country"), max_length=100)
    date = models.DateField(_("date"))
    leads = models.PositiveIntegerField(_("leads"), default=0)
    memoranda = models.PositiveIntegerField(_("memoranda signed"), default=0)
    amount = models.DecimalField(
        _("amount (million US dollars)"), max_digits=14, decimal_places=2, default=0
    )
    note = models.TextField(_("note"), blank=True)
    is_sample = models.BooleanField(default=False)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("investment event")
        verbose_name_plural = _("investment events")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="event_amount_pos"),
        ]

    def __str__(self):
        return self.title
