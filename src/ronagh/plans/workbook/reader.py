"""Reading a plan workbook (SPEC 7) into plain rows and a list of every bad cell. Touches no
database. What a cell must hold to be a number or a date is checked here; whether a schedule
is right (end before start, a weight above zero, milestones) is `plans.schedule`'s, the same
validator the forms, the API and re-planning use."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.utils.translation import gettext as _

from ronagh.core.workbook import (
    RowCells,
    blank,
    cell_date,
    cell_number,
    cell_text,
    match_headers,
    no_rows_error,
    shown,
)
from ronagh.core.xlsx import Sheet, UnreadableWorkbook, read_sheet
from ronagh.lib import jalali
from ronagh.lib.digits import parse_decimal, to_latin
from ronagh.lib.text import normalize

from ..schedule import clean_schedule
from .layout import COLUMNS, MAX_AXIS, MAX_LEN, POSITION, CellError, Progress

# Kept importable from here, where they used to live.
__all__ = ["blank", "cell_date", "cell_number", "cell_text", "read_workbook", "shown"]

# What a plan workbook may hold: its columns and a few of the reader's own, and rows to spare.
MAX_COLUMNS, MAX_ROWS = 200, 100_000
_MILESTONE_SEPARATORS = re.compile(r"[؛;\r\n]+")


@dataclass
class AxisRow:
    number: int
    title: str
    weight: Decimal
    row: int  # the first row that names the axis


@dataclass
class ActionRow:
    row: int
    axis: int | None
    code: str
    title: str
    lead_agency: str = ""
    partners: str = ""  # as written: split against the known agency names at import
    weight: Decimal = Decimal(1)
    start: dt.date | None = None
    end: dt.date | None = None
    indicator: str = ""
    target: Decimal | None = None
    unit: str = ""
    milestones: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    ok: bool = True  # False when a cell of the row is bad; its agencies are still checked


@dataclass
class ParsedWorkbook:
    axes: list[AxisRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # column key → header in the file
    errors: list[CellError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _merged_values(sheet: Sheet) -> dict[tuple[int, int], object]:
    """(row, column index) → value, for the lower cells of vertically merged ranges: what the
    reader sees in them is the value of the range's top cell."""
    by_number = dict(sheet.rows)
    inherited = {}
    for column, first, last in sheet.merged:
        if first < 2:
            continue
        top_row = by_number.get(first, ())
        top = top_row[column] if column < len(top_row) else None
        for r in range(first + 1, last + 1):
            inherited[(r, column)] = top
    return inherited


class _Row(RowCells):
    """The cells of one data row, read one by one; each bad cell is added to the errors."""

    def __init__(self, result: ParsedWorkbook, row: int, cells: dict[str, object]):
        super().__init__(
            row=row,
            cells=cells,
            headers=result.headers,
            positions=POSITION,
            errors=result.errors,
            max_len=MAX_LEN,
        )
        self.result = result

    def milestones(self) -> list[tuple[dt.date, Decimal]]:
        """`DATE:PERCENT` pairs separated by ؛ or ; (e.g. `1405/03/31:25؛ 1405/06/31:60`)."""
        raw = cell_text(self.cells.get("milestones")).strip()
        out: list[tuple[dt.date, Decimal]] = []
        for piece in _MILESTONE_SEPARATORS.split(raw):
            piece = to_latin(piece).strip()
            if not piece:
                continue
            when, sep, percent = piece.rpartition(":")
            day = cell_date(when.strip()) if sep else None
            value = parse_decimal(percent.strip().rstrip("%٪")) if sep else None
            if day is None or value is None:
                self.bad(
                    "milestones",
                    _("“%(value)s” is not a milestone; write DATE:PERCENT, e.g. 1405/03/31:25.")
                    % {"value": piece},
                    "milestone",
                )
                return []
            out.append((day, value))
        return out

    def axis_number(self) -> int | None:
        raw = self.cells.get("axis_no")
        if blank(raw):
            self.bad("axis_no", _("This cell must not be empty."), "required")
            return None
        value = cell_number(raw)
        if value is None or value != value.to_integral_value() or not 1 <= value < MAX_AXIS:
            self.bad(
                "axis_no",
                _("“%(value)s” is not an axis number (a whole number from 1).")
                % {"value": shown(raw)},
                "number",
            )
            return None
        return int(value)

    def schedule(self, action: ActionRow, weight, target) -> None:
        """The row's schedule through the one validator; its messages go to their columns."""
        checked = clean_schedule(
            start=action.start,
            end=action.end,
            weight=1 if weight is None else weight,
            target=target,
            milestones=action.milestones,
            format_date=jalali.format_date,
        )
        codes = {"end": "end_before_start", "weight": "weight", "milestones": "milestone"}
        for key, message in checked.errors.items():
            column = key if key in self.result.headers else None
            if column is None or column in self.bad_keys:
                continue
            self.bad(column, message, codes.get(key, "number"))
        if "weight" not in checked.errors and checked.weight is not None:
            action.weight = checked.weight
        if "target" not in checked.errors:
            action.target = checked.target
        if "milestones" not in checked.errors:
            action.milestones = checked.milestones


@dataclass
class _AxisSeen:
    number: int
    row: int
    title: str = ""
    title_row: int = 0
    weight: Decimal | None = None
    weight_row: int = 0


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _headers(result: ParsedWorkbook, sheet: Sheet) -> dict[str, int]:
    """Column key → index, from row 1 (core.workbook.match_headers)."""
    found = match_headers(
        sheet,
        COLUMNS,
        result.errors,
        result.warnings,
        unknown_message=_(
            "The column “%(header)s” is not part of the plan layout and was ignored."
        ),
    )
    result.headers.update(found.written)
    return found.index


def _axis_seen(r: _Row, axes: dict[int, _AxisSeen], axis_no: int, title: str, weight) -> None:
    seen = axes.setdefault(axis_no, _AxisSeen(axis_no, r.row))
    if title:
        if not seen.title:
            seen.title, seen.title_row = title, r.row
        elif normalize(seen.title) != normalize(title):
            r.bad(
                "axis_title",
                _("Axis %(number)s already has the title “%(title)s” (row %(row)s).")
                % {"number": axis_no, "title": seen.title, "row": seen.title_row},
                "axis_conflict",
            )
    if weight is not None:
        if seen.weight is None:
            seen.weight, seen.weight_row = weight, r.row
        elif seen.weight != weight:
            r.bad(
                "axis_weight",
                _("Axis %(number)s already has the weight %(weight)s (row %(row)s).")
                % {"number": axis_no, "weight": _plain(seen.weight), "row": seen.weight_row},
                "axis_conflict",
            )


def read_workbook(
    source: str | os.PathLike | bytes | IO[bytes], *, progress: Progress | None = None
) -> ParsedWorkbook:
    """Read a plan workbook (a path, the bytes, or an open binary file) into plain rows.

    Never raises for bad input and never touches the database: every problem — an unreadable
    file, a missing required column, each bad cell — is in `errors`, each with its row, column
    and reason; unknown columns are in `warnings`. Agency names are returned as written; they are
    matched at import."""
    from ..schedule import clean_weight

    result = ParsedWorkbook()
    try:
        sheet = read_sheet(source, max_columns=MAX_COLUMNS, max_rows=MAX_ROWS)
    except UnreadableWorkbook as exc:
        result.errors.append(CellError(str(exc), code="file"))
        return result
    index = _headers(result, sheet)
    if result.errors or not index:
        return result

    inherited = _merged_values(sheet)
    total = max(sheet.last_row - 1, 0)
    axes: dict[int, _AxisSeen] = {}
    codes: dict[str, int] = {}
    seen_rows = False

    for row, values in sheet.rows:
        if progress is not None:
            progress(row - 1, total)
        own = {key: values[i] if i < len(values) else None for key, i in index.items()}
        if all(blank(v) for v in own.values()):
            continue
        seen_rows = True
        cells = {
            key: inherited.get((row, index[key]), v) if blank(v) else v for key, v in own.items()
        }
        errors_before = len(result.errors)
        r = _Row(result, row, cells)
        axis_no = r.axis_number()
        code = to_latin(r.text("action_code", required=True))
        title = r.text("action_title", required=True)
        axis_title = r.text("axis_title")
        axis_weight = r.number("axis_weight")
        if axis_weight is not None:
            problems: dict[str, str] = {}
            axis_weight = clean_weight(axis_weight, problems)
            for message in problems.values():
                r.bad("axis_weight", message, "weight")
        action = ActionRow(
            row=row,
            axis=axis_no,
            code=code,
            title=title,
            lead_agency=r.text("lead_agency"),
            partners=cell_text(cells.get("partner_agencies")),
            start=r.date("start"),
            end=r.date("end"),
            indicator=r.text("indicator"),
            unit=r.text("unit"),
        )
        weight = r.number("weight")
        target = r.number("target")
        if "milestones" in index:
            action.milestones = r.milestones()
        r.schedule(action, weight, target)
        if code:
            first = codes.setdefault(normalize(code), row)
            if first != row:
                r.bad(
                    "action_code",
                    _("The action code “%(code)s” is already used in row %(row)s.")
                    % {"code": code, "row": first},
                    "duplicate_code",
                )
        if axis_no is not None:
            _axis_seen(r, axes, axis_no, axis_title, axis_weight)
        action.ok = len(result.errors) == errors_before
        result.actions.append(action)

    if not seen_rows:
        result.errors.append(no_rows_error())
    result.axes = [
        AxisRow(
            number=a.number,
            title=a.title or _("Axis %(number)s") % {"number": a.number},
            weight=a.weight if a.weight is not None else Decimal(1),
            row=a.row,
        )
        for a in sorted(axes.values(), key=lambda a: a.number)
    ]
    return result
