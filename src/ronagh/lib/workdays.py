"""Working days: Friday is the weekend, Thursday optionally too, and official holidays."""

import datetime as dt
from collections.abc import Iterable

FRIDAY = 4  # date.weekday(): Monday 0 … Sunday 6
THURSDAY = 3


class Calendar:
    """A working calendar. Pure: holidays are handed in, not looked up."""

    def __init__(self, holidays: Iterable[dt.date] = (), thursday_weekend: bool = False):
        self.holidays = frozenset(holidays)
        self.weekend = {FRIDAY, THURSDAY} if thursday_weekend else {FRIDAY}

    def is_working(self, day: dt.date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (day itself not counted)."""
        current = day
        while n > 0:
            current += dt.timedelta(days=1)
            if self.is_working(current):
                n -= 1
        return current

    def working_days_between(self, after: dt.date, upto: dt.date) -> int:
        """Working days d with after < d ≤ upto."""
        count = 0
        current = after + dt.timedelta(days=1)
        while current <= upto:
            if self.is_working(current):
                count += 1
            current += dt.timedelta(days=1)
        return count

    def working_days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Working days d with first ≤ d ≤ last."""
        out, current = [], first
        while current <= last:
            if self.is_working(current):
                out.append(current)
            current += dt.timedelta(days=1)
        return out
