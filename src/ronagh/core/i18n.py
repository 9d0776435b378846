"""The reader's language, once for every page, chart, PDF, message and command: whether it is
Persian, and numbers, percents and dates written in its digits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language

from ronagh.lib import jalali
from ronagh.lib.digits import to_persian


def is_persian() -> bool:
    """Whether the active language is Persian (the default when none is active)."""
    return (get_language() or "fa").startswith("fa")


def local_digits(value) -> str:
    """Text with Persian digits in the Persian locale, as it is otherwise."""
    return to_persian(value) if is_persian() else str(value)


def pct_sign() -> str:
    return "٪" if is_persian() else "%"


def local_number(value, places: int = 1) -> str:
    """A number rounded to `places` decimals, trailing zeros dropped ('42.5', '۴۲٫۵', '100')."""
    if isinstance(value, Decimal):
        text = f"{value:f}"
    else:
        text = f"{float(value):.{int(places)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return local_digits(text or "0")


def local_whole(value) -> str:
    """A whole number with thousands separators ('12٬500' in Persian)."""
    text = f"{int(round(float(value))):,}"
    return local_digits(text.replace(",", "٬") if is_persian() else text)


def local_date(value: dt.date | dt.datetime | None) -> str:
    """A date — or a moment, in local time — as Jalali YYYY/MM/DD in the reader's digits."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return jalali.format_date(value, persian_digits=is_persian())


def local_datetime(value: dt.datetime | None) -> str:
    """A moment as Jalali date and local time ('۱۴۰۵/۰۹/۰۴ ۱۰:۳۰')."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return local_digits(f"{jalali.format_date(local.date())} {local:%H:%M}")


def local_long_date(value: dt.date | None) -> str:
    """'۴ آذر ۱۴۰۵' in Persian; '4 Azar 1405' otherwise."""
    return jalali.format_long(value, persian_digits=is_persian())
