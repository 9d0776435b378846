"""ECharts is loaded only by the pages that draw charts (base.html's `charts` block): every page
with a `data-chart` element must ask for it, or its charts stay blank."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "ronagh" / "templates"


def test_every_page_that_draws_a_chart_loads_echarts():
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "data-chart=" in text and '{% extends "base.html" %}' in text:
            if "partials/_echarts.html" not in text:
                missing.append(str(path.relative_to(TEMPLATES)))
    assert missing == []
