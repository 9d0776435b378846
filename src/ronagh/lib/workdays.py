"""Working days: Friday is the weekend, Thursday optionally too, and official holidays."""

import bisect
import datetime as dt
from collections.abc import Iterable

FRIDAY = 4  # date.weekday(): Monday 0 … Sunday 6
THURSDAY = 3


class Calendar:
    """A working calendar. Pure: holidays are handed in, not looked up."""

    def __init__(self, holidays: Iterable[dt.date] = (), thursday_weekend: bool = False):
        self.holidays = frozenset(holidays)
        self.weekend = frozenset({FRIDAY, THURSDAY} if thursday_weekend else {FRIDAY})
        # Holidays that fall on a working weekday, sorted: the ones that take a working day.
        self._weekday_holidays = sorted(h for h in self.holidays if h.weekday() not in self.weekend)

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

    def _weekend_days(self, after: dt.date, upto: dt.date) -> int:
        """Days d with after < d ≤ upto that fall on the weekend, counted without a loop."""
        span = (upto - after).days
        weeks, rest = divmod(span, 7)
        count = weeks * len(self.weekend)
        first = (after.weekday() + 1) % 7
        count += sum(1 for k in range(rest) if (first + k) % 7 in self.weekend)
        return count

    def working_days_between(self, after: dt.date, upto: dt.date) -> int:
        """Working days d with after < d ≤ upto (in constant time, whatever the gap)."""
        if upto <= after:
            return 0
        holidays = bisect.bisect_right(self._weekday_holidays, upto) - bisect.bisect_right(
            self._weekday_holidays, after
        )
        return (upto - after).days - self._weekend_days(after, upto) - holidays

    def at_least_working_days(self, after: dt.date, upto: dt.date, n: int) -> bool:
        """Whether there are n or more working days d with after < d ≤ upto."""
        return self.working_days_between(after, upto) >= n

    def working_days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Working days d with first ≤ d ≤ last."""
        out, current = [], first
        while current <= last:
            if self.is_working(current):
                out.append(current)
            current += dt.timedelta(days=1)
        return out
