"""Template filters of the HQ pages: an execution rate as the reader reads it, and its tone."""

from django import template
from django.utils.translation import get_language

from ronagh.core.templatetags.ronagh import pct

from ..charts import band

register = template.Library()

TONES = {
    "good": "success",
    "fair": "info",
    "weak": "warning",
    "poor": "danger",
    "none": "secondary",
}


def _percent(value):
    return getattr(value, "percent", value)


@register.filter
def rate(value, places=0):
    """A Rate (or a percent) as '۴۰٪'; '—' when no clause is due."""
    p = _percent(value)
    if p is None or p == "":
        return "—"
    sign = "٪" if (get_language() or "fa").startswith("fa") else "%"
    return f"{pct(p, places)}{sign}"


@register.filter
def tone(value):
    """The Bootstrap colour of a rate: success ≥ 80, info ≥ 60, warning ≥ 40, danger below,
    secondary when there is none."""
    return TONES[band(_percent(value))]
