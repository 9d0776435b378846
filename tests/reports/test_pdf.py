"""The PDF frame any module renders through (`render_pdf`) and the SVG charts drawn for it."""

import io
import re

import pypdf
import pytest
from django.test import override_settings
from django.utils import translation
from django.utils.html import escape

from ronagh.core.pdf import _fetcher, render_pdf
from ronagh.reports import svg

from .conftest import AS_OF, has, pdf_text

pytestmark = pytest.mark.django_db

MINUTES = """{% extends "reports/pdf_base.html" %}{% block content %}
<h1>صورت‌جلسه ستاد تسهیل</h1><table class="grid"><tr><td>مصوبه یک</td></tr></table>
{% for i in rows %}<p>بند {{ i }}</p>{% endfor %}{% endblock %}"""


@pytest.fixture
def minutes_template(tmp_path, settings):
    (tmp_path / "minutes.html").write_text(MINUTES, encoding="utf-8")
    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    with override_settings(TEMPLATES=templates):
        yield "minutes.html"


def fonts(data: bytes) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_another_module_renders_its_own_template_in_the_frame(minutes_template, world):
    with translation.override("fa"):
        data = render_pdf(
            minutes_template,
            {"doc_title": "صورت‌جلسه", "province": world.plan.province, "as_of": AS_OF,
             "rows": range(120)},
        )  # fmt: skip
    text = pdf_text(data)
    pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    assert pages > 1
    assert has(text, "صورت‌جلسه ستاد تسهیل") and has(text, "قم")
    assert has(text, "۱۴۰۵/۰۴/۲۴")  # the header's as-of date, on every page
    assert text.count("۱۴۰۵/۰۴/۲۴") + text.count("۴۲/۴۰/۵۰۴۱") >= pages
    last = f"{pages}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert has(text, last)  # page numbers in Persian digits
    assert any("Vazirmatn" in name for name in fonts(data))


def test_an_english_reader_gets_latin_page_numbers(minutes_template, world):
    with translation.override("en"):
        data = render_pdf(minutes_template, {"doc_title": "Minutes", "rows": range(3)})
    assert re.search(r"Page\s*1\s*of\s*1", pdf_text(data))


def test_nothing_is_fetched_from_the_network():
    with pytest.raises(ValueError):
        _fetcher()("http://example.invalid/logo.png")


def curve_points(chart: str, color: str) -> list[tuple[float, float]]:
    match = re.search(rf'<polyline points="([^"]+)" fill="none" stroke="{color}"', chart)
    return [tuple(map(float, p.split(","))) for p in match.group(1).split()]


def test_the_s_curve_runs_right_to_left_with_jalali_months_in_persian():
    import datetime as dt

    first = dt.date(2026, 3, 21)
    points = [(first + dt.timedelta(days=7 * i), 2.0 * i, 1.5 * i) for i in range(50)]
    with translation.override("fa"):
        chart = str(svg.s_curve(points, points[20][0]))
    planned = curve_points(chart, svg.PLANNED_COLOR)
    actual = curve_points(chart, svg.ACTUAL_COLOR)
    assert planned[0][0] > planned[-1][0]  # the year starts on the right
    assert len(actual) == 21  # the actual line stops at the as-of date
    assert "فروردین" in chart and "بهمن" in chart
    assert "۵۰٪" in chart  # value axis in Persian digits
    with translation.override("en"):
        chart = str(svg.s_curve(points, points[20][0]))
    planned = curve_points(chart, svg.PLANNED_COLOR)
    assert planned[0][0] < planned[-1][0]


def test_bars_are_as_long_as_their_value_and_labels_are_escaped():
    rows = [svg.Bar("<b>دستگاه</b>", 100.0), svg.Bar("دستگاه دوم", 50.0), svg.Bar("سوم", None)]
    chart = str(svg.bars(rows, title="امتیاز"))
    widths = [float(w) for w in re.findall(r'<rect x="[^"]+" y="[^"]+" width="([^"]+)"', chart)]
    assert len(widths) == 2 and widths[1] == pytest.approx(widths[0] / 2, abs=0.2)
    assert escape("<b>دستگاه</b>") in chart and "<b>" not in chart
