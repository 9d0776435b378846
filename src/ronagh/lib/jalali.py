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
