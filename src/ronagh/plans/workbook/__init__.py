"""The plan workbook of SPEC 7, import and export in one layout:

- layout.py    the columns (Persian headers, English aliases) and the errors with row and column
- reader.py    .xlsx → plain rows and every bad cell; no database
- importer.py  agency names matched, then the draft written through the plan services
- writer.py    a plan exported, and the empty template with its guide
"""

from .importer import ImportResult, default_title, import_plan, split_partners
from .layout import COLUMNS, CellError, WorkbookError
from .reader import ActionRow, AxisRow, ParsedWorkbook, read_workbook
from .writer import export_plan, plan_workbook, template_workbook

__all__ = [
    "COLUMNS",
    "ActionRow",
    "AxisRow",
    "CellError",
    "ImportResult",
    "ParsedWorkbook",
    "WorkbookError",
    "default_title",
    "export_plan",
    "import_plan",
    "plan_workbook",
    "read_workbook",
    "split_partners",
    "template_workbook",
]
