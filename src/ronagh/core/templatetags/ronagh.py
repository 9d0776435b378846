"""Template filters for Persian screens: Jalali dates, Persian digits, percentages. Each is a
thin wrapper of `core.i18n`, where the formatting rules live."""

from django import template

from ronagh.core import i18n
from ronagh.lib import jalali

register = template.Library()

# Kept importable under the name the views have used for it.
localize_digits = i18n.local_digits


@register.filter
def digits(value):
    """Latin digits to Persian ones in the Persian locale."""
    if value is None:
        return ""
    return i18n.local_digits(value)


@register.filter
def jdate(value):
    """A date as Jalali YYYY/MM/DD, in Persian digits in the Persian locale."""
    if not value:
        return ""
    return i18n.local_date(value)


@register.filter
def jdatetime(value):
    """A moment as Jalali date and local time."""
    if not value:
        return ""
    return i18n.local_datetime(value)


@register.filter
def jlong(value):
    """'۴ آذر ۱۴۰۵'."""
    if not value:
        return ""
    return i18n.local_long_date(value)


@register.filter
def pct(value, places=1):
    """A percentage rounded to one decimal (or `places`), with local digits; '—' for None."""
    if value is None or value == "":
        return "—"
    return i18n.local_number(float(value), int(places))


@register.filter
def num(value):
    """A whole number with thousands separators and local digits."""
    if value is None or value == "":
        return "—"
    return i18n.local_whole(value)


@register.simple_tag
def jalali_input(value):
    """The value of a Jalali date input, in the reader's digits (app.js gives the picker Latin
    ones while it is open)."""
    return i18n.local_date(value) if value else ""


@register.filter
def rial(value):
    """A rial amount in words of scale ('۲٫۵ میلیارد ریال'); core.i18n.local_rial."""
    return i18n.local_rial(value)


@register.filter
def delta(value, places=1):
    """A change with its sign ('+۱٫۲', '−۰٫۵'); '—' for None."""
    if value is None or value == "":
        return "—"
    return i18n.local_delta(value, int(places))


@register.simple_tag
def sep():
    """The separator between items on one line (core.i18n.separator)."""
    return i18n.separator()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template; None when absent."""
    return mapping.get(key) if mapping else None


@register.filter
def code(value):
    """An action's (or clause's) code in the reader's digits unless it has Latin letters."""
    return i18n.local_code(value)


@register.filter
def jmonth(value):
    """A month (any day of it) as Jalali YYYY/MM, in the reader's digits."""
    if not value:
        return ""
    return i18n.local_digits(jalali.format_month(value))
