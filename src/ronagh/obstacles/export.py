"""The obstacle analytics as an Excel workbook: right to left, Persian headers, numbers in number
cells, Jalali dates as text. One sheet of totals, one per dimension, one of ageing, and the list
of the obstacles behind the figures."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from ronagh.lib import jalali
from ronagh.lib.spreadsheet import header_row, rtl_sheet, safe_text

from . import analytics
from .charts import ageing_labels
from .models import Category, Obstacle, Status


def dimension_titles() -> dict[str, str]:
    return {
        "category": _("Category"),
        "agency": _("Responsible agency"),
        "park": _("Industrial park"),
        "sector": _("Sector"),
        "county": _("County"),
    }


def _group_headers(first: str) -> list[str]:
    return [
        first,
        _("Obstacles"),
        _("Open"),
        _("Overdue"),
        _("Resolved"),
        _("Jobs affected"),
        _("Amount involved (rial)"),
        _("Bounces"),
        _("Median days to resolve"),
    ]


def _group_row(label: str, g: analytics.Group) -> list:
    return [
        safe_text(label),
        g.count,
        g.open,
        g.overdue,
        g.resolved,
        g.jobs,
        g.amount,
        g.bounces,
        g.median_days_to_resolve,
    ]


def analytics_workbook(
    *,
    records: list[analytics.Record],
    obstacles: list[Obstacle],
    as_of: dt.date,
    scope: str,
) -> bytes:
    """The workbook of the analytics page for the same obstacles and date."""
    wb = openpyxl.Workbook()
    ws = rtl_sheet(wb.active, _("Summary"), [34, 18])
    ws.append([_("Obstacles: depth and dimensions")])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([_("As of"), jalali.format_date(as_of)])
    ws.append([_("Scope"), safe_text(scope)])
    ws.append([])
    total = analytics.totals(records, as_of)
    on_time, _resolved = analytics.resolved_on_time(records)
    for label, value in (
        (_("Obstacles"), total.count),
        (_("Open"), total.open),
        (_("Overdue"), total.overdue),
        (_("Resolved"), total.resolved),
        (_("Resolved on time"), on_time),
        (_("Jobs affected"), total.jobs),
        (_("Amount involved (rial)"), total.amount),
        (_("Bounces"), total.bounces),
        (_("Median days to resolve"), analytics.median_days_to_resolve(records)),
    ):
        ws.append([label, value])
    for row in ws.iter_rows(min_row=5, min_col=2, max_col=2):
        row[0].number_format = "#,##0"

    categories = dict(Category.choices)
    for dimension, title in dimension_titles().items():
        ws = rtl_sheet(wb.create_sheet(), title, [42, 10, 10, 10, 10, 14, 22, 10, 14])
        header_row(ws, _group_headers(title))
        labels = categories if dimension == "category" else {}
        for g in analytics.by_dimension(records, dimension, as_of):
            ws.append(_group_row(str(labels.get(g.key, g.key)) or _("Not stated"), g))
        for row in ws.iter_rows(min_row=2, min_col=6, max_col=7):
            for cell in row:
                cell.number_format = "#,##0"
        ws.freeze_panes = "B2"

    ws = rtl_sheet(wb.create_sheet(), _("Ageing"), [24, 16])
    header_row(ws, [_("Age of open obstacles (days)"), _("Obstacles")])
    words = ageing_labels()
    for key, count in analytics.ageing(records, as_of).items():
        ws.append([words[key], count])

    ws = rtl_sheet(
        wb.create_sheet(),
        _("Obstacles"),
        [8, 44, 18, 8, 30, 26, 18, 16, 34, 16, 12, 12, 12, 10, 10, 18, 8],
    )
    header_row(
        ws,
        [
            _("Number"),
            _("Title"),
            _("Category"),
            _("Severity"),
            _("Who faces it"),
            _("Industrial park"),
            _("Sector"),
            _("County"),
            _("Responsible agency"),
            _("Status"),
            _("Registered on"),
            _("Due date"),
            _("Resolved on"),
            _("Days overdue"),
            _("Jobs affected"),
            _("Amount involved (rial)"),
            _("Bounces"),
        ],
    )
    statuses = dict(Status.choices)
    for o in obstacles:
        park = o.park or (o.unit.park if o.unit_id else None)
        ws.append(
            [
                o.id,
                safe_text(o.title),
                str(categories.get(o.category, o.category)),
                o.severity,
                safe_text(o.unit.name if o.unit_id else o.park.name if o.park_id else o.sector),
                safe_text(park.name if park else ""),
                safe_text(o.sector or (o.unit.sector if o.unit_id else "")),
                safe_text(o.county.name if o.county_id else ""),
                safe_text(o.responsible_agency.name if o.responsible_agency_id else ""),
                str(statuses.get(o.status, o.status)),
                jalali.format_date(o.registered_on),
                jalali.format_date(o.due_date) or None,
                jalali.format_date(o.resolved_on) or None,
                o.days_overdue(as_of) or None,
                o.jobs_affected,
                o.amount,
                o.bounces,
            ]
        )
    for row in ws.iter_rows(min_row=2, min_col=16, max_col=16):
        row[0].number_format = "#,##0"
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
