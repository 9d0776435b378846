"""What every workbook layout of SPEC 7 shares (the plan, production units, monthly
indicators): columns found by their Persian header or English alias after normalisation, the
problems a workbook can have — each with its row and column, in the reader's language — and the
reading of one cell as text, a number or a date. Each app keeps only its own layout and rules
(`plans/workbook/`, `units/workbook/`); the sheet itself is read by `core.xlsx.read_sheet`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ronagh.lib import jalali
from ronagh.lib.digits import parse_decimal
from ronagh.lib.spreadsheet import FORMULA_START
from ronagh.lib.text import clean_name, squash

from .xlsx import Sheet

Progress = Callable[[int, int], None]
"""progress(done, total): called as rows are read and written, for a progress bar."""

_BIDI_MARKS = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Column:
    key: str  # the English alias, also the field's name in the reader
    header: str  # the Persian header written on export
    required: bool = False
    width: int = 14


def header_key(text: str) -> str:
    """'دستگاه های همکار', 'دستگاه‌های‌همکار' and 'Partner Agencies' all meet here."""
    return re.sub(r"[\W_]+", "", squash(text))


def by_header(columns: tuple[Column, ...]) -> dict[str, Column]:
    """Header key → column, for the Persian header and the alias of every column."""
    return {header_key(name): c for c in columns for name in (c.header, c.key)}


@dataclass(frozen=True)
class CellError:
    """One thing wrong with the workbook: the row as the spreadsheet numbers it (the header is
    row 1), the column's header as written in the file, and the reason, already translated."""

    message: str
    row: int | None = None
    column: str | None = None
    code: str = "invalid"
    position: int = field(default=-1, compare=False)  # column order, for sorting only

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row is not None:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


class WorkbookError(ValidationError):
    """The workbook cannot be imported; `cell_errors` lists every bad cell."""

    def __init__(self, cell_errors: list[CellError]):
        self.cell_errors = sorted(cell_errors, key=lambda e: (e.row or 0, e.position))
        super().__init__([str(e) for e in self.cell_errors], code="workbook")


# --- cells ---------------------------------------------------------------------------------------


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
    """A cell as text, the apostrophe of a neutralised formula removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _BIDI_MARKS.sub("", str(value))
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        text = text[1:]
    return text


def shown(value) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return cell_text(value).strip()


def cell_number(value) -> Decimal | None:
    if isinstance(value, bool | dt.date):
        return None
    if isinstance(value, float | int | Decimal):
        return parse_decimal(value)
    return parse_decimal(cell_text(value))


def cell_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            # Jalali text; an ISO Gregorian date (year ≥ 1900) is read as what it plainly is.
            return jalali.parse_any(cell_text(value))
        except jalali.JalaliDateError:
            return None
    return None


# --- the header row ------------------------------------------------------------------------------


@dataclass
class Headers:
    """Which column of the sheet holds which layout column, and the header as written."""

    index: dict[str, int] = field(default_factory=dict)  # column key → index in the sheet
    written: dict[str, str] = field(default_factory=dict)  # column key → header in the file


def match_headers(
    sheet: Sheet,
    columns: tuple[Column, ...],
    errors: list[CellError],
    warnings: list[str],
    *,
    unknown_message: str,
) -> Headers:
    """Column key → index, from row 1. Unknown columns are warnings (`unknown_message` with
    %(header)s); missing required ones and repeated ones are errors."""
    known = by_header(columns)
    position = {c.key: i for i, c in enumerate(columns)}
    found = Headers()
    for i, value in enumerate(sheet.header):
        written = clean_name(cell_text(value))
        if not written:
            continue
        column = known.get(header_key(written))
        if column is None:
            warnings.append(unknown_message % {"header": written})
        elif column.key in found.index:
            errors.append(
                CellError(
                    _("This column repeats the column “%(other)s”.")
                    % {"other": found.written[column.key]},
                    row=1,
                    column=written,
                    code="duplicate_column",
                    position=position[column.key],
                )
            )
        else:
            found.index[column.key] = i
            found.written[column.key] = written
    if not found.index and not warnings:
        message = (
            _("The first sheet is empty.")
            if not sheet.rows
            else _("Row 1 of the first sheet must hold the column headers.")
        )
        errors.append(CellError(message, code="no_header"))
        return found
    for column in columns:
        if column.required and column.key not in found.index:
            errors.append(
                CellError(
                    _("The required column “%(header)s” (or “%(alias)s”) is missing.")
                    % {"header": column.header, "alias": column.key},
                    row=1,
                    column=column.header,
                    code="missing_column",
                    position=position[column.key],
                )
            )
    return found


def no_rows_error() -> CellError:
    return CellError(_("The workbook has no data rows under the header."), code="no_rows")


# --- one data row --------------------------------------------------------------------------------


class RowCells:
    """The cells of one data row, read one by one; each bad cell is added to `errors` with the
    row, the column's header as written and the reason."""

    def __init__(
        self,
        *,
        row: int,
        cells: dict[str, object],
        headers: dict[str, str],
        positions: dict[str, int],
        errors: list[CellError],
        max_len: dict[str, int] | None = None,
    ):
        self.row, self.cells, self.headers = row, cells, headers
        self.positions, self.errors = positions, errors
        self.max_len = max_len or {}
        self.bad_keys: set[str] = set()

    def bad(self, key: str, message: str, code: str = "invalid") -> None:
        self.bad_keys.add(key)
        self.errors.append(
            CellError(message, self.row, self.headers[key], code, self.positions[key])
        )

    def raw(self, key: str):
        return self.cells.get(key)

    def text(self, key: str, *, required: bool = False) -> str:
        value = clean_name(cell_text(self.cells.get(key)))
        if required and not value:
            self.bad(key, _("This cell must not be empty."), "required")
        limit = self.max_len.get(key)
        if limit and len(value) > limit:
            self.bad(
                key,
                _("The text is too long: at most %(max)s characters.") % {"max": limit},
                "too_long",
            )
        return value

    def number(self, key: str):
        """The cell as a number (blank: None); a cell that is not one is an error."""
        raw = self.cells.get(key)
        if blank(raw):
            return None
        value = cell_number(raw)
        if value is None:
            self.bad(key, _("“%(value)s” is not a number.") % {"value": shown(raw)}, "number")
        return value

    def count(self, key: str, *, maximum: int | None = None) -> int | None:
        """A whole number ≥ 0 (blank: None), at most `maximum`."""
        value = self.amount(key, maximum=maximum)
        if value is not None and value != value.to_integral_value():
            self.bad(key, _("“%(value)s” is not a whole number.") % {"value": value}, "number")
            return None
        return None if value is None else int(value)

    def amount(self, key: str, *, maximum=None) -> Decimal | None:
        """A number ≥ 0 (blank: None), at most `maximum`."""
        value = self.number(key)
        if value is None:
            return None
        if value < 0:
            self.bad(key, _("The number cannot be negative."), "negative")
            return None
        if maximum is not None and value > maximum:
            self.bad(
                key, _("The number may be at most %(max)s.") % {"max": maximum}, "out_of_range"
            )
            return None
        return value

    def date(self, key: str) -> dt.date | None:
        raw = self.cells.get(key)
        if blank(raw):
            return None
        value = cell_date(raw)
        if value is None:
            self.bad(
                key,
                _("“%(value)s” is not a date; write a Jalali date such as 1405/01/15.")
                % {"value": shown(raw)},
                "date",
            )
        return value


def data_rows(sheet: Sheet, headers: Headers):
    """(row number, {column key: value}) of each row that is not blank in the layout's columns."""
    for row, values in sheet.rows:
        own = {key: values[i] if i < len(values) else None for key, i in headers.index.items()}
        if all(blank(v) for v in own.values()):
            continue
        yield row, own
