"""Writes on the unit registry (SPEC 6): units created or updated by national id (one record
per id, everywhere), their status with the day it changed, the responsible agency, the
priority-sector list, and the province's system user that opens preventive cases. The form, the
API, the workbook importer and the demo all come through `save_units`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.models import Agency, County, Province, User
from ronagh.core.permissions import require, secretariat_refusal
from ronagh.lib import national_id
from ronagh.lib.digits import parse_decimal, to_latin
from ronagh.lib.text import clean_name, normalize

from .. import permissions
from ..models import IndustrialPark, PrioritySector, ProductionUnit, StatusChange, UnitStatus
from .numbers import whole

MAX_EMPLOYEES = 1_000_000
MAX_CAPACITY = Decimal("99999999999999")
KEEP = object()  # a blank cell of an update: the stored value stays

# Status as written in a workbook or a form (SPEC 7): Persian word or alias.
STATUS_WORDS = {
    "فعال": UnitStatus.ACTIVE,
    "active": UnitStatus.ACTIVE,
    "راکد": UnitStatus.IDLE,
    "idle": UnitStatus.IDLE,
    "تعطیل": UnitStatus.CLOSED,
    "closed": UnitStatus.CLOSED,
}


def parse_status(text) -> str | None:
    """'فعال' / 'active' / 'راکد' / 'idle' / 'تعطیل' / 'closed' → the status; None otherwise."""
    return STATUS_WORDS.get(normalize(str(text or "")))


def national_id_error(value) -> str | None:
    """Why a national id is refused, or None."""
    text = national_id.clean(value)
    if not text:
        return _("The national id is required.")
    if not national_id.is_valid(text):
        return _(
            "“%(id)s” is not a valid national id: it must be 11 digits with a correct check digit."
        ) % {"id": text}
    return None


@dataclass
class UnitData:
    """A unit as the form, the API or a workbook row gives it. Anything left as KEEP keeps the
    stored value of an existing unit (and the default of a new one)."""

    national_id: str
    name: object = KEEP
    isic: object = KEEP
    sector: object = KEEP
    county: object = KEEP  # a County, or None
    park: object = KEEP  # a park's name (created when unknown), or None
    status: object = KEEP
    employees: object = KEEP
    capacity: object = KEEP
    manager: object = KEEP
    licence_no: object = KEEP
    licence_date: object = KEEP
    responsible_agency: object = KEEP  # an Agency, or None
    row: int | None = None  # the workbook row, for messages


@dataclass
class SaveResult:
    created: list[ProductionUnit] = field(default_factory=list)
    updated: list[ProductionUnit] = field(default_factory=list)
    new_parks: list[str] = field(default_factory=list)


def clean_unit(data: UnitData, province: Province) -> tuple[dict, dict[str, str]]:
    """The fields of a unit checked one by one: (values to store, {field: Persian message}).
    Fields left as KEEP are not in the values."""
    errors: dict[str, str] = {}
    values: dict = {}
    problem = national_id_error(data.national_id)
    if problem:
        errors["national_id"] = problem
    values["national_id"] = national_id.clean(data.national_id)
    limits = {
        "name": 300,
        "isic": 10,
        "sector": 200,
        "manager": 200,
        "licence_no": 60,
    }
    for key, limit in limits.items():
        raw = getattr(data, key)
        if raw is KEEP:
            continue
        text = clean_name(to_latin(raw) if key in ("isic", "licence_no") else (raw or ""))
        if len(text) > limit:
            errors[key] = _("At most %(max)s characters.") % {"max": limit}
        values[key] = text
    if "name" in values and not values["name"]:
        errors["name"] = _("The unit needs a name.")
    if "isic" in values and values["isic"] and not values["isic"].isdigit():
        errors["isic"] = _("An ISIC code is written in digits, e.g. 1811.")
    if data.status is not KEEP:
        status = data.status if data.status in UnitStatus.values else parse_status(data.status)
        if status is None:
            errors["status"] = _(
                "The status is one of: active (فعال), idle (راکد), closed (تعطیل)."
            )
        values["status"] = status
    if data.employees is not KEEP and data.employees not in (None, ""):
        values["employees"] = whole(data.employees, "employees", errors, maximum=MAX_EMPLOYEES)
    if data.capacity is not KEEP:
        if data.capacity in (None, ""):
            values["capacity"] = None
        else:
            number = parse_decimal(data.capacity)
            if number is None:
                errors["capacity"] = _("Enter a number.")
            elif number < 0:
                errors["capacity"] = _("The number cannot be negative.")
            elif number > MAX_CAPACITY:
                errors["capacity"] = _("The number is too large.")
            values["capacity"] = number
    if data.licence_date is not KEEP:
        if data.licence_date is not None and not isinstance(data.licence_date, dt.date):
            errors["licence_date"] = _("Enter a Jalali date such as 1405/03/01.")
        values["licence_date"] = data.licence_date
    if data.county is not KEEP:
        if data.county is not None and data.county.province_id != province.pk:
            errors["county"] = _("The county is in another province.")
        values["county"] = data.county
    if data.responsible_agency is not KEEP:
        agency = data.responsible_agency
        if agency is not None and agency.province_id != province.pk:
            errors["responsible_agency"] = _("The agency belongs to another province.")
        values["responsible_agency"] = agency
    if data.park is not KEEP:
        values["park"] = clean_name(data.park or "") or None
        if values["park"] and len(values["park"]) > 200:
            errors["park"] = _("At most %(max)s characters.") % {"max": 200}
    return values, errors


def priority_rules(province: Province) -> list[PrioritySector]:
    return list(PrioritySector.objects.filter(province=province))


def is_priority(isic: str, sector: str, rules: list[PrioritySector]) -> bool:
    """Whether a unit of this ISIC code and sector is in a priority sector: its code starts
    with a listed prefix, or its sector is a listed sector (after normalisation)."""
    key = normalize(sector or "")
    for rule in rules:
        if rule.isic_prefix and (isic or "").startswith(rule.isic_prefix):
            return True
        if rule.sector and key and normalize(rule.sector) == key:
            return True
    return False


@transaction.atomic
def save_units(
    *,
    actor: User | None,
    province: Province,
    rows: list[UnitData],
    on: dt.date | None = None,
    is_sample: bool = False,
) -> SaveResult:
    """Create or update units by national id, all or nothing (SPEC 6, 7).

    A national id already known updates that unit — fields left as KEEP keep their value — and
    never makes a second one; a known id of another province is refused. Unknown parks are
    created. A changed status is recorded with the day (`on`, default today). Refuses
    (PermissionDenied) anyone but the secretariat of the province (the command line passes no
    actor); ValidationError {field: message} for one row, or {"rows": [...]} listing every bad
    row for several."""
    if actor is not None:
        require(permissions.may_edit_units(actor, province.pk), secretariat_refusal(actor))
    on = on or timezone.localdate()
    cleaned: list[tuple[UnitData, dict]] = []
    problems: list[tuple[UnitData, dict[str, str]]] = []
    seen: dict[str, int | None] = {}
    for data in rows:
        values, errors = clean_unit(data, province)
        nid = values["national_id"]
        if nid in seen and "national_id" not in errors:
            errors["national_id"] = _("The national id %(id)s appears twice.") % {"id": nid}
        seen.setdefault(nid, data.row)
        (problems if errors else cleaned).append((data, errors if errors else values))
    existing = {
        u.national_id: u
        for u in ProductionUnit.objects.select_for_update().filter(
            national_id__in=[v["national_id"] for _d, v in cleaned]
        )
    }
    for data, values in cleaned:
        unit = existing.get(values["national_id"])
        if unit is not None and unit.province_id != province.pk:
            problems.append(
                (
                    data,
                    {"national_id": _("This national id belongs to a unit of another province.")},
                )
            )
        elif unit is None and not values.get("name"):
            problems.append((data, {"name": _("A new unit needs a name.")}))
    if problems:
        if len(rows) == 1:
            raise ValidationError(problems[0][1])
        raise ValidationError(
            {
                "rows": [
                    (_("Row %(row)s: %(message)s") % {"row": d.row, "message": m}) if d.row else m
                    for d, errs in problems
                    for m in errs.values()
                ]
            }
        )

    result = SaveResult()
    parks = {normalize(p.name): p for p in IndustrialPark.objects.filter(province=province)}
    rules = priority_rules(province)
    for _data, values in cleaned:
        park_name = values.pop("park", KEEP)
        unit = existing.get(values["national_id"])
        created = unit is None
        if created:
            unit = ProductionUnit(province=province, is_sample=is_sample)
        old_status = None if created else unit.status
        for key, value in values.items():
            if key == "status" and value is None:
                continue
            setattr(unit, key, value)
        if park_name is not KEEP:
            if park_name is None:
                unit.park = None
            else:
                park = parks.get(normalize(park_name))
                if park is None:
                    park = IndustrialPark.objects.create(
                        province=province, name=park_name, county=unit.county
                    )
                    parks[normalize(park_name)] = park
                    result.new_parks.append(park_name)
                unit.park = park
        unit.name_key = normalize(unit.name)
        unit.priority = is_priority(unit.isic, unit.sector, rules)
        if created or unit.status != old_status:
            unit.status_changed_on = on
        unit.save()
        if created or unit.status != old_status:
            StatusChange.objects.create(unit=unit, status=unit.status, on=on, by=actor)
        (result.created if created else result.updated).append(unit)
    return result


def save_unit(*, actor: User | None, province: Province, data: UnitData, **kw) -> ProductionUnit:
    """One unit through `save_units` (the form and the API)."""
    result = save_units(actor=actor, province=province, rows=[data], **kw)
    return (result.created or result.updated)[0]


@transaction.atomic
def set_status(
    *, actor: User | None, unit: ProductionUnit, status: str, on: dt.date | None = None
) -> ProductionUnit:
    """Change a unit's status, recording the day."""
    return save_unit(
        actor=actor,
        province=unit.province,
        data=UnitData(national_id=unit.national_id, status=status),
        on=on,
    )


@transaction.atomic
def set_priority_sectors(
    *, actor: User, province: Province, entries: list[tuple[str, str, str]]
) -> list[PrioritySector]:
    """Replace the province's priority-sector list with `entries` (title, ISIC prefix, sector)
    and refresh every unit's priority flag. Secretariat of the province only."""
    require(permissions.may_edit_units(actor, province.pk), secretariat_refusal(actor))
    errors = []
    clean: list[tuple[str, str, str]] = []
    for i, (title, prefix, sector) in enumerate(entries, start=1):
        title, prefix, sector = (
            clean_name(title),
            to_latin(prefix or "").strip(),
            clean_name(sector),
        )
        if not (title or prefix or sector):
            continue
        if prefix and not prefix.isdigit():
            errors.append(_("Line %(n)s: an ISIC prefix is written in digits, e.g. 18.") % {"n": i})
        if not prefix and not sector:
            errors.append(_("Line %(n)s: give an ISIC prefix or a sector.") % {"n": i})
        clean.append((title or prefix or sector, prefix, sector))
    if errors:
        raise ValidationError({"entries": errors})
    PrioritySector.objects.filter(province=province).delete()
    rows = [
        PrioritySector.objects.create(
            province=province, title=t, isic_prefix=p, sector=s, updated_by=actor
        )
        for t, p, s in clean
    ]
    refresh_priority(province)
    return rows


def refresh_priority(province: Province) -> int:
    """Set every unit's priority flag from the list; returns how many changed."""
    rules = priority_rules(province)
    changed = []
    for unit in ProductionUnit.objects.filter(province=province).only("isic", "sector", "priority"):
        flag = is_priority(unit.isic, unit.sector, rules)
        if flag != unit.priority:
            unit.priority = flag
            changed.append(unit)
    ProductionUnit.objects.bulk_update(changed, ["priority"], batch_size=500)
    return len(changed)


def system_user(province: Province) -> User:
    """The province's early-warning system: the one named, non-personal user that registers
    the automatic preventive cases (SPEC 6). Created on first use with the secretariat's role in
    its province, so that the cases follow the secretariat's routing rules, and with no usable
    password, so that nobody can sign in as it."""
    username = f"ronagh-early-warning-{province.code}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            role=User.Role.SECRETARIAT,
            province=province,
            first_name=_("Early-warning system"),
            last_name=province.name,
        )
        user.set_unusable_password()
        user.save()
    return user


def county_by_name(province: Province) -> dict[str, County]:
    return {normalize(c.name): c for c in County.objects.filter(province=province)}


def agency_for(province: Province, agency_id) -> Agency | None:
    return Agency.objects.filter(province=province, pk=agency_id).first() if agency_id else None
