"""ECharts options for the execution-rate page, as plain dicts for `json_script` (rendered by
static/ronagh/app.js with the SVG renderer). Labels are the reader's: Jalali months, Persian
digits written here; value-axis ticks and tooltips get Persian digits through `ronaghDigits`."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from ronagh.core.i18n import is_persian as _persian
from ronagh.core.i18n import local_digits, separator
from ronagh.lib.jalali import MONTHS_FA

from .rates import Rate

# Published provincial rates run from about 40 % to 80 %: the colours mark those bands.
BANDS = ((80.0, "#198754"), (60.0, "#20c997"), (40.0, "#ffc107"), (0.0, "#dc3545"))
NO_RATE_COLOR = "#adb5bd"


digits = local_digits  # Latin digits to the reader's


def short(label: str, limit: int = 34) -> str:
    """A long agency name cut for a chart's axis. Cut here rather than by ECharts: its own
    truncation anchors right-to-left text on the wrong side in the SVG renderer."""
    if len(label) <= limit:
        return label
    # The mark keeps the ellipsis at the end of a right-to-left name inside a left-to-right chart.
    return label[: limit - 1].rstrip() + ("…\u200f" if _persian() else "…")


def band_color(percent: float | None) -> str:
    if percent is None:
        return NO_RATE_COLOR
    return next(color for floor, color in BANDS if percent >= floor)


def band(percent: float | None) -> str:
    """A CSS tone for a rate: good (≥ 80), fair (≥ 60), weak (≥ 40), poor (< 40) or none."""
    if percent is None:
        return "none"
    if percent >= 80:
        return "good"
    if percent >= 60:
        return "fair"
    return "weak" if percent >= 40 else "poor"


def firm_label() -> str:
    """The row of the firms' own commitments in a per-agency table."""
    return _("Firms' own commitments")


def month_label(month: tuple[int, int]) -> str:
    year, m = month
    if _persian():
        return f"{MONTHS_FA[m - 1]} {local_digits(year)}"
    return f"{year}/{m:02d}"


def _pct_text(percent: float) -> str:
    text = f"{percent:.1f}".rstrip("0").rstrip(".")
    return digits(text) + ("٪" if _persian() else "%")


def _bars(labels: Sequence[str], items: Sequence[Rate], *, horizontal: bool) -> dict:
    rtl = _persian()
    data = []
    for label, r in zip(labels, items, strict=True):
        pct = r.percent
        counts = _("%(on_time)s of %(due)s clauses done on time") % {
            "on_time": digits(r.on_time),
            "due": digits(r.due),
        }
        data.append(
            {
                "value": None if pct is None else round(pct, 1),
                "itemStyle": {"color": band_color(pct)},
                # Literal text: the digits are already the reader's.
                "label": {
                    "show": pct is not None,
                    "position": "right"
                    if horizontal and not rtl
                    else "left"
                    if horizontal
                    else "top",
                    "formatter": _pct_text(pct) if pct is not None else "",
                },
                "tooltip": {
                    "formatter": f"{label}<br>{_pct_text(pct) if pct is not None else '—'}"
                    f"{separator()}{counts}"
                },
            }
        )
    value_axis = {
        "type": "value",
        "min": 0,
        "max": 100,
        "splitLine": {"lineStyle": {"color": "#e9ecef"}},
        "axisLabel": {"fontSize": 11},
    }
    category_axis = {
        "type": "category",
        "data": list(labels),
        "axisTick": {"show": False},
        "axisLabel": {"fontSize": 11, "interval": 0},
    }
    option = {
        "animation": False,
        "textStyle": {"fontFamily": "Vazirmatn, Tahoma, sans-serif"},
        "grid": {"left": 44, "right": 44, "top": 24, "bottom": 12, "containLabel": True},
        "tooltip": {"trigger": "item", "confine": True},
        "ronaghSuffix": "٪" if rtl else "%",
    }
    if rtl:
        option["ronaghDigits"] = "fa"
        option["tooltip"]["extraCssText"] = "direction: rtl; text-align: right;"
    if horizontal:
        # The worst at the top; in a right-to-left page the bars grow leftwards from the right.
        category_axis["inverse"] = True
        category_axis["position"] = "right" if rtl else "left"
        value_axis["inverse"] = rtl
        option["xAxis"], option["yAxis"] = value_axis, category_axis
    else:
        category_axis["inverse"] = rtl
        category_axis["axisLabel"].update({"width": 96, "overflow": "break"})
        value_axis["position"] = "right" if rtl else "left"
        option["xAxis"], option["yAxis"] = category_axis, value_axis
    option["series"] = [
        {
            "name": _("Execution rate"),
            "type": "bar",
            "data": data,
            "barMaxWidth": 36,
            "markLine": {
                "silent": True,
                "symbol": "none",
                "lineStyle": {"color": "#6c757d", "type": "dashed", "width": 1},
                "label": {"show": False},
                "data": [
                    {"xAxis" if horizontal else "yAxis": 40},
                    {"xAxis" if horizontal else "yAxis": 80},
                ],
            },
        }
    ]
    return option


def rate_by_month(months: Sequence[tuple[tuple[int, int], Rate]]) -> dict:
    """A column per Jalali month of the due date, oldest first."""
    return _bars([month_label(m) for m, _r in months], [r for _m, r in months], horizontal=False)


def rate_by_label(rows: Sequence[tuple[str, Rate]]) -> dict:
    """A horizontal bar per row (agencies, meetings), in the order given."""
    return _bars([short(label) for label, _r in rows], [r for _l, r in rows], horizontal=True)
