"""ECharts options of the obstacle analytics page, as plain dicts (templates pass them with
json_script; static/ronagh/app.js renders them). Labels are translated here; where ECharts prints
numbers itself the option asks app.js for Persian digits with `ronaghDigits`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ronagh.core.i18n import is_persian as _persian
from ronagh.core.i18n import local_digits as _digits

from . import analytics

OPEN_COLOR = "#d9731a"
OVERDUE_COLOR = "#dc3545"
RESOLVED_COLOR = "#198754"
COUNT_COLOR = "#0f5257"


def _base() -> dict:
    option = {
        "animation": False,
        "textStyle": {"fontFamily": "Vazirmatn, Tahoma, sans-serif"},
        "grid": {"left": 12, "right": 12, "top": 40, "bottom": 12, "containLabel": True},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}, "confine": True},
    }
    if _persian():
        option["ronaghDigits"] = "fa"
        option["tooltip"]["extraCssText"] = "direction: rtl; text-align: right;"
    return option


def _legend(names: list[str]) -> dict:
    # One scrolling line: a wrapped legend would run into the bars of a small chart.
    return {"type": "scroll", "top": 0, "data": names, "align": "right" if _persian() else "left"}


def groups_bar(groups: list[analytics.Group], labels: dict[str, str], *, top: int = 12) -> dict:
    """Horizontal bars per value of a dimension: resolved, open (not overdue) and overdue,
    stacked; the largest on top."""
    rtl = _persian()
    shown = groups[:top][::-1]  # ECharts draws the first category at the bottom
    names = [labels.get(g.key, g.key) or _("Not stated") for g in shown]
    option = _base()
    series_names = [_("Resolved"), _("Open"), _("Overdue"), _("Closed otherwise")]
    option["legend"] = _legend(series_names)
    option["xAxis"] = {
        "type": "value",
        "inverse": rtl,
        "minInterval": 1,
        "splitLine": {"lineStyle": {"color": "#e9ecef"}},
    }
    option["yAxis"] = {
        "type": "category",
        "data": names,
        "position": "right" if rtl else "left",
        "axisLabel": {"fontSize": 11, "width": 190, "overflow": "truncate"},
    }

    def bar(name, color, values):
        return {"name": name, "type": "bar", "stack": "all", "color": color, "data": values}

    option["series"] = [
        bar(series_names[0], RESOLVED_COLOR, [g.resolved for g in shown]),
        bar(series_names[1], OPEN_COLOR, [g.open - g.overdue for g in shown]),
        bar(series_names[2], OVERDUE_COLOR, [g.overdue for g in shown]),
        bar(series_names[3], "#adb5bd", [g.count - g.open - g.resolved for g in shown]),
    ]
    return option


def ageing_labels() -> dict[str, str]:
    """The ageing buckets in words, for tables."""
    return {
        "0-7": _("0–7 days"),
        "8-30": _("8–30 days"),
        "31-90": _("31–90 days"),
        "90+": _("over 90 days"),
    }


def ageing_bar(buckets: dict[str, int]) -> dict:
    """Open obstacles by age in days (the buckets' own labels: 0-7, 8-30, 31-90, 90+)."""
    rtl = _persian()
    option = _base()
    option["xAxis"] = {
        "type": "category",
        # Digits only: ECharts lays text out left to right, and Persian words mixed with digits
        # would come out in the wrong order. The card's title says "days".
        "data": [_digits(k.replace("-", "–")) for k in buckets],
        "inverse": rtl,
    }
    option["yAxis"] = {
        "type": "value",
        "minInterval": 1,
        "position": "right" if rtl else "left",
        "splitLine": {"lineStyle": {"color": "#e9ecef"}},
    }
    option["series"] = [
        {
            "name": _("Open obstacles"),
            "type": "bar",
            # Each bar's label is written here, in the reader's digits.
            "data": [
                {"value": n, "label": {"show": True, "position": "top", "formatter": _digits(n)}}
                for n in buckets.values()
            ],
            "color": OPEN_COLOR,
            "barMaxWidth": 48,
        }
    ]
    return option


def monthly_bars(rows: list[tuple[str, int, int]]) -> dict:
    """Registered and resolved per Jalali month."""
    rtl = _persian()
    option = _base()
    names = [_("Registered"), _("Resolved")]
    option["legend"] = _legend(names)
    option["xAxis"] = {
        "type": "category",
        "data": [_digits(m) for m, _r, _s in rows],
        "inverse": rtl,
    }
    option["yAxis"] = {
        "type": "value",
        "minInterval": 1,
        "position": "right" if rtl else "left",
        "splitLine": {"lineStyle": {"color": "#e9ecef"}},
    }
    option["series"] = [
        {"name": names[0], "type": "bar", "data": [r for _m, r, _s in rows], "color": COUNT_COLOR},
        {
            "name": names[1],
            "type": "bar",
            "data": [s for _m, _r, s in rows],
            "color": RESOLVED_COLOR,
        },
    ]
    return option
