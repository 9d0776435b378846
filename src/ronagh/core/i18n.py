"""The reader's language, once for every page, chart, PDF, message and command: whether it is
Persian, and numbers, percents and dates written in its digits."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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


def local_code(code) -> str:
    """A code as the reader sees it: one made of digits and signs ('14-06') in the reader's
    digits ('۱۴-۰۶'); one with Latin letters ('T-1', 'ACT-12') as typed, since a Latin word with
    Persian digits in it reads as neither. Typing either form finds it (search, Bale)."""
    text = str(code or "")
    return text if re.search(r"[A-Za-z]", text) else local_digits(text)


def local_delta(value, places: int = 1) -> str:
    """A change with its sign: '+۱٫۲', '−۰٫۵', '۰' (the minus sign U+2212, which no reader
    takes for a hyphen)."""
    text = local_number(abs(float(value)), places)
    if round(float(value), int(places)) == 0:
        return local_number(0, places)
    return ("+" if float(value) > 0 else "\u2212") + text


def separator() -> str:
    """What stands between items on one line: the Persian comma in Persian — never a middle dot,
    which beside a Persian digit reads as a zero ('۲۲ · ۲۹' reads ۲۲۰۲۹) — a middle dot
    otherwise."""
    return "، " if is_persian() else " · "


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


def _scaled(value: float) -> str:
    """Up to one decimal, trailing zero dropped, thousands separated: 2.5, 12, 1٬250."""
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    return local_digits(text.replace(",", "٬") if is_persian() else text)


def local_rial(value, unit: bool = True) -> str:
    """A rial amount in words of scale, as officials say it: '۲٫۵ میلیارد ریال',
    '۳۲۰ میلیون ریال', '۱٬۲۵۰ میلیارد ریال'; amounts under a million in full. '—' for None.
    `unit=False` leaves out the word 'rial' (a column headed in rial)."""
    if value is None or value == "":
        return "—"
    amount = float(value)
    size = abs(amount)
    if size >= 1e9:
        text = _("%(n)s billion") % {"n": _scaled(amount / 1e9)}
    elif size >= 1e6:
        text = _("%(n)s million") % {"n": _scaled(amount / 1e6)}
    else:
        text = local_whole(amount)
    return _("%(amount)s rial") % {"amount": text} if unit else text
