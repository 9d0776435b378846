"""Monthly indicators (SPEC 6): one row per unit and Jalali month, every entry kept as a
revision, ranges checked by one validator (`clean_values`) that the form, the API and the
indicators workbook all use, and the touched months rescored afterwards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.i18n import local_digits
from ronagh.core.models import User
from ronagh.core.permissions import require
from ronagh.lib import jalali
from ronagh.lib.digits import parse_decimal

from .. import permissions
from ..models import INDICATOR_FIELDS, Channel, IndicatorRevision, ProductionUnit, UnitIndicator

FIELDS = tuple(name for name, _alias in INDICATOR_FIELDS)
ALIAS = dict(INDICATOR_FIELDS)  # field → workbook / API alias

# field → (whole number?, maximum)
RANGES: dict[str, tuple[bool, Decimal]] = {
    "employees": (True, Decimal(1_000_000)),
    "utilisation": (False, Decimal(100)),
    "sales": (False, Decimal("999999999999999")),
    "energy": (False, Decimal("999999999999999")),
    "tax_overdue": (True, Decimal(240)),
    "insurance_overdue": (True, Decimal(240)),
    "bank_overdue": (True, Decimal(240)),
    "bounced_cheques": (True, Decimal(10_000)),
    "utility_cutoffs": (True, Decimal(1_000)),
}


def range_message(name: str) -> str:
    whole, maximum = RANGES[name]
    if name == "utilisation":
        return _("Capacity utilisation is a percentage from 0 to 100.")
    if whole:
        return _("A whole number from 0 to %(max)s.") % {"max": local_digits(int(maximum))}
    return _("A number from 0 to %(max)s.") % {"max": local_digits(int(maximum))}


def clean_value(name: str, raw):
    """One indicator value (any digits) → (value or None for blank, Persian message or '')."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, ""
    if isinstance(raw, bool):
        return None, _("Enter a number.")
    number = parse_decimal(raw)
    if number is None:
        return None, _("Enter a number.")
    whole, maximum = RANGES[name]
    if number < 0 or number > maximum or (whole and number != number.to_integral_value()):
        return None, range_message(name)
    if whole:
        return int(number), ""
    return number.quantize(Decimal("0.1")), ""


def clean_values(raw: dict) -> tuple[dict, dict[str, str]]:
    """Indicator values by field name → (clean values, {field: message}); blank ones are None."""
    values, errors = {}, {}
    for name in FIELDS:
        value, problem = clean_value(name, raw.get(name))
        if problem:
            errors[name] = problem
        values[name] = value
    return values, errors


def month_error(month: dt.date | None, today: dt.date) -> str:
    if month is None:
        return _("Write the month as a Jalali year and month, e.g. 1405/07.")
    if month > jalali.month_of(today):
        return _("The month %(month)s has not begun yet.") % {
            "month": local_digits(jalali.format_month(month))
        }
    return ""


@dataclass
class Recorded:
    indicators: list[UnitIndicator]
    scores: int = 0  # unit-months scored again
    cases: list = None  # the preventive cases opened

    def __post_init__(self):
        self.cases = self.cases or []


@dataclass
class Entry:
    unit: ProductionUnit
    month: dt.date  # first day of the Jalali month
    values: dict  # field → value or None (None keeps a stored value)


@transaction.atomic
def record_indicators(
    *,
    actor: User | None,
    entries: list[Entry],
    channel: str = Channel.WEB,
    today: dt.date | None = None,
    at: dt.datetime | None = None,
    rescore: bool = True,
) -> Recorded:
    """Store monthly indicators, all or nothing, then rescore the months they touched (and the
    later months of those units) — preventive cases included.

    A unit-month entered again keeps one row whose values are replaced — a value left blank keeps
    the stored one — and the values it replaces are kept as an IndicatorRevision (append-only)
    with who entered them and when, so the earlier values stay readable. Refuses (PermissionDenied) a user who is neither the unit's
    responsible agency nor the secretariat of its province (the command line passes no actor);
    ValidationError for a month not begun yet or a value out of range."""
    today = today or timezone.localdate()
    at = at or timezone.now()
    for entry in entries:
        if actor is not None:
            require(
                permissions.may_enter_indicators(actor, entry.unit),
                _(
                    "Only the unit's responsible agency or the secretariat may enter its indicators."
                ),
            )
        problem = month_error(entry.month, today)
        values, errors = clean_values(entry.values)
        if problem:
            errors["month"] = problem
        if errors:
            raise ValidationError(errors)
        entry.values = values
    stored = {
        (i.unit_id, i.month): i
        for i in UnitIndicator.objects.select_for_update().filter(
            unit__in={e.unit.pk for e in entries}, month__in={e.month for e in entries}
        )
    }
    saved = []
    touched: dict[int, dt.date] = {}
    for entry in entries:
        row = stored.get((entry.unit.pk, entry.month))
        if row is None:
            row = UnitIndicator(unit=entry.unit, month=entry.month, revisions=0)
        else:
            # The values being replaced stay readable, with who entered them and when.
            IndicatorRevision.objects.create(
                unit=entry.unit,
                month=entry.month,
                number=row.revisions,
                entered_by=row.entered_by,
                entered_at=row.entered_at,
                channel=row.channel,
                **{name: getattr(row, name) for name in FIELDS},
            )
        for name in FIELDS:
            if entry.values[name] is not None or row.pk is None:
                setattr(row, name, entry.values[name])
        row.revisions += 1
        row.entered_by, row.entered_at, row.channel = actor, at, channel
        row.save()
        stored[(entry.unit.pk, entry.month)] = row
        saved.append(row)
        first = touched.get(entry.unit.pk)
        touched[entry.unit.pk] = entry.month if first is None else min(first, entry.month)
    _follow_employees(touched)
    out = Recorded(indicators=saved)
    if rescore and touched:
        from .warning import rescore_units

        rescored = rescore_units(touched=touched, at=at)
        out.scores, out.cases = rescored.scores, rescored.cases
    return out


def _follow_employees(touched: dict[int, dt.date]) -> None:
    """A unit's registry headcount follows its newest monthly report that gives one: the jobs
    that exist now, which jobs at risk counts."""
    for unit_id in touched:
        newest = (
            UnitIndicator.objects.filter(unit_id=unit_id, employees__isnull=False)
            .order_by("-month")
            .values_list("employees", flat=True)
            .first()
        )
        if newest is not None:
            ProductionUnit.objects.filter(pk=unit_id).exclude(employees=newest).update(
                employees=newest
            )


def enter_indicator(
    *, actor: User | None, unit: ProductionUnit, month: dt.date | None, values: dict, **kw
) -> UnitIndicator:
    """One unit-month (the unit page and the API)."""
    problem = month_error(month, kw.get("today") or timezone.localdate())
    if problem:
        _clean, errors = clean_values(values)
        raise ValidationError({"month": problem, **errors})
    return record_indicators(
        actor=actor, entries=[Entry(unit=unit, month=month, values=values)], **kw
    ).indicators[0]


def revisions_of(unit: ProductionUnit, month: dt.date):
    """The earlier entries of a unit-month (the current one is the UnitIndicator), newest
    first."""
    return IndicatorRevision.objects.filter(unit=unit, month=month).order_by("-number")
