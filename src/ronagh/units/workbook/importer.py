"""Importing a read units or indicators workbook (SPEC 7): county names and national ids
resolved, every row checked by the services' own validators, then written through
`services.save_units` / `services.record_indicators` — all or nothing, every bad cell reported
with its row, column and reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.models import Province, User
from ronagh.core.permissions import require, secretariat_refusal
from ronagh.core.workbook import CellError, Progress, WorkbookError
from ronagh.lib.text import normalize

from .. import permissions
from ..models import Channel, ProductionUnit
from ..services.indicators import Entry, month_error, record_indicators
from ..services.registry import KEEP, clean_unit, county_by_name, save_units
from .layout import INDICATOR_POSITION, UNIT_POSITION
from .reader import Parsed


@dataclass
class UnitsResult:
    created: int
    updated: int
    new_parks: list[str]
    dry_run: bool
    warnings: list[str] = field(default_factory=list)


def _error(parsed: Parsed, positions, row: int, key: str, message: str, code: str) -> CellError:
    return CellError(message, row, parsed.headers.get(key, key), code, positions.get(key, -1))


def import_units(
    *,
    parsed: Parsed,
    province: Province,
    dry_run: bool = False,
    actor: User | None = None,
    on: dt.date | None = None,
    progress: Progress | None = None,
) -> UnitsResult:
    """Create or update the province's units from a read workbook; all or nothing.

    Refuses (PermissionDenied) an actor who is not the secretariat of the province (the command
    line passes none) and (WorkbookError) any bad cell: an invalid national id, the same id twice,
    an id of another province's unit, an unknown county or status, a negative number, a new unit
    without a name. A known id updates its unit, blank cells keeping the stored values; unknown
    parks are created. On `dry_run` everything is checked and nothing saved."""
    if actor is not None:
        require(permissions.may_edit_units(actor, province.pk), secretariat_refusal(actor))
    errors = list(parsed.errors)
    counties = county_by_name(province)
    known = {
        u.national_id: u
        for u in ProductionUnit.objects.filter(national_id__in=[d.national_id for d in parsed.rows])
    }
    seen: dict[str, int] = {}
    created = 0
    for data in parsed.rows:
        if data.county is not KEEP:
            county = counties.get(normalize(data.county))
            if county is None:
                errors.append(
                    _error(
                        parsed,
                        UNIT_POSITION,
                        data.row,
                        "county",
                        _("No county of %(province)s is called “%(name)s”.")
                        % {"province": province.name, "name": data.county},
                        "unknown_county",
                    )
                )
                data.county = KEEP
            else:
                data.county = county
        _values, problems = clean_unit(data, province)
        for key, message in problems.items():
            errors.append(_error(parsed, UNIT_POSITION, data.row, key, message, "invalid"))
        if "national_id" in problems:
            continue
        nid = _values["national_id"]
        if nid in seen:
            errors.append(
                _error(
                    parsed,
                    UNIT_POSITION,
                    data.row,
                    "national_id",
                    _("The national id %(id)s is already in row %(row)s.")
                    % {"id": nid, "row": seen[nid]},
                    "duplicate_id",
                )
            )
            continue
        seen[nid] = data.row
        unit = known.get(nid)
        if unit is not None and unit.province_id != province.pk:
            errors.append(
                _error(
                    parsed,
                    UNIT_POSITION,
                    data.row,
                    "national_id",
                    _("This national id belongs to a unit of %(province)s.")
                    % {"province": unit.province.name},
                    "other_province",
                )
            )
        elif unit is None:
            created += 1
            if data.name is KEEP or not data.name:
                errors.append(
                    _error(
                        parsed,
                        UNIT_POSITION,
                        data.row,
                        "name",
                        _("A new unit needs a name."),
                        "required",
                    )
                )
    if errors:
        raise WorkbookError(errors)
    result = UnitsResult(
        created=created,
        updated=len(parsed.rows) - created,
        new_parks=[],
        dry_run=dry_run,
        warnings=list(parsed.warnings),
    )
    if dry_run:
        return result
    with transaction.atomic():
        saved = save_units(actor=actor, province=province, rows=parsed.rows, on=on)
    result.new_parks = saved.new_parks
    return result


@dataclass
class IndicatorsResult:
    rows: int
    units: int
    months: list[dt.date]
    dry_run: bool
    scores: int = 0
    cases: int = 0
    warnings: list[str] = field(default_factory=list)


def import_indicators(
    *,
    parsed: Parsed,
    dry_run: bool = False,
    actor: User | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> IndicatorsResult:
    """Store the monthly indicators of a read workbook, then rescore the months it touched
    (preventive cases included); all or nothing.

    Refuses (WorkbookError) an unknown national id, a month not begun yet, a value out of range,
    and the same unit-month twice; (PermissionDenied) an actor who may not enter the indicators
    of one of the units (the command line passes none). On `dry_run` nothing is saved."""
    today = today or timezone.localdate()
    errors = list(parsed.errors)
    units = {
        u.national_id: u
        for u in ProductionUnit.objects.select_related("province").filter(
            national_id__in={r.national_id for r in parsed.rows}
        )
    }
    seen: dict[tuple[str, dt.date], int] = {}
    entries = []
    for r in parsed.rows:
        unit = units.get(r.national_id)
        if r.national_id and unit is None:
            errors.append(
                _error(
                    parsed,
                    INDICATOR_POSITION,
                    r.row,
                    "national_id",
                    _("No production unit has the national id %(id)s.") % {"id": r.national_id},
                    "unknown_unit",
                )
            )
        if r.month is not None:
            problem = month_error(r.month, today)
            if problem:
                errors.append(_error(parsed, INDICATOR_POSITION, r.row, "month", problem, "future"))
            key = (r.national_id, r.month)
            if key in seen and r.national_id:
                errors.append(
                    _error(
                        parsed,
                        INDICATOR_POSITION,
                        r.row,
                        "month",
                        _("This unit and month are already in row %(row)s.") % {"row": seen[key]},
                        "duplicate_month",
                    )
                )
            seen.setdefault(key, r.row)
        if (
            unit is not None
            and actor is not None
            and not permissions.may_enter_indicators(actor, unit)
        ):
            errors.append(
                _error(
                    parsed,
                    INDICATOR_POSITION,
                    r.row,
                    "national_id",
                    _("You may not enter the indicators of this unit."),
                    "forbidden",
                )
            )
        if unit is not None and r.month is not None:
            entries.append(Entry(unit=unit, month=r.month, values=dict(r.values)))
    if errors:
        raise WorkbookError(errors)
    result = IndicatorsResult(
        rows=len(entries),
        units=len({e.unit.pk for e in entries}),
        months=sorted({e.month for e in entries}),
        dry_run=dry_run,
        warnings=list(parsed.warnings),
    )
    if dry_run:
        return result
    recorded = record_indicators(actor=actor, entries=entries, channel=Channel.IMPORT, today=today)
    result.scores, result.cases = recorded.scores, len(recorded.cases)
    return result
