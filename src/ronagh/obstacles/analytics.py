"""The "depth and dimensions" of obstacles (SPEC 5), as pure functions over plain records: counts,
jobs affected and money involved by a dimension (category, agency, park, sector, county), the
ageing of open obstacles, the median time to resolve, and bounces.

No Django import: selectors.analytics_records() feeds it; tests compute the same by hand.

Definitions (as of a date d):
- open: registered, assigned or in progress;
- overdue: assigned or in progress with a due date before d;
- age of an open obstacle: d − the day it was registered, in days; buckets 0–7, 8–30, 31–90, > 90;
- days to resolve: the day it was (last) resolved − the day it was registered, over the
  obstacles now resolved; the median of those (the mean of the two middle ones for an even count).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .statuses import OPEN, RESOLVED, RUNNING

DIMENSIONS = ("category", "agency", "park", "sector", "county")

# (label, lowest age, highest age or None), in days.
AGEING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-7", 0, 7),
    ("8-30", 8, 30),
    ("31-90", 31, 90),
    ("90+", 91, None),
)


@dataclass(frozen=True)
class Record:
    category: str
    status: str
    severity: int
    jobs: int
    amount: int
    registered_on: dt.date
    resolved_on: dt.date | None = None
    due_date: dt.date | None = None
    bounces: int = 0
    agency: str = ""
    park: str = ""
    sector: str = ""
    county: str = ""


@dataclass
class Group:
    """The figures of one value of a dimension (or of all records)."""

    key: str
    count: int = 0
    open: int = 0
    overdue: int = 0
    resolved: int = 0
    jobs: int = 0
    amount: int = 0
    bounces: int = 0
    days_to_resolve: list[int] = field(default_factory=list, repr=False)

    @property
    def median_days_to_resolve(self) -> float | None:
        return median(self.days_to_resolve)


def is_open(r: Record) -> bool:
    return r.status in OPEN


def is_overdue(r: Record, as_of: dt.date) -> bool:
    return r.status in RUNNING and r.due_date is not None and r.due_date < as_of


def days_to_resolve(r: Record) -> int | None:
    if r.status != RESOLVED or r.resolved_on is None:
        return None
    return (r.resolved_on - r.registered_on).days


def median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _add(group: Group, r: Record, as_of: dt.date) -> None:
    group.count += 1
    group.open += is_open(r)
    group.overdue += is_overdue(r, as_of)
    group.resolved += r.status == RESOLVED
    group.jobs += r.jobs
    group.amount += r.amount
    group.bounces += r.bounces
    days = days_to_resolve(r)
    if days is not None:
        group.days_to_resolve.append(days)


def totals(records: Iterable[Record], as_of: dt.date) -> Group:
    """The figures of all the records together."""
    group = Group(key="")
    for r in records:
        _add(group, r, as_of)
    return group


def by_dimension(records: Iterable[Record], dimension: str, as_of: dt.date) -> list[Group]:
    """One Group per value of the dimension (the blank value too: "not stated"), the largest
    count first, then by key."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    groups: dict[str, Group] = {}
    for r in records:
        key = getattr(r, dimension)
        _add(groups.setdefault(key, Group(key=key)), r, as_of)
    return sorted(groups.values(), key=lambda g: (-g.count, g.key == "", g.key))


def age(r: Record, as_of: dt.date) -> int:
    return (as_of - r.registered_on).days


def ageing(records: Iterable[Record], as_of: dt.date) -> dict[str, int]:
    """How many open obstacles fall in each age bucket (0-7, 8-30, 31-90, 90+ days). An
    obstacle registered after `as_of` is left out."""
    counts = {label: 0 for label, _lo, _hi in AGEING_BUCKETS}
    for r in records:
        if not is_open(r):
            continue
        days = age(r, as_of)
        if days < 0:
            continue
        for label, lo, hi in AGEING_BUCKETS:
            if days >= lo and (hi is None or days <= hi):
                counts[label] += 1
                break
    return counts


def median_days_to_resolve(records: Iterable[Record]) -> float | None:
    """The median of days from registration to resolution of the resolved records; None if none
    is resolved."""
    return median([d for r in records if (d := days_to_resolve(r)) is not None])


def resolved_on_time(records: Iterable[Record]) -> tuple[int, int]:
    """(resolved on or before their due date, resolved) among the records."""
    resolved = [r for r in records if r.status == RESOLVED and r.resolved_on is not None]
    on_time = sum(1 for r in resolved if r.due_date is not None and r.resolved_on <= r.due_date)
    return on_time, len(resolved)


def monthly(
    records: Iterable[Record], month_of: Callable[[dt.date], str]
) -> list[tuple[str, int, int]]:
    """(month, registered in it, resolved in it) for every month that has either, in order of the
    month keys `month_of` gives (e.g. Jalali '1405/03')."""
    reg: dict[str, int] = {}
    res: dict[str, int] = {}
    for r in records:
        m = month_of(r.registered_on)
        reg[m] = reg.get(m, 0) + 1
        if r.status == RESOLVED and r.resolved_on is not None:
            m = month_of(r.resolved_on)
            res[m] = res.get(m, 0) + 1
    return [(m, reg.get(m, 0), res.get(m, 0)) for m in sorted(set(reg) | set(res))]
