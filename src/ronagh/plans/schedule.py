"""An action's schedule — start, end, weight, target and milestones (SPEC 4.1) — checked by one
validator for every way a schedule enters Ronagh: the action form and `save_action`, the API,
re-planning, and the plan workbook. Pure: no database, only the rules and their Persian
messages. The database guards the same ranges (`action_end_not_before_start`, weight > 0).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ronagh.lib.digits import parse_decimal

# The storage of DecimalField(9, 3) for weights and (18, 2) for targets, (4, 1) for percents.
WEIGHT_STEP, WEIGHT_LIMIT = Decimal("0.001"), Decimal("1000000")
TARGET_STEP, TARGET_LIMIT = Decimal("0.01"), Decimal("10000000000000000")
PERCENT_STEP = Decimal("0.1")


@dataclass
class CleanSchedule:
    """A schedule that passed the checks, in storage form; `errors` is field → message for
    whatever did not."""

    start: dt.date | None = None
    end: dt.date | None = None
    weight: Decimal | None = None
    target: Decimal | None = None
    milestones: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def clean_weight(value, errors: dict[str, str], key: str = "weight") -> Decimal | None:
    """A weight: a number greater than zero with at most three decimals."""
    number = parse_decimal(value)
    if number is None or number <= 0:
        errors[key] = _("The weight must be a number greater than zero.")
        return None
    if number >= WEIGHT_LIMIT:
        errors[key] = _("The weight is too large.")
        return None
    if number != number.quantize(WEIGHT_STEP):
        errors[key] = _("The weight takes at most three decimal places.")
        return None
    return number.quantize(WEIGHT_STEP)


def clean_target(value, errors: dict[str, str], key: str = "target") -> Decimal | None:
    """An optional target: blank, or a number with at most two decimals."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = parse_decimal(value)
    if number is None:
        errors[key] = _("The target must be a number.")
        return None
    if abs(number) >= TARGET_LIMIT:
        errors[key] = _("The target is too large.")
        return None
    if number != number.quantize(TARGET_STEP):
        errors[key] = _("The target takes at most two decimal places.")
        return None
    return number.quantize(TARGET_STEP)


NOT_A_NUMBER, OUT_OF_RANGE, TOO_PRECISE = "number", "range", "decimals"


def clean_percent(value) -> tuple[Decimal | None, str]:
    """A cumulative percent (a report or a milestone): 0–100 with at most one decimal. Returns
    the value and "", or None and what is wrong (NOT_A_NUMBER, OUT_OF_RANGE, TOO_PRECISE)."""
    number = parse_decimal(value)
    if number is None:
        return None, NOT_A_NUMBER
    if not 0 <= number <= 100:
        return None, OUT_OF_RANGE
    if number != number.quantize(PERCENT_STEP):
        return None, TOO_PRECISE
    return number.quantize(PERCENT_STEP), ""


def clean_schedule(
    *,
    start: dt.date | None,
    end: dt.date | None,
    weight=1,
    target=None,
    milestones=(),
    year: tuple[dt.date, dt.date] | None = None,
    dates_required: bool = False,
    format_date=None,
) -> CleanSchedule:
    """Check a whole schedule. `year` (first and last day) confines the dates to the plan year;
    `dates_required` makes start and end compulsory (re-planning; a draft may lack dates, which
    the quality check then reports). `milestones` are (date, percent) pairs: percents 0–100 with
    one decimal, dates inside the action's span, no date twice. `format_date` writes a date in a
    message (Jalali)."""
    out = CleanSchedule(start=start, end=end)
    errors = out.errors
    show = format_date or (lambda d: d.isoformat())
    if dates_required:
        if start is None:
            errors["start"] = _("Enter the start date.")
        if end is None:
            errors["end"] = _("Enter the end date.")
    if start is not None and end is not None and end < start:
        errors["end"] = _("The end date %(end)s is before the start date %(start)s.") % {
            "end": show(end),
            "start": show(start),
        }
    if year is not None:
        first, last = year
        for key, day in (("start", start), ("end", end)):
            if day is not None and key not in errors and not first <= day <= last:
                errors[key] = _(
                    "The date must fall within the plan year (%(first)s to %(last)s)."
                ) % {"first": show(first), "last": show(last)}
    out.weight = clean_weight(weight, errors)
    out.target = clean_target(target, errors)
    seen: set[dt.date] = set()
    for m_date, raw in milestones or ():
        pct, _problem = clean_percent(raw)
        if pct is None:
            errors["milestones"] = _(
                "A milestone percent must be a number between 0 and 100 with at most one decimal."
            )
            continue
        if m_date is None:
            errors["milestones"] = _("Every milestone needs a date.")
            continue
        if start is not None and end is not None and not start <= m_date <= end:
            errors["milestones"] = _("A milestone must fall between the start and end dates.")
        if m_date in seen:
            errors["milestones"] = _("Two milestones have the same date.")
        seen.add(m_date)
        out.milestones.append((m_date, pct))
    out.milestones.sort()
    percents = [p for _d, p in out.milestones]
    if any(b < a for a, b in zip(percents, percents[1:], strict=False)):
        errors["milestones"] = _("Milestone percents must rise with their dates.")
    return out
