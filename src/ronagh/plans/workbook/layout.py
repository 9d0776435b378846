"""The plan workbook's layout (SPEC 7): its columns with their Persian headers and English
aliases, and the problems a workbook can have, each with its row and column."""

from __future__ import annotations

from ronagh.core.workbook import (  # the parts every workbook layout shares
    CellError,
    Column,
    Progress,
    WorkbookError,
    by_header,
    header_key,
)

from ..models import Action, Axis

__all__ = [
    "BY_HEADER",
    "COLUMNS",
    "MAX_AXIS",
    "MAX_LEN",
    "POSITION",
    "CellError",
    "Column",
    "Progress",
    "WorkbookError",
    "header_key",
]


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

BY_HEADER = by_header(COLUMNS)

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
