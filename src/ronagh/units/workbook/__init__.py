"""The production-units and monthly-indicators workbooks of SPEC 7, import and export in one
layout each (the shared parts are `core.workbook`'s):

- layout.py    the columns (Persian headers, English aliases)
- reader.py    .xlsx → plain rows and every bad cell; no database
- importer.py  names and ids resolved, then written through the services, all or nothing
- writer.py    the registry and the indicators exported, and the empty templates
"""

from .importer import IndicatorsResult, UnitsResult, import_indicators, import_units
from .layout import INDICATOR_COLUMNS, UNIT_COLUMNS
from .reader import read_indicators, read_units
from .writer import export_indicators, export_units, indicators_template, units_template

__all__ = [
    "INDICATOR_COLUMNS",
    "UNIT_COLUMNS",
    "IndicatorsResult",
    "UnitsResult",
    "export_indicators",
    "export_units",
    "import_indicators",
    "import_units",
    "indicators_template",
    "read_indicators",
    "read_units",
    "units_template",
]
