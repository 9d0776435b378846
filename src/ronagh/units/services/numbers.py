"""The one check of a whole number the units services accept (counts of jobs, leads, years,
employees): any digits, blank as 0, a Persian message naming the range."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ronagh.core.i18n import local_whole
from ronagh.lib.digits import parse_decimal


def whole(value, key: str, errors: dict, *, maximum: int = 10_000_000) -> int:
    """`value` as a whole number from 0 to `maximum` (blank: 0); a message in `errors[key]`
    and 0 otherwise."""
    number = parse_decimal(value if value not in (None, "") else 0)
    if number is None or number != number.to_integral_value() or not 0 <= number <= maximum:
        errors[key] = _("A whole number from 0 to %(max)s.") % {"max": local_whole(maximum)}
        return 0
    return int(number)
