"""Excel documents with openpyxl, the way a Persian reader expects them.

Every sheet runs right to left with a bold Persian header row that stays in view; figures are real
numbers in number cells (so a reader can sort and sum them), dates are Jalali text (a spreadsheet
would show a date cell in Gregorian), and every piece of text that a spreadsheet would run as a
formula (a leading ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a leading apostrophe,
the same rule the plan workbook uses.

    wb = new_workbook(title=...)
    ws = add_sheet(wb, _("Ranking"), [Column(_("Agency"), width=40), Column(_("Score"), "number")])
    add_row(ws, columns, [agency.name, 83.25])
    data = to_bytes(wb)
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ronagh.lib import jalali
from ronagh.lib.spreadsheet import FORMULA_START, safe_text  # noqa: F401 (re-exported)

HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
TITLE_FONT = Font(bold=True, size=13)
# Sheet names may not hold these, and are at most 31 characters long.
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})

NUMBER_FORMATS = {
    "number": "0.0",  # a percentage or score, as 42.5 (not 0.425): headers say "(%)"
    "decimal2": "0.00",
    "int": "#,##0",
}


def number(value):
    """A real number for a number cell; None stays an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return float(value)


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | number | decimal2 | int | date
    width: float = 14


def new_workbook(*, title: str = "", creator: str = "Ronagh") -> openpyxl.Workbook:
    """An empty workbook (no default sheet) with its document properties."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wb.properties.title = title
    wb.properties.creator = creator
    return wb


def sheet_title(text: str) -> str:
    return str(text).translate(_SHEET_FORBIDDEN).strip()[:31] or "Sheet"


def add_sheet(wb: openpyxl.Workbook, title: str, columns: Sequence[Column]) -> Worksheet:
    """A right-to-left sheet whose first row is the header, frozen in view."""
    ws = wb.create_sheet(sheet_title(title))
    ws.sheet_view.rightToLeft = True
    bold = Font(bold=True)
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
        cell = ws.cell(row=1, column=i, value=safe_text(col.header))
        cell.font, cell.fill = bold, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"
    return ws


def _cell_value(kind: str, value):
    if kind == "date":
        if isinstance(value, dt.date):
            return jalali.format_date(value)
        return safe_text(value) if value else None
    if kind in NUMBER_FORMATS:
        return number(value)
    return safe_text(value) if value is not None else None


def add_row(ws: Worksheet, columns: Sequence[Column], values: Sequence) -> None:
    """One row: numbers in number cells with their format, text neutralised, dates as Jalali
    text."""
    row = ws.max_row + 1
    for i, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
        cell = ws.cell(row=row, column=i, value=_cell_value(col.kind, value))
        if col.kind in NUMBER_FORMATS and cell.value is not None:
            cell.number_format = NUMBER_FORMATS[col.kind]
        elif col.kind == "date":
            cell.number_format = "@"
            cell.alignment = Alignment(horizontal="center")


def add_rows(ws: Worksheet, columns: Sequence[Column], rows: Iterable[Sequence]) -> None:
    for values in rows:
        add_row(ws, columns, values)
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions


def add_facts(wb: openpyxl.Workbook, title: str, heading: str, facts: Sequence[tuple]) -> Worksheet:
    """A first sheet that says what the workbook is: a heading, then (label, value) rows; a
    date value is written as Jalali text, a number in a number cell."""
    ws = wb.create_sheet(sheet_title(title), 0)
    ws.sheet_view.rightToLeft = True
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 48
    ws.cell(row=1, column=1, value=safe_text(heading)).font = TITLE_FONT
    for i, (label, value) in enumerate(facts, start=3):
        ws.cell(row=i, column=1, value=safe_text(label)).font = Font(bold=True)
        if isinstance(value, dt.date):
            cell = ws.cell(row=i, column=2, value=jalali.format_date(value))
            cell.number_format = "@"
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            cell = ws.cell(row=i, column=2, value=number(value))
            cell.number_format = "0.0" if isinstance(value, float) else "#,##0"
        else:
            cell = ws.cell(row=i, column=2, value=safe_text(value) if value is not None else None)
        cell.alignment = Alignment(horizontal="right")
    return ws


def to_bytes(wb: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
