"""The national view's chart: the provinces ranked, planned against actual, as an ECharts option
(app.js draws it; a click on a province opens its dashboard)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ronagh.core.i18n import is_persian
from ronagh.plans.charts import ACTUAL_COLOR, PLANNED_COLOR


def ranked(rows, links: list[str]) -> dict:
    """One pair of bars per province (planned, actual), in the order given (the furthest
    behind on top); `links` are the provinces' dashboards in the same order."""
    rtl = is_persian()
    names = [r.province.name for r in rows]
    option = {
        "animation": False,
        "textStyle": {"fontFamily": "Vazirmatn, Tahoma, sans-serif"},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}, "confine": True},
        "legend": {
            "top": 0,
            "data": [_("Planned progress"), _("Actual progress")],
            "align": "right" if rtl else "left",
        },
        "grid": {"left": 12, "right": 12, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {
            "type": "value",
            "min": 0,
            "max": 100,
            "interval": 25,
            "inverse": rtl,
            "axisLabel": {"fontSize": 11},
            "splitLine": {"lineStyle": {"color": "#e9ecef"}},
        },
        "yAxis": {
            "type": "category",
            "data": names,
            "inverse": True,  # the first province on top
            "position": "right" if rtl else "left",
            "axisLabel": {"fontSize": 12, "interval": 0},
            "axisTick": {"show": False},
        },
        "series": [
            {
                "name": _("Planned progress"),
                "type": "bar",
                "data": [round(r.total.planned, 1) for r in rows],
                "color": PLANNED_COLOR,
                "barMaxWidth": 10,
            },
            {
                "name": _("Actual progress"),
                "type": "bar",
                "data": [round(r.total.actual, 1) for r in rows],
                "color": ACTUAL_COLOR,
                "barMaxWidth": 10,
            },
        ],
        "ronaghLinks": links,
        "ronaghSuffix": "٪" if rtl else "%",
    }
    if rtl:
        option["ronaghDigits"] = "fa"
        option["tooltip"]["extraCssText"] = "direction: rtl; text-align: right;"
    return option
