"""Jalali (Solar Hijri) dates at the edges: parse what people type, format what they read.
The database keeps Gregorian dates; conversion is jdatetime's, never hand-written."""

import datetime as dt
import re

import jdatetime

from .digits import to_latin, to_persian

_DATE_RE = re.compile(r"^\s*(\d{2,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*$")

MONTHS_FA = [
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
]  # fmt: skip


# The Jalali years a plan may have (and the range an as-of date is brought into).
FIRST_YEAR, LAST_YEAR = 1300, 1499


class JalaliDateError(ValueError):
    """Text that is not a valid Jalali date."""


def parse(text: str) -> dt.date:
    """'1398/2/3', '۱۳۹۸/۰۲/۰۳', '1398-02-03' → Gregorian date. Raises JalaliDateError."""
    match = _DATE_RE.match(to_latin(str(text or "")))
    if not match:
        raise JalaliDateError(text)
    year, month, day = (int(g) for g in match.groups())
    if year < 100:
        year += 1400 if year < 50 else 1300
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError as exc:
        raise JalaliDateError(text) from exc


def parse_any(text: str) -> dt.date:
    """A Jalali date, or an ISO Gregorian one (year ≥ 1900) as the API sends."""
    latin = to_latin(str(text or "")).strip()
    match = _DATE_RE.match(latin)
    if match and int(match.group(1)) >= 1900:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError as exc:
            raise JalaliDateError(text) from exc
    return parse(latin)


def to_jalali(value: dt.date | dt.datetime) -> jdatetime.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    return jdatetime.date.fromgregorian(date=value)


def format_date(value: dt.date | dt.datetime | None, persian_digits: bool = False) -> str:
    """'1405/09/04' (or with Persian digits); '' for None."""
    if value is None:
        return ""
    text = to_jalali(value).strftime("%Y/%m/%d")
    return to_persian(text) if persian_digits else text


MONTHS_EN = [
    "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
    "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand",
]  # fmt: skip


def format_long(value: dt.date | None, persian_digits: bool = True) -> str:
    """'۴ آذر ۱۴۰۵' in Persian; '4 Azar 1405' (the Jalali date, month transliterated) otherwise."""
    if value is None:
        return ""
    j = to_jalali(value)
    if persian_digits:
        return to_persian(f"{j.day} {MONTHS_FA[j.month - 1]} {j.year}")
    return f"{j.day} {MONTHS_EN[j.month - 1]} {j.year}"


def year_bounds(jalali_year: int) -> tuple[dt.date, dt.date]:
    """First and last Gregorian day of a Jalali year."""
    first = jdatetime.date(jalali_year, 1, 1).togregorian()
    last = jdatetime.date(jalali_year + 1, 1, 1).togregorian() - dt.timedelta(days=1)
    return first, last


def current_year(today: dt.date | None = None) -> int:
    return to_jalali(today or dt.date.today()).year


def month_label(value: dt.date) -> str:
    j = to_jalali(value)
    return MONTHS_FA[j.month - 1]


# --- Jalali months (a month is stored as the Gregorian date of its first day) --------------------

_MONTH_RE = re.compile(r"^\s*(\d{4})\s*[/\-.]\s*(\d{1,2})\s*$")


def month_start(jalali_year: int, jalali_month: int) -> dt.date:
    """The Gregorian date of the first day of a Jalali month."""
    return jdatetime.date(jalali_year, jalali_month, 1).togregorian()


def month_of(value: dt.date) -> dt.date:
    """The first day of the Jalali month `value` falls in."""
    j = to_jalali(value)
    return month_start(j.year, j.month)


def parse_month(text: str) -> dt.date:
    """'1405/07', '1405-7', '۱۴۰۵/۰۷' → the month's first day. Raises JalaliDateError."""
    match = _MONTH_RE.match(to_latin(str(text or "")))
    if not match:
        raise JalaliDateError(text)
    year, month = int(match.group(1)), int(match.group(2))
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise JalaliDateError(text)
    return month_start(year, month)


def format_month(value: dt.date | None, persian_digits: bool = False) -> str:
    """'1405/07' for any day of that Jalali month; '' for None."""
    if value is None:
        return ""
    j = to_jalali(value)
    text = f"{j.year:04d}/{j.month:02d}"
    return to_persian(text) if persian_digits else text


def add_months(value: dt.date, months: int) -> dt.date:
    """The first day of the Jalali month `months` after (or before) the one `value` is in."""
    j = to_jalali(value)
    index = j.year * 12 + (j.month - 1) + months
    return month_start(index // 12, index % 12 + 1)


def months_between(first: dt.date, last: dt.date) -> int:
    """How many Jalali months from `first`'s month to `last`'s (0 for the same month)."""
    a, b = to_jalali(first), to_jalali(last)
    return (b.year - a.year) * 12 + (b.month - a.month)
