"""Charts for the PDF documents: inline SVG drawn here in Python, since ECharts needs a browser.

WeasyPrint draws SVG ``<text>`` one glyph at a time, without shaping or bidi, so a Persian word in
an SVG would print as disjoined letters in reverse order. Each chart is therefore a box of fixed
size in CSS pixels holding the SVG with the lines, bars and grid, and absolutely placed HTML
labels over it, which WeasyPrint shapes like any paragraph. The result is an HTML fragment
(marked safe; every label is escaped here) to drop into a PDF template.

Right to left: in the Persian locale the time axis runs from right to left (the year starts on
the right, where a Persian reader starts, as on the dashboards), the value axis stands on the
right, and bars grow from the right. Geometry is computed in reading order ("logical" x, 0 at the
start side) and mirrored at the end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ronagh.core.i18n import is_persian as _persian
from ronagh.core.i18n import local_digits as _digits
from ronagh.lib import jalali
from ronagh.plans.charts import ACTUAL_COLOR, PLANNED_COLOR

WIDTH = 680  # px: the text width of an A4 page with 14 mm margins (182 mm at 96 px/in)
GRID_COLOR = "#dee2e6"
AXIS_COLOR = "#6c757d"
TEXT_COLOR = "#343a40"
GRADE_COLORS = {"A": "#198754", "B": "#20c997", "C": "#e0a800", "D": "#dc3545"}


def _percent(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return _digits(text) + ("٪" if _persian() else "%")


def _f(value: float) -> str:
    """A coordinate, short."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass
class Canvas:
    """An SVG with HTML labels laid over it, drawn in logical (reading-order) coordinates."""

    width: float
    height: float
    title: str
    rtl: bool = field(default_factory=_persian)
    shapes: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    def x(self, logical: float) -> float:
        """Logical x (0 at the reading start) to the SVG's physical x."""
        return self.width - logical if self.rtl else logical

    def line(self, x1, y1, x2, y2, *, color=GRID_COLOR, width=1.0, dash: str = "") -> None:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        self.shapes.append(
            f'<line x1="{_f(self.x(x1))}" y1="{_f(y1)}" x2="{_f(self.x(x2))}" y2="{_f(y2)}" '
            f'stroke="{color}" stroke-width="{_f(width)}"{dash_attr}/>'
        )

    def rect(self, x, y, w, h, *, color: str, opacity: float = 1.0) -> None:
        """A rectangle from logical x to x + w."""
        left = min(self.x(x), self.x(x + w))
        self.shapes.append(
            f'<rect x="{_f(left)}" y="{_f(y)}" width="{_f(abs(w))}" height="{_f(h)}" '
            f'fill="{color}" fill-opacity="{_f(opacity)}"/>'
        )

    def polyline(self, points, *, color: str, width=1.5, dash: str = "") -> None:
        if len(points) < 2:
            return
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        coords = " ".join(f"{_f(self.x(x))},{_f(y)}" for x, y in points)
        self.shapes.append(
            f'<polyline points="{coords}" fill="none" stroke="{color}" '
            f'stroke-width="{_f(width)}" stroke-linejoin="round"{dash_attr}/>'
        )

    def polygon(self, points, *, color: str, opacity: float) -> None:
        if len(points) < 3:
            return
        coords = " ".join(f"{_f(self.x(x))},{_f(y)}" for x, y in points)
        self.shapes.append(
            f'<polygon points="{coords}" fill="{color}" fill-opacity="{_f(opacity)}" '
            'stroke="none"/>'
        )

    def circle(self, x, y, r, *, color: str) -> None:
        self.shapes.append(
            f'<circle cx="{_f(self.x(x))}" cy="{_f(y)}" r="{_f(r)}" fill="{color}" '
            'stroke="#fff" stroke-width="1"/>'
        )

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        align: str = "middle",
        box: float = 80,
        size: float = 9.5,
        color: str = TEXT_COLOR,
        bold: bool = False,
    ) -> None:
        """A label centred vertically on y. `align` is logical: 'start' puts the text's reading
        start at x, 'end' its reading end, 'middle' its centre; `box` is the label's width."""
        px = self.x(x)
        if align == "middle":
            left = px - box / 2
            text_align = "center"
        elif (align == "start") != self.rtl:  # starts at x and runs to the right
            left = px
            text_align = "left"
        else:  # ends at x, on its right
            left = px - box
            text_align = "right"
        height = size * 1.5
        weight = "700" if bold else "400"
        self.labels.append(
            f'<span style="left:{_f(left)}px;top:{_f(y - height / 2)}px;width:{_f(box)}px;'
            f"height:{_f(height)}px;line-height:{_f(height)}px;font-size:{_f(size)}px;"
            f'text-align:{text_align};color:{color};font-weight:{weight}">{escape(text)}</span>'
        )

    def html(self) -> SafeString:
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(self.width)}" '
            f'height="{_f(self.height)}" viewBox="0 0 {_f(self.width)} {_f(self.height)}">'
            + "".join(self.shapes)
            + "</svg>"
        )
        return mark_safe(
            f'<div class="svgchart" role="img" aria-label="{escape(self.title)}" '
            f'style="width:{_f(self.width)}px;height:{_f(self.height)}px">'
            + svg
            + "".join(self.labels)
            + "</div>"
        )


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every Jalali month that begins within [first, last]."""
    j = jalali.to_jalali(first)
    year, month = j.year, j.month
    out = []
    while True:
        start = jalali.parse(f"{year}/{month}/1")
        if start > last:
            return out
        if start >= first:
            out.append(start)
        month += 1
        if month > 12:
            year, month = year + 1, 1


def s_curve(
    points: Sequence[tuple[dt.date, float, float]],
    as_of: dt.date,
    *,
    width: float = WIDTH,
    height: float = 230,
) -> SafeString:
    """Planned (dashed) against actual (solid, shaded) progress over the year, from
    `rollup.curve`; the actual line stops at the as-of date, marked by a dotted line. Jalali
    month names along the time axis, percentages on the value axis."""
    canvas = Canvas(width, height, _("Planned and actual progress over the year"))
    if len(points) < 2:
        return canvas.html()
    top, bottom = 30.0, height - 22.0
    left, right = 40.0, width - 10.0  # logical: the value axis labels sit before `left`
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def px(d: dt.date) -> float:
        return left + (right - left) * (d - first).days / span

    def py(value: float) -> float:
        return bottom - (bottom - top) * max(0.0, min(100.0, value)) / 100

    for value in (0, 25, 50, 75, 100):
        y = py(value)
        canvas.line(left, y, right, y, color=AXIS_COLOR if value == 0 else GRID_COLOR)
        canvas.text(left - 4, y, _percent(value), align="end", box=36, size=9, color=AXIS_COLOR)

    starts = _month_starts(first, last)
    bounds = [first, *[s for s in starts if s > first], last]
    for s in starts:
        canvas.line(px(s), top, px(s), bottom + 4, color=GRID_COLOR)
    for a, b in zip(bounds, bounds[1:], strict=False):
        if (b - a).days < 10:
            continue  # a sliver of a month at an edge: no room for its name
        mid = (px(a) + px(b)) / 2
        canvas.text(mid, bottom + 11, jalali.month_label(a), box=px(b) - px(a), size=9)

    planned = [(px(d), py(p)) for d, p, _a in points]
    known = [(d, a) for d, _p, a in points if d <= as_of]
    actual = [(px(d), py(a)) for d, a in known]
    if actual:
        canvas.polygon(
            [(actual[0][0], bottom), *actual, (actual[-1][0], bottom)],
            color=ACTUAL_COLOR,
            opacity=0.13,
        )
    canvas.polyline(planned, color=PLANNED_COLOR, width=1.8, dash="6 4")
    canvas.polyline(actual, color=ACTUAL_COLOR, width=2.6)

    if first <= as_of <= last:
        x = px(as_of)
        canvas.line(x, top - 4, x, bottom, color=AXIS_COLOR, dash="2 3")
        if known:
            canvas.circle(actual[-1][0], actual[-1][1], 3, color=ACTUAL_COLOR)
        # The label sits on the side of the line the year has not reached yet, unless the
        # as-of date is so near the end that it would leave the chart.
        label = _("As of %(date)s") % {"date": _digits(_short_date(as_of))}
        if right - x > 100:
            canvas.text(x + 3, top - 9, label, align="start", box=110, size=9, color=AXIS_COLOR)
        else:
            canvas.text(x - 3, top - 9, label, align="end", box=110, size=9, color=AXIS_COLOR)

    # Legend, at the reading start of the top line.
    lx = 0.0
    for text, color, dash in (
        (_("Planned progress"), PLANNED_COLOR, "6 4"),
        (_("Actual progress"), ACTUAL_COLOR, ""),
    ):
        canvas.line(lx, 8, lx + 22, 8, color=color, width=2.4, dash=dash)
        canvas.text(lx + 26, 8, text, align="start", box=110, size=10)
        lx += 26 + 110 + 14
    return canvas.html()


def _short_date(d: dt.date) -> str:
    j = jalali.to_jalali(d)
    if _persian():
        return f"{j.day} {jalali.MONTHS_FA[j.month - 1]}"
    return jalali.format_date(d)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # 0..100; None draws no bar and shows a dash
    color: str = PLANNED_COLOR
    value_text: str = ""  # default: the value as a percentage-like number


def bars(
    rows: Sequence[Bar],
    *,
    title: str,
    ticks: Sequence[float] = (0, 25, 50, 75, 100),
    marks: Sequence[float] = (),
    bands: Sequence[tuple[float, float, str]] = (),
    width: float = WIDTH,
    row_height: float = 15,
    label_width: float = 220,
) -> SafeString:
    """A horizontal bar per row on a 0–100 scale: the label at the reading start, the bar
    growing in reading direction, its value after it. `ticks` are numbered grid lines, `marks`
    dashed reference lines and `bands` captions centred between two values (e.g. the grades
    between their boundaries)."""
    head = 18.0
    height = head + row_height * max(len(rows), 1) + 6
    canvas = Canvas(width, height, title)
    left = label_width + 8
    right = width - 44  # room for the value after a full bar

    def px(value: float) -> float:
        return left + (right - left) * max(0.0, min(100.0, value)) / 100

    bottom = height - 4
    for value in ticks:
        canvas.text(
            px(value), head / 2 - 1, _digits(f"{value:g}"), box=30, size=8.5, color=AXIS_COLOR
        )
        if value:
            canvas.line(px(value), head - 2, px(value), bottom, color=GRID_COLOR)
    for value in marks:
        canvas.line(px(value), head - 2, px(value), bottom, color=AXIS_COLOR, dash="3 3")
    for low, high, caption in bands:
        canvas.text(
            (px(low) + px(high)) / 2, head / 2 - 1, caption, box=px(high) - px(low) - 30, size=9,
            bold=True,
        )  # fmt: skip
    canvas.line(left, head - 2, left, bottom, color=AXIS_COLOR)

    bar_h = row_height * 0.66
    for i, row in enumerate(rows):
        y = head + row_height * i
        mid = y + row_height / 2
        canvas.text(label_width, mid, row.label, align="end", box=label_width, size=9)
        if row.value is None:
            canvas.text(left + 4, mid, "—", align="start", box=30, size=9)
            continue
        canvas.rect(left, mid - bar_h / 2, px(row.value) - left, bar_h, color=row.color)
        text = row.value_text or _digits(f"{row.value:.1f}".rstrip("0").rstrip("."))
        canvas.text(px(row.value) + 3, mid, text, align="start", box=40, size=9, bold=True)
    return canvas.html()
