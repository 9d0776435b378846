"""Writing the units and indicators workbooks (SPEC 7) in their import layouts: what is
exported reads back unchanged. Right to left, Persian headers, Jalali dates and months as text,
every text cell neutralised against formulas."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from ronagh.lib import jalali
from ronagh.lib.spreadsheet import header_row, rtl_sheet, safe_text
from ronagh.plans.workbook.writer import to_bytes

from ..models import ProductionUnit, UnitIndicator
from .layout import (
    FIELD_OF_ALIAS,
    INDICATOR_COLUMNS,
    INDICATOR_POSITION,
    UNIT_COLUMNS,
    UNIT_POSITION,
)

STATUS_WORD = {"active": "فعال", "idle": "راکد", "closed": "تعطیل"}


def _number(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _text_columns(ws, keys, positions, last_row: int) -> None:
    for key in keys:
        letter = get_column_letter(positions[key] + 1)
        for row in range(2, max(last_row, 2) + 1):
            ws[f"{letter}{row}"].number_format = "@"


def units_workbook(units: QuerySet[ProductionUnit]) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = rtl_sheet(wb.active, _("Production units"), [c.width for c in UNIT_COLUMNS])
    header_row(ws, [c.header for c in UNIT_COLUMNS])
    n = 0
    for u in units.select_related("county", "park").order_by("national_id"):
        n += 1
        ws.append(
            [
                u.national_id,
                safe_text(u.name),
                u.isic or None,
                safe_text(u.sector) or None,
                u.county.name if u.county_id else None,
                safe_text(u.park.name) if u.park_id else None,
                STATUS_WORD.get(u.status, u.status),
                u.employees,
                _number(u.capacity),
                safe_text(u.manager) or None,
                safe_text(u.licence_no) or None,
                jalali.format_date(u.licence_date) or None,
            ]
        )
    _text_columns(ws, ("national_id", "isic", "licence_no", "licence_date"), UNIT_POSITION, n + 1)
    ws.auto_filter.ref = ws.dimensions
    return wb


def export_units(units: QuerySet[ProductionUnit]) -> bytes:
    return to_bytes(units_workbook(units))


def units_template() -> bytes:
    return export_units(ProductionUnit.objects.none())


def indicators_workbook(rows: QuerySet[UnitIndicator]) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = rtl_sheet(wb.active, _("Monthly indicators"), [c.width for c in INDICATOR_COLUMNS])
    header_row(ws, [c.header for c in INDICATOR_COLUMNS])
    n = 0
    for r in rows.select_related("unit").order_by("unit__national_id", "month"):
        n += 1
        ws.append(
            [r.unit.national_id, jalali.format_month(r.month)]
            + [_number(getattr(r, FIELD_OF_ALIAS[c.key])) for c in INDICATOR_COLUMNS[2:]]
        )
    _text_columns(ws, ("national_id", "month"), INDICATOR_POSITION, n + 1)
    ws.auto_filter.ref = ws.dimensions
    return wb


def export_indicators(rows: QuerySet[UnitIndicator]) -> bytes:
    return to_bytes(indicators_workbook(rows))


def indicators_template() -> bytes:
    return export_indicators(UnitIndicator.objects.none())
