"""Reading the units and indicators workbooks (SPEC 7) into plain rows and a list of every bad
cell. Touches no database: names, ids and ranges that need it are the importer's."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext as _

from ronagh.core.workbook import (
    CellError,
    Progress,
    RowCells,
    blank,
    cell_text,
    data_rows,
    match_headers,
    no_rows_error,
    shown,
)
from ronagh.core.xlsx import UnreadableWorkbook, read_sheet
from ronagh.lib import jalali
from ronagh.lib.digits import to_latin
from ronagh.lib.national_id import clean as clean_id

from ..services.indicators import clean_value
from ..services.registry import KEEP, UnitData
from .layout import (
    FIELD_OF_ALIAS,
    INDICATOR_COLUMNS,
    INDICATOR_POSITION,
    MAX_COLUMNS,
    MAX_ROWS,
    UNIT_COLUMNS,
    UNIT_POSITION,
)


@dataclass
class Parsed:
    rows: list = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # column key → header in the file
    errors: list[CellError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _code(value) -> str:
    """An id or code cell: a number cell loses nothing ('10380284790', not '1.038e10')."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return to_latin(cell_text(value)).strip()


def _open(source, columns, positions, unknown: str, progress: Progress | None):
    result = Parsed()
    try:
        sheet = read_sheet(source, max_columns=MAX_COLUMNS, max_rows=MAX_ROWS)
    except UnreadableWorkbook as exc:
        result.errors.append(CellError(str(exc), code="file"))
        return result, None, None
    found = match_headers(sheet, columns, result.errors, result.warnings, unknown_message=unknown)
    result.headers.update(found.written)
    if result.errors or not found.index:
        return result, None, None
    return result, sheet, found


def _cells(sheet, found, result: Parsed, positions, progress, max_len=None):
    """(row, cells, RowCells) of each data row, the progress bar told as it goes."""
    total = max(sheet.last_row - 1, 0)
    for row, cells in data_rows(sheet, found):
        if progress is not None:
            progress(row - 1, total)
        r = RowCells(
            row=row,
            cells=cells,
            headers=result.headers,
            positions=positions,
            errors=result.errors,
            max_len=max_len,
        )
        yield row, cells, r


def read_units(
    source: str | os.PathLike | bytes | IO[bytes], *, progress: Progress | None = None
) -> Parsed:
    """A units workbook → `Parsed.rows` of UnitData (blank cells left as KEEP; the county as
    its name, resolved at import). Never raises for bad input."""
    result, sheet, found = _open(
        source,
        UNIT_COLUMNS,
        UNIT_POSITION,
        _("The column “%(header)s” is not part of the units layout and was ignored."),
        progress,
    )
    if sheet is None:
        return result
    max_len = {"name": 300, "sector": 200, "county": 100, "park": 200, "manager": 200}
    for row, cells, r in _cells(sheet, found, result, UNIT_POSITION, progress, max_len):
        data = UnitData(national_id=_code(cells.get("national_id")), row=row)
        if not data.national_id:
            r.bad("national_id", _("This cell must not be empty."), "required")
        for key in ("name", "sector", "manager", "park", "county"):
            if key in cells and not blank(cells.get(key)):
                setattr(data, key, r.text(key))
        for key in ("isic", "licence_no"):
            if key in cells and not blank(cells.get(key)):
                setattr(data, key, _code(cells.get(key)))
        if not blank(cells.get("status")):
            data.status = cell_text(cells["status"]).strip()
        if not blank(cells.get("employees")):
            value = r.count("employees", maximum=1_000_000)
            data.employees = KEEP if value is None else value
        if not blank(cells.get("capacity")):
            value = r.amount("capacity")
            data.capacity = KEEP if value is None else value
        if not blank(cells.get("licence_date")):
            value = r.date("licence_date")
            data.licence_date = KEEP if value is None else value
        result.rows.append(data)
    if not result.rows and not result.errors:
        result.errors.append(no_rows_error())
    return result


@dataclass
class IndicatorRow:
    row: int
    national_id: str
    month: dt.date | None
    values: dict  # UnitIndicator field → value or None


def cell_month(value) -> dt.date | None:
    """'1405/07', '1405-7', '۱۴۰۵/۰۷' (or a spreadsheet date cell) → the month's first day."""
    if isinstance(value, dt.datetime | dt.date):
        return jalali.month_of(value if isinstance(value, dt.date) else value.date())
    try:
        return jalali.parse_month(cell_text(value))
    except jalali.JalaliDateError:
        return None


def read_indicators(
    source: str | os.PathLike | bytes | IO[bytes], *, progress: Progress | None = None
) -> Parsed:
    """An indicators workbook → `Parsed.rows` of IndicatorRow; each value checked by the one
    validator of the services (`clean_value`). Never raises for bad input."""
    result, sheet, found = _open(
        source,
        INDICATOR_COLUMNS,
        INDICATOR_POSITION,
        _("The column “%(header)s” is not part of the indicators layout and was ignored."),
        progress,
    )
    if sheet is None:
        return result
    for row, cells, r in _cells(sheet, found, result, INDICATOR_POSITION, progress):
        nid = _code(cells.get("national_id"))
        if not nid:
            r.bad("national_id", _("This cell must not be empty."), "required")
        month = None
        if blank(cells.get("month")):
            r.bad("month", _("This cell must not be empty."), "required")
        else:
            month = cell_month(cells["month"])
            if month is None:
                r.bad(
                    "month",
                    _("“%(value)s” is not a month; write the Jalali year and month, e.g. 1405/07.")
                    % {"value": shown(cells["month"])},
                    "month",
                )
        values = {}
        for alias, name in FIELD_OF_ALIAS.items():
            raw = cells.get(alias)
            value, problem = clean_value(name, raw)
            if problem:
                r.bad(alias, f"“{shown(raw)}”: {problem}", "out_of_range")
            values[name] = value
        result.rows.append(
            IndicatorRow(row=row, national_id=clean_id(nid), month=month, values=values)
        )
    if not result.rows and not result.errors:
        result.errors.append(no_rows_error())
    return result
