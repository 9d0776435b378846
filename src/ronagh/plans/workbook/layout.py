"""The plan workbook's layout (SPEC 7): its columns with their Persian headers and English
aliases, and the problems a workbook can have, each with its row and column."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ronagh.lib.text import squash

from ..models import Action, Axis

Progress = Callable[[int, int], None]
"""progress(done, total): called as rows are read and actions written, for a progress bar."""


@dataclass(frozen=True)
class Column:
    key: str  # the English alias, also the field's name here
    header: str  # the Persian header written on export
    required: bool = False
    width: int = 14


COLUMNS: tuple[Column, ...] = (
    Column("axis_no", "کد محور", True, 9),
    Column("axis_title", "عنوان محور", width=30),
    Column("axis_weight", "وزن محور", width=9),
    Column("action_code", "کد اقدام", True, 10),
    Column("action_title", "عنوان اقدام", True, 50),
    Column("lead_agency", "دستگاه مسئول", width=30),
    Column("partner_agencies", "دستگاه‌های همکار", width=40),
    Column("weight", "وزن", width=7),
    Column("start", "تاریخ شروع", width=12),
    Column("end", "تاریخ پایان", width=12),
    Column("indicator", "شاخص", width=30),
    Column("target", "مقدار هدف", width=11),
    Column("unit", "واحد سنجش", width=12),
    Column("milestones", "نقاط کنترل", width=30),
)
POSITION = {c.key: i for i, c in enumerate(COLUMNS)}


def header_key(text: str) -> str:
    """'دستگاه های همکار', 'دستگاه‌های‌همکار' and 'Partner Agencies' all meet here."""
    return re.sub(r"[\W_]+", "", squash(text))


BY_HEADER = {header_key(name): c for c in COLUMNS for name in (c.header, c.key)}

# Model limits, checked here so a long cell is a message and not a database error.
MAX_LEN = {
    "axis_title": Axis._meta.get_field("title").max_length,
    "action_code": Action._meta.get_field("code").max_length,
    "action_title": Action._meta.get_field("title").max_length,
    "lead_agency": 200,  # Agency.name
    "indicator": Action._meta.get_field("indicator").max_length,
    "unit": Action._meta.get_field("unit").max_length,
}
MAX_AXIS = 100_000


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
