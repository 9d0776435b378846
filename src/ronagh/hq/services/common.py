"""What the HQ's services share: the actor's permission, dates and numbers."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone

from ronagh.core.i18n import local_date
from ronagh.core.models import Province, User
from ronagh.core.permissions import require, secretariat_refusal
from ronagh.lib.digits import parse_decimal

from .. import permissions

MAX_AMOUNT = 9_000_000_000_000_000_000


def require_manager(actor: User, province: Province | int | None) -> None:
    """The HQ's records are the secretariat's, and a provincial secretariat's own province's."""
    province_id = getattr(province, "pk", province)
    require(permissions.may_manage(actor, province_id), secretariat_refusal(actor))


def today_or(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def jdate(day: dt.date) -> str:
    return local_date(day)


def next_number(qs, field: str = "number") -> int:
    return (qs.aggregate(m=Max(field))["m"] or 0) + 1


def stripped(value) -> str:
    return (value or "").strip()


def whole_positive(value) -> int | None:
    number = parse_decimal(value) if value not in (None, "") else None
    if number is None or number != number.to_integral_value() or number < 1:
        return None
    return int(number)
