"""Permit applications (SPEC 6; seed: incompetent managers): filing, the officer's decision
with its reason, and the one-click HQ obstacle for an application past its legal deadline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.errors import Conflict
from ronagh.core.i18n import local_date, local_digits
from ronagh.core.models import Agency, County, Province, User
from ronagh.core.permissions import require
from ronagh.lib.digits import parse_decimal
from ronagh.lib.text import clean_name
from ronagh.obstacles.services import register_obstacle

from .. import permissions
from ..competence import Competence, competence
from ..models import Decision, Education, PermitApplication, PermitKind, ProductionUnit
from .numbers import whole

MAX_MONEY = Decimal("999999999999999999")


def competence_of(application: PermitApplication) -> Competence:
    """The documented competence score of an application (advice, `units/competence.py`)."""
    return competence(
        education=application.education,
        experience_years=application.experience_years,
        failed_units=application.failed_units,
        own_capital=application.own_capital,
        project_cost=application.project_cost,
        business_plan=application.business_plan,
    )


@transaction.atomic
def file_application(
    *,
    actor: User | None,
    province: Province,
    applicant: str,
    manager: str,
    education: str,
    experience_years,
    own_capital,
    project_cost,
    issuing_agency: Agency | None,
    filed_on: dt.date | None,
    failed_units=0,
    business_plan: bool = False,
    kind: str = PermitKind.ESTABLISHMENT,
    unit: ProductionUnit | None = None,
    planned_unit: str = "",
    sector: str = "",
    county: County | None = None,
    legal_deadline: dt.date | None = None,
    is_sample: bool = False,
) -> PermitApplication:
    """Record an application; the legal deadline defaults to the filing day plus the legal days
    (a setting). The secretariat or the issuing agency's users file; ValidationError per field."""
    errors: dict[str, str] = {}
    if issuing_agency is None:
        errors["issuing_agency"] = _("Choose the agency that issues the permit.")
    elif issuing_agency.province_id != province.pk:
        errors["issuing_agency"] = _("The agency belongs to another province.")
    if actor is not None:
        require(
            permissions.may_file_permit(
                actor, province.pk, issuing_agency.pk if issuing_agency else None
            ),
            _("Only the secretariat or the issuing agency may record a permit application."),
        )
    applicant, manager = clean_name(applicant), clean_name(manager)
    planned_unit, sector = clean_name(planned_unit), clean_name(sector)
    if not applicant:
        errors["applicant"] = _("Name the applicant.")
    if not manager:
        errors["manager"] = _("Name the managing director.")
    if unit is None and not planned_unit:
        errors["planned_unit"] = _("Choose the existing unit or name the planned one.")
    if unit is not None and unit.province_id != province.pk:
        errors["unit"] = _("The production unit is in another province.")
    if county is not None and county.province_id != province.pk:
        errors["county"] = _("The county is in another province.")
    if education not in Education.values:
        errors["education"] = _("Choose the level of education.")
    if kind not in PermitKind.values:
        errors["kind"] = _("Choose the kind of permit.")
    years = whole(experience_years, "experience_years", errors, maximum=60)
    failures = whole(failed_units, "failed_units", errors, maximum=50)
    money = {}
    for key, raw in (("own_capital", own_capital), ("project_cost", project_cost)):
        number = parse_decimal(raw)
        if number is None or number < 0 or number > MAX_MONEY:
            errors[key] = _("Enter an amount in million rial (0 or more).")
        money[key] = number
    if "project_cost" not in errors and money["project_cost"] == 0:
        errors["project_cost"] = _("The project's cost must be greater than zero.")
    if filed_on is None:
        errors["filed_on"] = _("Give the day the application was filed.")
    elif filed_on > timezone.localdate():
        errors["filed_on"] = _("The filing day cannot be in the future.")
    if filed_on is not None and legal_deadline is None:
        legal_deadline = filed_on + dt.timedelta(
            days=settings.RONAGH_EARLY_WARNING["PERMIT_LEGAL_DAYS"]
        )
    if filed_on is not None and legal_deadline is not None and legal_deadline < filed_on:
        errors["legal_deadline"] = _("The legal deadline cannot be before the filing day.")
    if errors:
        raise ValidationError(errors)
    return PermitApplication.objects.create(
        province=province,
        kind=kind,
        applicant=applicant,
        unit=unit,
        planned_unit=planned_unit,
        sector=sector or (unit.sector if unit else ""),
        county=county or (unit.county if unit else None),
        manager=manager,
        education=education,
        experience_years=years,
        failed_units=failures,
        own_capital=money["own_capital"],
        project_cost=money["project_cost"],
        business_plan=bool(business_plan),
        issuing_agency=issuing_agency,
        filed_on=filed_on,
        legal_deadline=legal_deadline,
        registered_by=actor,
        is_sample=is_sample,
    )


@transaction.atomic
def decide(
    *,
    actor: User,
    application: PermitApplication,
    decision: str,
    reason: str,
    on: dt.date | None = None,
) -> PermitApplication:
    """The officer's decision (approved or refused) with its reason, recorded with who and when.
    The competence score is never the decision: a refusal needs its own reason like an approval.
    Conflict when the application was decided already."""
    application = PermitApplication.objects.select_for_update().get(pk=application.pk)
    require(
        permissions.may_decide_permit(actor, application),
        _("Only the issuing agency or the secretariat may decide this application."),
    )
    if application.decision != Decision.PENDING:
        raise Conflict(_("The application has been decided already."))
    errors = {}
    if decision not in (Decision.APPROVED, Decision.REFUSED):
        errors["decision"] = _("Choose approve or refuse.")
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Give the reason for the decision.")
    on = on or timezone.localdate()
    if on < application.filed_on:
        errors["on"] = _("The decision cannot be before the filing day.")
    if errors:
        raise ValidationError(errors)
    application.decision = decision
    application.decision_reason = reason
    application.decided_on = on
    application.decided_by = actor
    application.save()
    return application


@transaction.atomic
def open_delay_obstacle(
    *, actor: User, application: PermitApplication, today: dt.date | None = None, at=None
) -> PermitApplication:
    """An application past its legal deadline becomes an HQ obstacle in one click: registered
    with the issuing agency responsible, linked to the application (not copied). Conflict when it
    is not overdue or already has its obstacle."""
    today = today or timezone.localdate()
    application = PermitApplication.objects.select_for_update().get(pk=application.pk)
    require(
        permissions.may_open_permit_obstacle(actor, application),
        _("Only the secretariat may open an HQ obstacle for a delay."),
    )
    if application.obstacle_id:
        raise Conflict(_("This application already has its HQ obstacle."))
    days = application.days_late(today)
    if application.decision != Decision.PENDING or days <= 0:
        raise Conflict(_("The application is not past its legal deadline."))
    subject = application.unit.name if application.unit else application.planned_unit
    obstacle = register_obstacle(
        actor=actor,
        title=_("Permit delayed past its legal deadline: %(unit)s") % {"unit": subject},
        description=_(
            "The %(kind)s application of %(applicant)s for %(unit)s, filed on %(filed)s, is "
            "%(days)s days past its legal deadline (%(deadline)s) at %(agency)s."
        )
        % {
            "kind": application.get_kind_display(),
            "applicant": application.applicant,
            "unit": subject,
            "filed": local_date(application.filed_on),
            "days": local_digits(days),
            "deadline": local_date(application.legal_deadline),
            "agency": application.issuing_agency.name,
        },
        category="permits",
        severity=3 if days > 30 else 2,
        unit=application.unit,
        sector="" if application.unit else (application.sector or _("Not stated")),
        county=application.county,
        responsible_agency=application.issuing_agency,
        province=application.province,
        at=at,
        is_sample=application.is_sample,
    )
    application.obstacle = obstacle
    application.save(update_fields=["obstacle"])
    return application
