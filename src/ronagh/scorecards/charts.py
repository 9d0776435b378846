"""ECharts options of the scorecard pages, as plain dicts for `json_script` (app.js draws every
`data-chart` element). Labels go through gettext; where we write numbers ourselves they are in the
reader's digits; where ECharts prints them, `ronaghDigits` asks app.js to swap the digits."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from ronagh.core.i18n import is_persian as _persian
from ronagh.core.i18n import local_digits as _digits
from ronagh.plans.charts import date_label

from .compliance import DayCompliance
from .heatmap import HeatMap

GOOD, FAIR, POOR, NONE = "#198754", "#ffc107", "#dc3545", "#dee2e6"
AHEAD = "#1a7f5a"


def _number(value: float | None, places: int = 1) -> str:
    if value is None:
        return "—"
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return _digits(text)


def _sign() -> str:
    return "٪" if _persian() else "%"


def _base() -> dict:
    option = {
        "animation": False,
        "textStyle": {"fontFamily": "Vazirmatn, Tahoma, sans-serif"},
        "tooltip": {"trigger": "item", "confine": True},
    }
    if _persian():
        option["ronaghDigits"] = "fa"
        option["tooltip"]["extraCssText"] = "direction: rtl; text-align: right;"
    return option


def compliance_strip(days: Sequence[DayCompliance]) -> dict:
    """One column per working day: the share of required reports that came in that day, green
    from 90 %, amber from 60 %, red below; a grey stub where nothing was required."""
    rtl = _persian()
    option = _base()
    option["ronaghSuffix"] = _sign()
    option["grid"] = {"left": 8, "right": 8, "top": 16, "bottom": 8, "containLabel": True}
    option["xAxis"] = {
        "type": "category",
        "data": [date_label(d.day, with_year=False) for d in days],
        "inverse": rtl,
        "axisLabel": {"fontSize": 10, "hideOverlap": True},
        "axisTick": {"alignWithLabel": True},
    }
    option["yAxis"] = {
        "type": "value",
        "min": 0,
        "max": 100,
        "interval": 50,
        "position": "right" if rtl else "left",
        "axisLabel": {"fontSize": 10},
        "splitLine": {"lineStyle": {"color": "#e9ecef"}},
    }
    data = []
    for d in days:
        label = date_label(d.day)
        if d.required == 0:
            data.append(
                {
                    "value": 0,
                    "itemStyle": {"color": NONE},
                    "tooltip": {"formatter": f"{label}: {_('no report was due')}"},
                }
            )
            continue
        pct = d.percent or 0.0
        color = GOOD if pct >= 90 else FAIR if pct >= 60 else POOR
        text = _("%(date)s: %(reported)s of %(required)s reports (%(pct)s)") % {
            "date": label,
            "reported": _digits(d.reported),
            "required": _digits(d.required),
            "pct": _number(pct, 0) + _sign(),
        }
        data.append(
            {
                "value": round(pct, 1),
                "itemStyle": {"color": color},
                "tooltip": {"formatter": text},
            }
        )
    # A day with nothing reported still shows: a red (or, nothing due, grey) stub.
    option["series"] = [
        {"name": _("Compliance"), "type": "bar", "data": data, "barMaxWidth": 18, "barMinHeight": 3}
    ]
    return option


MEASURES = ("gap", "ratio")


def _gap_pieces() -> list[dict]:
    # The thresholds of SPEC 4.3's statuses: a set whose gap would make an action behind or
    # critical is coloured so.
    return [
        {"lt": -0.05, "color": AHEAD, "label": _("Ahead of plan")},
        {"gte": -0.05, "lte": 5, "color": "#8fd19e", "label": _("On track (gap up to 5)")},
        {"gt": 5, "lte": 20, "color": FAIR, "label": _("Behind (gap 5 to 20)")},
        {"gt": 20, "color": POOR, "label": _("Critical (gap over 20)")},
    ]


def _ratio_pieces() -> list[dict]:
    def share(n: int) -> str:
        return _digits(n) + _sign()

    return [
        {"gte": 95, "color": AHEAD, "label": _("%(n)s of plan or more") % {"n": share(95)}},
        {
            "gte": 80,
            "lt": 95,
            "color": "#8fd19e",
            "label": _("%(low)s to %(high)s of plan") % {"low": share(80), "high": share(95)},
        },
        {
            "gte": 60,
            "lt": 80,
            "color": FAIR,
            "label": _("%(low)s to %(high)s of plan") % {"low": share(60), "high": share(80)},
        },
        {"lt": 60, "color": POOR, "label": _("Under %(n)s of plan") % {"n": share(60)}},
    ]


def legend(measure: str) -> list[dict]:
    """The colour bands of a measure: `color`, `label` and the bounds ECharts reads."""
    return _gap_pieces() if measure == "gap" else _ratio_pieces()


def _label_color(measure: str, value: float) -> str:
    """White on the dark colours (ahead of plan, critical), dark on the light ones."""
    if measure == "gap":
        dark = value < -0.05 or value > 20
    else:
        dark = value >= 95 or value < 60
    return "#fff" if dark else "#212529"


def heatmap(hm: HeatMap, measure: str = "gap") -> dict:
    """Agencies (rows) × axes (columns, by number): each cell the gap (planned − actual, points)
    or actual as a share of planned, of the agency's lead actions in the axis. Empty where the
    agency leads nothing in the axis; grey where nothing is planned yet (share only)."""
    rtl = _persian()
    option = _base()
    axes = [ax for ax in hm.axes if any((ax.id, g.id) in hm.cells for g in hm.agencies)]
    option["grid"] = {"left": 8, "right": 8, "top": 28, "bottom": 8, "containLabel": True}
    option["xAxis"] = {
        "type": "category",
        "data": [_digits(ax.number) for ax in axes],
        "inverse": rtl,
        "position": "top",
        "name": _("Axis"),
        "nameLocation": "start" if rtl else "end",
        "axisLabel": {"fontSize": 10, "hideOverlap": True},
        "splitArea": {"show": True},
        "axisTick": {"show": False},
    }
    option["yAxis"] = {
        "type": "category",
        "data": [g.name for g in hm.agencies],
        "inverse": True,
        "position": "right" if rtl else "left",
        "axisLabel": {"interval": 0, "fontSize": 11, "width": 190, "overflow": "truncate"},
        "splitArea": {"show": True},
        "axisTick": {"show": False},
    }
    # The legend is the page's (HTML wraps on a phone, ECharts' does not): the visual map only
    # colours the cells.
    option["visualMap"] = {
        "type": "piecewise",
        "show": False,
        "dimension": 2,
        "pieces": legend(measure),
        "outOfRange": {"color": NONE},
    }
    data = []
    for x, ax in enumerate(axes):
        for y, g in enumerate(hm.agencies):
            cell = hm.cells.get((ax.id, g.id))
            if cell is None:
                continue
            value = cell.gap if measure == "gap" else cell.ratio
            tip = _(
                "%(agency)s — axis %(number)s: %(axis)s<br>planned %(planned)s, actual "
                "%(actual)s, gap %(gap)s (%(n)s actions)"
            ) % {
                "agency": g.name,
                "number": _digits(ax.number),
                "axis": ax.title,
                "planned": _number(cell.planned) + _sign(),
                "actual": _number(cell.actual) + _sign(),
                "gap": _number(cell.gap),
                "n": _digits(cell.count),
            }
            if value is None:
                data.append(
                    {
                        "value": [x, y, "-"],
                        "itemStyle": {"color": NONE},
                        "label": {"show": False},
                        "tooltip": {"formatter": tip},
                    }
                )
                continue
            data.append(
                {
                    "value": [x, y, round(value, 1)],
                    "label": {
                        "formatter": _number(value, 0),
                        "color": _label_color(measure, value),
                    },
                    "tooltip": {"formatter": tip},
                }
            )
    option["series"] = [
        {
            "name": _("Gap") if measure == "gap" else _("Actual as a share of planned"),
            "type": "heatmap",
            "data": data,
            "label": {"show": True, "fontSize": 9, "color": "#212529"},
            "itemStyle": {"borderColor": "#fff", "borderWidth": 1},
            "emphasis": {"itemStyle": {"borderColor": "#212529", "borderWidth": 1}},
        }
    ]
    return option
