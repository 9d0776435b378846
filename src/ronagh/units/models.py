"""Production units and industrial parks (SPEC 6), in their minimal form: the obstacles registry
links to them now; the production-units issue adds licences, indicators and risk."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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


class ProductionUnit(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        IDLE = "idle", _("Idle")
        CLOSED = "closed", _("Closed")

    province = models.ForeignKey(
        "core.Province", on_delete=models.PROTECT, related_name="units", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=300)
    # شناسه ملی: one record per national id (SPEC 6); the next issue adds its check digit.
    national_id = models.CharField(_("national id"), max_length=11, unique=True)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
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
    employees = models.PositiveIntegerField(_("employees"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("production unit")
        verbose_name_plural = _("production units")
        constraints = [
            models.CheckConstraint(condition=~Q(national_id=""), name="unit_national_id_given"),
        ]

    def __str__(self):
        return self.name
