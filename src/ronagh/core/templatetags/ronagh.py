"""Template filters for Persian screens: Jalali dates, Persian digits, percentages."""

import datetime as dt

from django import template

from ronagh.core.i18n import is_persian as _persian
from ronagh.lib import jalali
from ronagh.lib.digits import to_persian

register = template.Library()


def localize_digits(text) -> str:
    return to_persian(text) if _persian() else str(text)


@register.filter
def digits(value):
    """Latin digits to Persian ones in the Persian locale."""
    if value is None:
        return ""
    return localize_digits(value)


@register.filter
def jdate(value):
    """A date as Jalali YYYY/MM/DD, in Persian digits in the Persian locale."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return jalali.format_date(value, persian_digits=_persian())


@register.filter
def jdatetime(value):
    """A moment as Jalali date and local time."""
    if not value:
        return ""
    from django.utils import timezone

    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return localize_digits(f"{jalali.format_date(local)} {local:%H:%M}")


@register.filter
def jlong(value):
    """'۴ آذر ۱۴۰۵'."""
    if not value:
        return ""
    return jalali.format_long(value, persian_digits=_persian())


@register.filter
def pct(value, places=1):
    """A percentage rounded to one decimal (or `places`), with local digits; '—' for None."""
    if value is None or value == "":
        return "—"
    text = f"{float(value):.{int(places)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return localize_digits(text)


@register.filter
def num(value):
    """A whole number with thousands separators and local digits."""
    if value is None or value == "":
        return "—"
    text = f"{int(round(float(value))):,}"
    return localize_digits(text.replace(",", "٬") if _persian() else text)


@register.simple_tag
def jalali_input(value):
    """The value of a Jalali date input (Latin digits keep the picker happy)."""
    return jalali.format_date(value) if value else ""
