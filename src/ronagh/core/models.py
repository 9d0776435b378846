"""Provinces, counties, agencies, users and roles (SPEC 1), and the holidays of the calendar."""

from django.contrib.auth.models import AbstractUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from ronagh.lib.text import clean_name, normalize


class Province(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self):
        return self.name


class County(models.Model):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="counties")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="county_unique_name")
        ]

    def __str__(self):
        return self.name


class Agency(models.Model):
    class Kind(models.TextChoices):
        GOVERNORATE = "governorate", _("Governorate")
        INDUSTRY = "industry", _("Industry, mine and trade")
        TAX = "tax", _("Tax")
        INSURANCE = "insurance", _("Social security insurance")
        CUSTOMS = "customs", _("Customs")
        BANK = "bank", _("Bank")
        LABOUR = "labour", _("Labour and social affairs")
        CULTURE = "culture", _("Culture")
        AGRICULTURE = "agriculture", _("Agriculture")
        ENERGY = "energy", _("Energy and utilities")
        PLANNING = "planning", _("Planning and budget")
        PARKS = "parks", _("Industrial parks")
        CHAMBER = "chamber", _("Chamber and private sector")
        JUDICIARY = "judiciary", _("Judiciary")
        OTHER = "other", _("Other")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(_("name"), max_length=200)
    # The matching key: ی/ک, ZWNJ and spaces normalised (SPEC 3); kept in step with name.
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    code = models.SlugField(_("code"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["province", "name_key"], name="agency_unique_name"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Storage form, not business logic: the name is kept clean and its key derived from it.
        self.name = clean_name(self.name)
        self.name_key = normalize(self.name)
        super().save(*args, **kwargs)


class User(AbstractUser):
    class Role(models.TextChoices):
        GOVERNOR = "governor", _("Governor")
        SECRETARIAT = "secretariat", _("Secretariat")
        AGENCY_MANAGER = "agency_manager", _("Agency manager")
        AGENCY_REPORTER = "agency_reporter", _("Agency reporter")
        AUDITOR = "auditor", _("Auditor")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AUDITOR)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("agency"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("province"),
    )
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_agency_user(self) -> bool:
        return self.role in (self.Role.AGENCY_MANAGER, self.Role.AGENCY_REPORTER)

    @property
    def is_secretariat(self) -> bool:
        return self.role == self.Role.SECRETARIAT or self.is_superuser

    @property
    def is_national(self) -> bool:
        """A national viewer (templates ask; the rule is `permissions.is_national`)."""
        from .permissions import is_national

        return is_national(self)

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role in (
            self.Role.GOVERNOR,
            self.Role.SECRETARIAT,
            self.Role.AUDITOR,
        )


class Holiday(models.Model):
    """An official holiday: not a working day for reporting windows and compliance. Each year is
    seeded from the `holidays` package (SPEC 3) and corrected by the secretariat; a lunar
    holiday the package only estimates is marked so until the secretariat confirms its date."""

    date = models.DateField(_("date"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    lunar = models.BooleanField(_("lunar calendar"), default=False)
    estimated = models.BooleanField(_("estimated date"), default=False)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self):
        return self.title


class IdempotencyKey(models.Model):
    """The first answer to a request sent with an `Idempotency-Key` (SPEC 7): the same key with
    the same request gets this answer again and changes nothing; with another request it is
    refused. The unique (user, scope, key) decides under concurrent replays, not a prior read
    (core/idempotency.py)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    scope = models.CharField(_("scope"), max_length=60)
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("fingerprint of the request"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status of the answer"))
    response = models.JSONField(_("answer"), null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_key_once")
        ]

    def __str__(self):
        return f"{self.scope}:{self.key}"
