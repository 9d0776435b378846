"""ECharts options of the units pages, as plain dicts (templates pass them with json_script;
static/ronagh/app.js renders them). Labels are translated here, Jalali months on the time axis,
Persian digits where we write the text; in a right-to-left locale the month axis runs from right
to left and value axes stand on the right."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from ronagh.core.i18n import is_persian as _persian
from ronagh.core.i18n import local_digits as _digits
from ronagh.lib import jalali

from .risk import HIGH, MEDIUM, Level

LEVEL_COLORS = {Level.LOW: "#20c997", Level.MEDIUM: "#ffc107", Level.HIGH: "#dc3545"}
JOBS_COLOR = "#d9731a"
UNITS_COLOR = "#0f5257"


def level_labels() -> dict[str, str]:
    return {Level.LOW: _("Low risk"), Level.MEDIUM: _("Medium risk"), Level.HIGH: _("High risk")}


def month_label(month: dt.date) -> str:
    return _digits(jalali.format_month(month))


def _base() -> dict:
    option = {
        "animation": False,
        "textStyle": {"fontFamily": "Vazirmatn, Tahoma, sans-serif"},
        "grid": {"left": 12, "right": 12, "top": 48, "bottom": 28, "containLabel": True},
        "tooltip": {"trigger": "axis", "confine": True},
    }
    if _persian():
        option["ronaghDigits"] = "fa"
        option["tooltip"]["extraCssText"] = "direction: rtl; text-align: right;"
    return option


def _legend(names: list[str]) -> dict:
    return {"type": "scroll", "top": 0, "data": names, "align": "right" if _persian() else "left"}


def _month_axis(months: Sequence[dt.date], name: str | None = None) -> dict:
    axis = {
        "type": "category",
        "data": [month_label(m) for m in months],
        "inverse": _persian(),
        "name": name or _("Month"),
        "nameLocation": "middle",
        "nameGap": 26,
        "axisLabel": {"fontSize": 10},
    }
    return axis


def _value_axis(name: str, **extra) -> dict:
    return {
        "type": "value",
        "name": name,
        "position": "right" if _persian() else "left",
        "splitLine": {"lineStyle": {"color": "#e9ecef"}},
        **extra,
    }


def risk_history(months: Sequence[dt.date], scores: Sequence[int | None]) -> dict:
    """A unit's monthly score, with the medium and high bands shaded."""
    option = _base()
    name = _("Risk score")
    option["legend"] = _legend([name])
    option["xAxis"] = _month_axis(months)
    option["yAxis"] = _value_axis(_("Score (0–100)"), min=0, max=100)
    option["series"] = [
        {
            "name": name,
            "type": "line",
            "data": list(scores),
            "color": "#343a40",
            "symbolSize": 6,
            "connectNulls": False,
            "markArea": {
                "silent": True,
                "data": [
                    [
                        {"yAxis": MEDIUM, "itemStyle": {"color": "rgba(255,193,7,0.12)"}},
                        {"yAxis": HIGH},
                    ],
                    [
                        {"yAxis": HIGH, "itemStyle": {"color": "rgba(220,53,69,0.12)"}},
                        {"yAxis": 100},
                    ],
                ],
            },
        }
    ]
    return option


def indicator_lines(months: Sequence[dt.date], series: dict[str, list], axis_name: str) -> dict:
    """Several indicators on one value axis, month by month."""
    option = _base()
    option["legend"] = _legend(list(series))
    option["xAxis"] = _month_axis(months)
    option["yAxis"] = _value_axis(axis_name, min=0)
    colors = ["#0f5257", "#d9731a", "#6f42c1", "#dc3545", "#198754"]
    option["series"] = [
        {
            "name": name,
            "type": "line",
            "data": values,
            "color": colors[i % len(colors)],
            "symbolSize": 5,
            "connectNulls": False,
        }
        for i, (name, values) in enumerate(series.items())
    ]
    return option


def groups_bar(groups, *, top: int = 12, axis_name: str | None = None) -> dict:
    """Horizontal bars of jobs at risk per group (sector, park, county), the largest on top;
    each bar labelled with its jobs in the reader's digits."""
    rtl = _persian()
    shown = list(groups)[:top][::-1]  # ECharts draws the first category at the bottom
    option = _base()
    option["grid"]["bottom"] = 36
    option["grid"]["top"] = 16
    option["tooltip"] = {"show": False}
    option["xAxis"] = [
        {
            "type": "value",
            "inverse": rtl,
            "name": axis_name or _("Jobs at risk"),
            "nameLocation": "middle",
            "nameGap": 24,
            "minInterval": 1,
            "splitLine": {"lineStyle": {"color": "#e9ecef"}},
        }
    ]
    option["yAxis"] = {
        "type": "category",
        "data": [g.name or _("Not stated") for g in shown],
        "position": "right" if rtl else "left",
        "axisLabel": {"fontSize": 11, "width": 170, "overflow": "truncate"},
    }

    def label(g) -> str:
        # Digits only: ECharts lays text out left to right, and Persian words mixed with
        # digits would come out in the wrong order. The tables beside count the units.
        return _digits(f"{g.jobs:,}".replace(",", "٬" if rtl else ","))

    option["series"] = [
        {
            "name": _("Jobs at risk"),
            "type": "bar",
            "color": JOBS_COLOR,
            "barMaxWidth": 22,
            "data": [
                {
                    "value": g.jobs,
                    "label": {
                        "show": True,
                        "position": "left" if rtl else "right",
                        "fontSize": 10,
                        "formatter": label(g),
                    },
                }
                for g in shown
            ],
        }
    ]
    return option


def level_trend(rows: Sequence[tuple[dt.date, dict]]) -> dict:
    """Units by level of risk, month by month (stacked)."""
    option = _base()
    labels = level_labels()
    option["legend"] = _legend([labels[lv] for lv in (Level.HIGH, Level.MEDIUM, Level.LOW)])
    option["xAxis"] = _month_axis([m for m, _c in rows])
    option["yAxis"] = _value_axis(_("Units"), minInterval=1)
    option["series"] = [
        {
            "name": labels[lv],
            "type": "bar",
            "stack": "levels",
            "color": LEVEL_COLORS[lv],
            "data": [counts.get(lv, 0) for _m, counts in rows],
        }
        for lv in (Level.HIGH, Level.MEDIUM, Level.LOW)
    ]
    return option


def totals_bar(labels: Sequence[str], series: dict[str, list], axis_name: str) -> dict:
    """Vertical bars of a few totals per label (years, countries, sectors)."""
    rtl = _persian()
    option = _base()
    option["tooltip"]["axisPointer"] = {"type": "shadow"}
    option["legend"] = _legend(list(series))
    option["xAxis"] = {
        "type": "category",
        "data": [_digits(x) for x in labels],
        "inverse": rtl,
        "axisLabel": {"fontSize": 10, "interval": 0, "rotate": 30 if len(labels) > 6 else 0},
    }
    option["yAxis"] = _value_axis(axis_name, min=0)
    colors = ["#0f5257", "#d9731a", "#198754", "#6f42c1"]
    option["series"] = [
        {"name": name, "type": "bar", "data": values, "color": colors[i % len(colors)]}
        for i, (name, values) in enumerate(series.items())
    ]
    return option
