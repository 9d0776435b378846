"""Employment targets and the net jobs ledger (SPEC 6)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ronagh.core.models import County, Province, User
from ronagh.core.permissions import require, secretariat_refusal
from ronagh.lib import jalali
from ronagh.lib.digits import parse_decimal
from ronagh.lib.text import clean_name

from .. import permissions
from ..models import EmploymentTarget, Evidence, JobsEntry, ProductionUnit
from .numbers import whole


@transaction.atomic
def set_target(
    *, actor: User | None, province: Province, year, sector: str, county: County | None, jobs
) -> EmploymentTarget:
    """The employment development document's target of jobs for a year, sector and county;
    setting it again replaces it. Secretariat of the province only."""
    if actor is not None:
        require(permissions.may_edit_targets(actor, province.pk), secretariat_refusal(actor))
    errors: dict[str, str] = {}
    number = parse_decimal(year)
    if number is None or not jalali.FIRST_YEAR <= number <= jalali.LAST_YEAR:
        errors["year"] = _("Enter a Jalali year such as 1405.")
    sector = clean_name(sector)
    if not sector:
        errors["sector"] = _("Name the sector.")
    if county is not None and county.province_id != province.pk:
        errors["county"] = _("The county is in another province.")
    count = whole(jobs, "jobs", errors)
    if errors:
        raise ValidationError(errors)
    target, _created = EmploymentTarget.objects.update_or_create(
        province=province, year=int(number), sector=sector, county=county, defaults={"jobs": count}
    )
    return target


@transaction.atomic
def record_jobs(
    *,
    actor: User | None,
    unit: ProductionUnit,
    month: dt.date,
    created,
    kept,
    lost,
    evidence: str,
) -> JobsEntry:
    """A unit's jobs created, kept and lost in one month and how it is known; entering the same
    unit, month and kind of evidence again replaces it. The unit's responsible agency or the
    secretariat."""
    if actor is not None:
        require(
            permissions.may_enter_indicators(actor, unit),
            _("Only the unit's responsible agency or the secretariat may enter its jobs."),
        )
    errors: dict[str, str] = {}
    if evidence not in Evidence.values:
        errors["evidence"] = _("Say how it is known: declared, insurance list or field check.")
    values = {
        k: whole(v, k, errors) for k, v in (("created", created), ("kept", kept), ("lost", lost))
    }
    if month is None:
        errors["month"] = _("Write the month as a Jalali year and month, e.g. 1405/07.")
    if errors:
        raise ValidationError(errors)
    entry, _created = JobsEntry.objects.update_or_create(
        unit=unit,
        month=jalali.month_of(month),
        evidence=evidence,
        defaults={**values, "entered_by": actor},
    )
    return entry
