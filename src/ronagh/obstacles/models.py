"""Obstacles that production faces, who must remove them, and every step of their handling
(SPEC 5): Obstacle, its append-only Transitions, and the province's category → agency
RoutingRules."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ronagh.core.append_only import AppendOnlyModel

from . import statuses


class Category(models.TextChoices):
    BANKING = "banking", _("Banking and liquidity")
    TAX = "tax", _("Tax")
    INSURANCE = "insurance", _("Social security insurance")
    CUSTOMS = "customs", _("Customs")
    ENERGY = "energy", _("Energy and utilities")
    PERMITS = "permits", _("Permits and licences")
    LAND = "land", _("Land and infrastructure")
    LABOUR = "labour", _("Labour relations")
    MARKET = "market", _("Raw materials and market")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    REGISTERED = statuses.REGISTERED, _("Registered")
    ASSIGNED = statuses.ASSIGNED, _("Assigned")
    IN_PROGRESS = statuses.IN_PROGRESS, _("In progress")
    RESOLVED = statuses.RESOLVED, _("Resolved")
    REFERRED_NATIONAL = statuses.REFERRED_NATIONAL, _("Referred to the national HQ")
    REJECTED = statuses.REJECTED, _("Rejected")


class Severity(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    GRAVE = 4, _("Grave")


class FacingKind(models.TextChoices):
    # Blank: not stated (an API client may register without saying who faces it).
    UNSTATED = "", _("Not stated")
    UNIT = "unit", _("A production unit")
    PARK = "park", _("An industrial park")
    SECTOR = "sector", _("A whole sector")


RUNNING, OPEN, CLOSED, NOT_SCORED = (
    statuses.RUNNING,
    statuses.OPEN,
    statuses.CLOSED,
    statuses.NOT_SCORED,
)
# Resolved on or before its due date: what the obstacle component counts as done.
RESOLVED_ON_TIME = Q(status=Status.RESOLVED, resolved_on__isnull=False) & Q(
    resolved_on__lte=models.F("due_date")
)


def overdue_on(on) -> Q:
    """The condition of `ObstacleQuerySet.overdue`, for counts and annotations."""
    return Q(status__in=RUNNING, due_date__lt=on)


class ObstacleQuerySet(models.QuerySet):
    """SPEC 5's words about obstacles, each defined here once."""

    def open(self):
        """Not yet closed: registered, assigned or in progress."""
        return self.filter(status__in=OPEN)

    def registered_by(self, on):
        """Registered on or before `on`: what a report as of that date counts (with the status
        each obstacle has now: transitions are not replayed)."""
        return self.filter(registered_on__lte=on)

    def running(self):
        """Someone's job with a clock: assigned or in progress."""
        return self.filter(status__in=RUNNING)

    def overdue(self, on):
        """Running and past its due date on `on` (SPEC 5: overdue escalates)."""
        return self.filter(overdue_on(on))

    def not_overdue(self, on):
        return self.exclude(overdue_on(on))

    def bounced(self, at_least: int = 1):
        """Re-routed from one agency to another at least once (SPEC 5: a bounce)."""
        return self.filter(bounces__gte=at_least)

    def due_for_score(self, as_of):
        """What SPEC 4.4's obstacle component counts: due on or before `as_of`, rejected and
        nationally referred ones left out."""
        return self.filter(due_date__lte=as_of).exclude(status__in=NOT_SCORED)

    def resolved_on_time(self):
        return self.filter(RESOLVED_ON_TIME)


class Obstacle(models.Model):
    Category = Category
    Status = Status
    Severity = Severity
    FacingKind = FacingKind

    province = models.ForeignKey(
        "core.Province",
        on_delete=models.PROTECT,
        related_name="obstacles",
        verbose_name=_("province"),
    )
    # Who faces it: one production unit, one industrial park, or a whole sector.
    facing_kind = models.CharField(
        _("who faces it"),
        max_length=10,
        choices=FacingKind.choices,
        default=FacingKind.UNSTATED,
        blank=True,
    )
    unit = models.ForeignKey(
        "units.ProductionUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obstacles",
        verbose_name=_("production unit"),
    )
    park = models.ForeignKey(
        "units.IndustrialPark",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obstacles",
        verbose_name=_("industrial park"),
    )
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    county = models.ForeignKey(
        "core.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obstacles",
        verbose_name=_("county"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    jobs_affected = models.PositiveIntegerField(_("jobs affected"), default=0)
    amount = models.PositiveBigIntegerField(_("amount involved (rial)"), default=0)
    # A draft plan replaced by a new import takes its actions with it; the obstacle stays.
    action = models.ForeignKey(
        "plans.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="obstacles",
        verbose_name=_("plan action"),
    )
    responsible_agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obstacles",
        verbose_name=_("responsible agency"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    # The clock: restarted by every (re-)assignment; due_date = assigned_on + SLA(severity).
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    # Re-routings to another agency (SPEC 5 "bounces"), kept with the transitions that made them.
    bounces = models.PositiveIntegerField(_("bounces"), default=0)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registered_obstacles",
        verbose_name=_("registered by"),
    )
    # The agency of an agency user who registered it: it may follow the case read-only.
    registered_by_agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_obstacles",
        verbose_name=_("registering agency"),
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    registered_on = models.DateField(_("registered on"))
    is_sample = models.BooleanField(_("sample data"), default=False)

    objects = ObstacleQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")
        indexes = [
            models.Index(fields=["province", "status"]),
            models.Index(fields=["responsible_agency", "status"]),
            models.Index(fields=["status", "due_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__gte=1) & Q(severity__lte=4), name="obstacle_severity_range"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="obstacle_category_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="obstacle_status_known"
            ),
            models.CheckConstraint(
                condition=(Q(facing_kind="") & Q(unit__isnull=True) & Q(park__isnull=True))
                | (Q(facing_kind="unit") & Q(unit__isnull=False))
                | (Q(facing_kind="park") & Q(park__isnull=False))
                | (Q(facing_kind="sector") & ~Q(sector="")),
                name="obstacle_facing_given",
            ),
            # Whoever works on it, resolved it or passed it on is an agency with a clock.
            models.CheckConstraint(
                condition=Q(status__in=["registered", "rejected"])
                | (Q(responsible_agency__isnull=False) & Q(due_date__isnull=False)),
                name="obstacle_routed_has_agency",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def facing(self):
        """What faces it, for display: the unit, the park or the sector's name."""
        if self.facing_kind == FacingKind.UNIT:
            return self.unit
        if self.facing_kind == FacingKind.PARK:
            return self.park
        return self.sector or None

    def is_overdue(self, today) -> bool:
        """ObstacleQuerySet.overdue for one loaded obstacle."""
        return self.status in RUNNING and self.due_date is not None and self.due_date < today

    @property
    def is_bounced(self) -> bool:
        """ObstacleQuerySet.bounced for one loaded obstacle."""
        return self.bounces >= 1

    def days_overdue(self, today) -> int:
        return (today - self.due_date).days if self.is_overdue(today) else 0


class Transition(AppendOnlyModel):
    """One step of an obstacle's handling: who moved it, when, from which status to which, to
    which agency, and why. Append-only."""

    SAMPLE_PATH = "obstacle__is_sample"

    obstacle = models.ForeignKey(
        Obstacle, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("obstacle")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    # The responsible agency before and after the step (changes on assignment and re-routing).
    from_agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from agency"),
    )
    to_agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to agency"),
    )
    is_bounce = models.BooleanField(_("re-routing"), default=False)
    automatic = models.BooleanField(_("routed automatically"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="obstacle_transitions",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["obstacle", "at", "id"]
        verbose_name = _("obstacle transition")
        verbose_name_plural = _("obstacle transitions")

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class RoutingRule(models.Model):
    """The province's routing table: obstacles of a category go to this agency unless the
    registration names one."""

    province = models.ForeignKey(
        "core.Province",
        on_delete=models.PROTECT,
        related_name="routing_rules",
        verbose_name=_("province"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["province", "category"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["province", "category"], name="routing_one_per_cat"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} → {self.agency}"
