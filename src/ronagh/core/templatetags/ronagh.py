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
    """The value of a Jalali date input (Latin digits keep the picker happy)."""
    return jalali.format_date(value) if value else ""


@register.filter
def jmonth(value):
    """A month (any day of it) as Jalali YYYY/MM, in the reader's digits."""
    if not value:
        return ""
    return i18n.local_digits(jalali.format_month(value))
