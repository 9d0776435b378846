"""ECharts options for the dashboards, built from selector data as plain dicts.

Templates pass them to the page with `json_script`; `static/ronagh/app.js` renders every element
with `data-chart` using the SVG renderer, so charts print sharply. Everything a reader sees is
decided here: Persian labels through gettext, Jalali dates on the time axis, Persian digits where
we write the text. Where ECharts prints numbers itself (value-axis ticks, tooltip values) the option
carries `ronaghDigits: "fa"` and app.js swaps the digits; JSON cannot carry formatter functions.

In a right-to-left locale the time axis runs from right to left (the year starts on the right,
where a Persian reader starts), and the value axis stands on the right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from ronagh.core.i18n import is_persian as _persian
from ronagh.core.i18n import local_digits as _digits
from ronagh.lib import jalali

from . import rollup

PLANNED_COLOR = "#0f5257"
ACTUAL_COLOR = "#d9731a"
STATUS_COLORS = {
    rollup.Status.DONE: "#198754",
    rollup.Status.NOT_DUE: "#adb5bd",
    rollup.Status.STALLED: "#6f42c1",
    rollup.Status.CRITICAL: "#dc3545",
    rollup.Status.BEHIND: "#ffc107",
    rollup.Status.ON_TRACK: "#20c997",
}


def status_labels() -> dict[str, str]:
    """The six statuses of SPEC 4.3 in the reader's language, in the order of the rules."""
    return {
        rollup.Status.DONE: _("Done"),
        rollup.Status.NOT_DUE: _("Not due"),
        rollup.Status.STALLED: _("Stalled"),
        rollup.Status.CRITICAL: _("Critical"),
        rollup.Status.BEHIND: _("Behind"),
        rollup.Status.ON_TRACK: _("On track"),
    }


def date_label(d: dt.date, *, with_year: bool = True) -> str:
    """A Jalali date for an axis: '۱۴۰۵/۰۴/۱۰', or '۱۰ تیر' within a known year."""
    if with_year or not _persian():
        text = jalali.format_date(d)
        return _digits(text if with_year else text[5:])
    j = jalali.to_jalali(d)
    return _digits(f"{j.day} {jalali.MONTHS_FA[j.month - 1]}")


def _base(*, percent: bool) -> dict:
    rtl = _persian()
    option = {
        # Drawn at once: a chart caught mid-animation would print half-drawn.
        "animation": False,
        "textStyle": {"fontFamily": "Vazirmatn, Tahoma, sans-serif"},
        "grid": {"left": 12, "right": 12, "top": 48, "bottom": 12, "containLabel": True},
        "tooltip": {"trigger": "axis", "confine": True},
    }
    if rtl:
        option["ronaghDigits"] = "fa"
        option["tooltip"]["extraCssText"] = "direction: rtl; text-align: right;"
    if percent:
        option["ronaghSuffix"] = "٪" if rtl else "%"
    return option


def _as_of_line(label: str, text: str) -> dict:
    return {
        "silent": True,
        "symbol": "none",
        "lineStyle": {"color": "#6c757d", "type": "dotted", "width": 1},
        "label": {"formatter": text, "position": "end", "color": "#495057"},
        "data": [{"xAxis": label}],
    }


def _progress_chart(
    labels: list[str],
    planned: list[float | None],
    actual: list[float | None],
    *,
    as_of_label: str | None,
    as_of_text: str,
    step: bool = False,
) -> dict:
    rtl = _persian()
    option = _base(percent=True)
    option["legend"] = {
        "top": 0,
        "data": [_("Planned progress"), _("Actual progress")],
        "textStyle": {"fontSize": 13},
        # The marker beside the text, on the side a right-to-left reader starts from.
        "align": "right" if rtl else "left",
    }
    option["xAxis"] = {
        "type": "category",
        "data": labels,
        "boundaryGap": False,
        "inverse": rtl,
        "axisLabel": {"hideOverlap": True, "fontSize": 11},
        "axisTick": {"alignWithLabel": True},
    }
    option["yAxis"] = {
        "type": "value",
        "min": 0,
        "max": 100,
        "interval": 25,
        "position": "right" if rtl else "left",
        "axisLabel": {"fontSize": 11},
        "splitLine": {"lineStyle": {"color": "#e9ecef"}},
    }
    planned_series = {
        "name": _("Planned progress"),
        "type": "line",
        "data": planned,
        "showSymbol": False,
        "color": PLANNED_COLOR,
        # Dashed, so that planned and actual stay apart on a black-and-white printout.
        "lineStyle": {"width": 2, "type": "dashed"},
    }
    actual_series = {
        "name": _("Actual progress"),
        "type": "line",
        "data": actual,
        "showSymbol": False,
        "connectNulls": False,
        "color": ACTUAL_COLOR,
        "lineStyle": {"width": 3},
        "areaStyle": {"opacity": 0.12},
    }
    if step:
        actual_series["step"] = "end"
    if as_of_label is not None and as_of_label in labels:
        actual_series["markLine"] = _as_of_line(as_of_label, as_of_text)
    option["series"] = [planned_series, actual_series]
    return option


def s_curve(points: Sequence[tuple[dt.date, float, float]], as_of: dt.date) -> dict:
    """Planned against actual over the plan year, from `rollup.curve`; the actual line stops at
    the as-of date (what was known then), the planned line runs to the year's end."""
    labels = [date_label(d, with_year=False) for d, _p, _a in points]
    planned = [round(p, 1) for _d, p, _a in points]
    actual = [round(a, 1) if d <= as_of else None for d, _p, a in points]
    as_of_label = date_label(as_of, with_year=False)
    return _progress_chart(
        labels,
        planned,
        actual,
        as_of_label=as_of_label,
        as_of_text=_("As of %(date)s") % {"date": as_of_label},
    )


def action_history(
    action: rollup.ActionInput, as_of: dt.date, *, max_points: int = 400
) -> dict | None:
    """One action over its span: the planned line (with its milestones) and the actual step line
    up to the as-of date. The span runs on past the end while an overdue action is not done.
    None when the action has no dates."""
    if action.start is None or action.end is None:
        return None
    first = action.start
    last = max(action.end, as_of) if rollup.actual(action, as_of) < 100 else action.end
    last = max(last, first)
    days = (last - first).days
    step = max(1, -(-days // max_points))
    dates = [first + dt.timedelta(days=i) for i in range(0, days + 1, step)]
    if dates[-1] != last:
        dates.append(last)
    if first <= as_of <= last and as_of not in dates:
        dates = sorted([*dates, as_of])
    labels = [date_label(d) for d in dates]
    planned = [round(rollup.planned(action, d), 1) for d in dates]
    actual = [round(rollup.actual(action, d), 1) if d <= as_of else None for d in dates]
    as_of_label = date_label(as_of)
    return _progress_chart(
        labels,
        planned,
        actual,
        as_of_label=as_of_label,
        as_of_text=_("As of %(date)s") % {"date": as_of_label},
        step=True,
    )


def status_counts(counts: dict[str, int]) -> dict:
    """A column per status, in the order of SPEC 4.3's rules, coloured as the badges are."""
    rtl = _persian()
    labels = status_labels()
    option = _base(percent=False)
    option["grid"]["top"] = 24
    option["tooltip"] = {**option["tooltip"], "trigger": "item"}
    option["xAxis"] = {
        "type": "category",
        "data": [labels[s] for s in rollup.STATUSES],
        "inverse": rtl,
        "axisLabel": {"interval": 0, "fontSize": 11, "width": 70, "overflow": "break"},
        "axisTick": {"show": False},
    }
    option["yAxis"] = {
        "type": "value",
        "minInterval": 1,
        "position": "right" if rtl else "left",
        "axisLabel": {"fontSize": 11},
        "splitLine": {"lineStyle": {"color": "#e9ecef"}},
    }
    data = []
    for s in rollup.STATUSES:
        n = counts.get(s, 0)
        text = _digits(n)
        data.append(
            {
                "value": n,
                "itemStyle": {"color": STATUS_COLORS[s]},
                # Literal text, not a template: the digits are already the reader's.
                "label": {"show": True, "position": "top", "formatter": text},
                "tooltip": {"formatter": f"{labels[s]}: {text}"},
            }
        )
    option["series"] = [
        {"name": _("Actions"), "type": "bar", "data": data, "barMaxWidth": 42},
    ]
    return option
