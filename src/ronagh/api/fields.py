"""Serializer fields and query parameters shared by the API modules: dates that go out with a
Jalali companion, percentages rounded to 2 decimals, and input that accepts what people type
(ISO or Jalali dates, numbers in any digits)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from ronagh.lib.digits import parse_decimal, to_latin
from ronagh.lib.jalali import (
    FIRST_YEAR,
    LAST_YEAR,
    JalaliDateError,
    format_date,
    parse_any,
    year_bounds,
)


def rounded(value: float | None, places: int = 2) -> float | None:
    """A figure as the API gives it: a number rounded to 2 decimals (never -0.0)."""
    if value is None:
        return None
    return round(float(value), places) + 0.0


def bad_date_message() -> str:
    return _("Enter a date as YYYY-MM-DD (Gregorian) or 1405/09/01 (Jalali).")


def parse_date(value) -> dt.date:
    """An ISO Gregorian date ('2026-11-22') or, leniently, a Jalali one ('1405/09/01', any
    digits). Raises JalaliDateError."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_any(str(value))


@extend_schema_field(OpenApiTypes.STR)
class JalaliField(serializers.Field):
    """The `…_jalali` companion of a date: '1405/09/01' (a datetime is shown in Tehran time with
    its hour and minute)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return f"{format_date(local)} {local:%H:%M}"
        return format_date(value)


class PercentField(serializers.FloatField):
    """A percentage (or any figure) in a response: a number rounded to 2 decimals."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return rounded(value)


class DateInputField(serializers.DateField):
    """A date in a request: ISO 8601 Gregorian, and also a Jalali '1405/09/01' for people who
    type one; the response gives ISO."""

    def to_internal_value(self, value):
        try:
            return parse_date(value)
        except (JalaliDateError, ValueError, TypeError):
            raise ValidationError(bad_date_message()) from None


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberInputField(serializers.Field):
    """A number in a request, as a JSON number or as text in Persian, Arabic-Indic or Latin
    digits ('۴۲٫۵'). Ranges are the service's business."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            raise ValidationError(_("Enter a number."))
        number = parse_decimal(data)
        if number is None:
            raise ValidationError(_("Enter a number."))
        return number

    def to_representation(self, value):
        return rounded(value)


# --- query parameters ----------------------------------------------------------------------------

AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description="The date of the figures (ISO 8601; a Jalali 1405/09/01 is accepted too). "
    "Defaults to today.",
)


# The Jalali years Ronagh knows: an as-of date outside them is brought inside, so that no
# request costs more because its date is absurd (SPEC 7).
EARLIEST, LATEST = year_bounds(FIRST_YEAR)[0], year_bounds(LAST_YEAR)[1]


def as_of_param(request, plan=None) -> dt.date:
    """The `as_of` query parameter, today when absent; 400 when it is not a date. With a plan the
    date is clamped to the plan's year (the answer's `as_of` says which date was used); without
    one, to the years Ronagh knows."""
    raw = request.query_params.get("as_of", "").strip()[:40]
    if not raw:
        day = timezone.localdate()
    else:
        try:
            day = parse_date(raw)
        except (JalaliDateError, ValueError, OverflowError):
            raise ValidationError({"as_of": [bad_date_message()]}) from None
    if plan is not None:
        first, last = year_bounds(plan.year)
        return min(max(day, first), last)
    return min(max(day, EARLIEST), LATEST)


MAX_ID = 2**63 - 1  # the largest id a database column holds


def id_param(request, name: str) -> int | None:
    """An optional integer query parameter (`?plan=3`); 400 when it is not a whole number a
    database can hold."""
    raw = to_latin(request.query_params.get(name, "")).strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19 or int(raw) > MAX_ID:
        raise ValidationError({name: [_("Enter a whole number.")]})
    return int(raw)


def date_param(request, name: str) -> dt.date | None:
    """An optional date query parameter; 400 when it is not a date."""
    raw = request.query_params.get(name, "").strip()[:40]
    if not raw:
        return None
    try:
        day = parse_date(raw)
    except (JalaliDateError, ValueError, OverflowError):
        raise ValidationError({name: [bad_date_message()]}) from None
    return min(max(day, EARLIEST), LATEST)
