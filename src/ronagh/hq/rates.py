"""The execution rate of the HQ's resolutions (SPEC 5), the figure the headquarters is judged by,
as pure functions over plain data.

No Django here: `selectors.py` turns clauses into `ClauseInput`s, and every page, the API and the
minutes compute the rate with the functions below.

Definition (as of a date *d*):

- a clause is **due** when its due date is on or before *d*;
- a due clause is **done on time** when it was marked done on or before its due date;
- **execution rate** = clauses done on time ÷ clauses due; undefined (None) when none is due.

A clause that is not yet due counts nowhere, even when it has already been done: the rate judges
the obligations whose day has come. A clause done late, marked not done, or still open past its
due date counts as due and not done on time. Per month, a clause belongs to the Jalali month of its
due date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from ronagh.lib.jalali import to_jalali

OPEN = "open"
DONE = "done"
NOT_DONE = "not_done"
STATUSES = (OPEN, DONE, NOT_DONE)


@dataclass(frozen=True)
class ClauseInput:
    """What the rate needs to know about one clause: its due date, its current status, the day it
    was done (status done) or the day it was declared not done (status not_done)."""

    due: dt.date
    status: str = OPEN
    done_on: dt.date | None = None
    not_done_on: dt.date | None = None


@dataclass(frozen=True)
class Rate:
    """The execution rate of a set of clauses on a date, with the counts behind it."""

    due: int = 0  # clauses due by the date
    on_time: int = 0  # … done on or before their due date
    late: int = 0  # … done after their due date (by the as-of date)
    not_done: int = 0  # … marked not done
    overdue: int = 0  # … still open past their due date
    not_yet_due: int = 0  # clauses whose due date is after the as-of date
    total: int = 0  # every clause of the set

    @property
    def rate(self) -> float | None:
        """Clauses done on time ÷ clauses due, in [0, 1]; None when no clause is due."""
        return self.on_time / self.due if self.due else None

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else 100.0 * self.rate


def status_on(clause: ClauseInput, d: dt.date) -> str:
    """The clause's status as it stood on `d`: done only from the day it was done."""
    if clause.status == DONE and clause.done_on is not None and clause.done_on <= d:
        return DONE
    if clause.status == NOT_DONE and (clause.not_done_on is None or clause.not_done_on <= d):
        return NOT_DONE
    return OPEN


def is_due(clause: ClauseInput, d: dt.date) -> bool:
    return clause.due <= d


def done_on_time(clause: ClauseInput, d: dt.date) -> bool:
    """Due by `d` and done on or before its due date."""
    return (
        is_due(clause, d)
        and clause.status == DONE
        and clause.done_on is not None
        and clause.done_on <= clause.due
    )


def is_overdue(clause: ClauseInput, d: dt.date) -> bool:
    """Still open (not done, not declared not done) after its due date: it climbs the escalation
    ladder."""
    return clause.due < d and status_on(clause, d) == OPEN


def execution_rate(clauses: Iterable[ClauseInput], d: dt.date) -> Rate:
    """The execution rate of a set of clauses as of `d`, with its counts."""
    due = on_time = late = not_done = overdue = not_yet_due = total = 0
    for c in clauses:
        total += 1
        if not is_due(c, d):
            not_yet_due += 1
            continue
        due += 1
        state = status_on(c, d)
        if done_on_time(c, d):
            on_time += 1
        elif state == DONE:
            late += 1
        elif state == NOT_DONE:
            not_done += 1
        elif c.due < d:
            overdue += 1
        # A clause due today and still open is due, not yet overdue.
    return Rate(due, on_time, late, not_done, overdue, not_yet_due, total)


def rates_by(items: Iterable[tuple[Hashable, ClauseInput]], d: dt.date) -> dict[Hashable, Rate]:
    """The execution rate of each group: `items` are (key, clause) pairs, e.g. (meeting id,
    clause) or (agency id, clause). Groups keep the order in which their keys first appear."""
    groups: dict[Hashable, list[ClauseInput]] = defaultdict(list)
    for key, clause in items:
        groups[key].append(clause)
    return {key: execution_rate(group, d) for key, group in groups.items()}


def month_of(day: dt.date) -> tuple[int, int]:
    """(Jalali year, Jalali month) of a day."""
    j = to_jalali(day)
    return j.year, j.month


def rates_by_month(clauses: Iterable[ClauseInput], d: dt.date) -> dict[tuple[int, int], Rate]:
    """The execution rate of the clauses due in each Jalali month up to `d`, oldest month first.
    Months with no clause due by `d` are left out."""
    due = [c for c in clauses if is_due(c, d)]
    grouped = rates_by(((month_of(c.due), c) for c in due), d)
    return dict(sorted(grouped.items()))
