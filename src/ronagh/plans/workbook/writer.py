"""Writing a plan workbook (SPEC 7): a plan exported in the import layout, and the empty template
with a guide to each column. `read_workbook` reads an exported plan back unchanged, milestones
included."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from ronagh.lib import jalali
from ronagh.lib.spreadsheet import header_row, rtl_sheet, safe_text

from ..models import Action, Plan
from .layout import COLUMNS, POSITION


def _cell_number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _natural(code: str) -> list:
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", code) if p]


def _plan_sheet(wb: openpyxl.Workbook):
    ws = rtl_sheet(wb.active, _("Plan"), [c.width for c in COLUMNS])
    header_row(ws, [c.header for c in COLUMNS])
    return ws


def _text_columns(ws, last_row: int) -> None:
    # Codes and dates stay text when someone retypes them ("01" keeps its zero; "1405/01/15" is
    # not taken for a Gregorian date).
    for key in ("action_code", "start", "end", "milestones"):
        letter = get_column_letter(POSITION[key] + 1)
        for row in range(2, last_row + 1):
            ws[f"{letter}{row}"].number_format = "@"


def milestones_text(action: Action) -> str | None:
    """The milestones cell: `1405/03/31:25؛ 1405/06/31:60`."""
    pairs = [f"{jalali.format_date(m.date)}:{_plain(m.percent)}" for m in action.milestones.all()]
    return "؛ ".join(pairs) or None


def plan_workbook(plan: Plan) -> openpyxl.Workbook:
    """The plan in the SPEC 7 layout: Persian headers, right to left, one action a row, Jalali
    dates as text, numbers in number cells; `read_workbook` reads it back unchanged."""
    wb = openpyxl.Workbook()
    ws = _plan_sheet(wb)
    actions = sorted(
        Action.objects.filter(plan=plan)
        .select_related("axis", "lead_agency")
        .prefetch_related("partners", "milestones"),
        key=lambda a: (a.axis.number, _natural(a.code)),
    )
    for a in actions:
        ws.append(
            [
                a.axis.number,
                safe_text(a.axis.title),
                _cell_number(a.axis.weight),
                safe_text(a.code),
                safe_text(a.title),
                safe_text(a.lead_agency.name) if a.lead_agency else None,
                safe_text("، ".join(p.name for p in a.partners.all())) or None,
                _cell_number(a.weight),
                jalali.format_date(a.start) or None,
                jalali.format_date(a.end) or None,
                safe_text(a.indicator) or None,
                _cell_number(a.target),
                safe_text(a.unit) or None,
                milestones_text(a),
            ]
        )
    _text_columns(ws, len(actions) + 1)
    ws.auto_filter.ref = ws.dimensions
    return wb


def export_plan(plan: Plan) -> bytes:
    """The plan as .xlsx bytes (see `plan_workbook`)."""
    return to_bytes(plan_workbook(plan))


def template_workbook() -> bytes:
    """An empty plan workbook: the headers, and a second sheet that explains each column."""
    wb = openpyxl.Workbook()
    ws = _plan_sheet(wb)
    _text_columns(ws, 500)
    guide = rtl_sheet(wb.create_sheet(), _("Guide"), [20, 18, 12, 70])
    header_row(guide, [_("Column"), _("English alias"), _("Required"), _("What to write")])
    explain = {
        "axis_no": _("The axis number: a whole number from 1."),
        "axis_title": _("The axis title; blank repeats the title of the axis's earlier rows."),
        "axis_weight": _(
            "The axis weight, greater than zero; blank repeats the earlier rows, or 1."
        ),
        "action_code": _("A code unique in the plan, e.g. 1-3."),
        "action_title": _("What is to be done."),
        "lead_agency": _("The agency responsible, by its name."),
        "partner_agencies": _("Partner agencies, separated by ، or ؛"),
        "weight": _("The action's weight within its axis, greater than zero; blank means 1."),
        "start": _("Jalali date, e.g. 1405/01/15."),
        "end": _("Jalali date, e.g. 1405/12/29; not before the start."),
        "indicator": _("How progress is measured."),
        "target": _("The target value of the indicator (a number)."),
        "unit": _("The unit of the target, e.g. percent, hectare, person."),
        "milestones": _(
            "Optional control points DATE:PERCENT separated by ؛, dates in order inside the "
            "action's span and percents rising, e.g. 1405/03/31:25؛ 1405/06/31:60."
        ),
    }
    for c in COLUMNS:
        guide.append([c.header, c.key, _("yes") if c.required else "", explain[c.key]])
    guide.append([])
    for note in (
        _("One action per row; the headers stay in row 1 of the first sheet."),
        _("Digits may be Persian or Latin; merged axis cells are fine."),
        _("Importing again replaces a draft plan of the same year whole."),
    ):
        guide.append([note])
    return to_bytes(wb)


def to_bytes(wb: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
