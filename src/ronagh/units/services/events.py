"""Investment events (SPEC 6): exhibitions and trade delegations sent and received."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ronagh.core.models import Province, User
from ronagh.core.permissions import require, secretariat_refusal
from ronagh.lib.digits import parse_decimal
from ronagh.lib.text import clean_name

from .. import permissions
from ..models import EventKind, InvestmentEvent
from .numbers import whole


@transaction.atomic
def record_event(
    *,
    actor: User | None,
    province: Province,
    kind: str,
    title: str,
    country: str,
    date: dt.date | None,
    leads=0,
    memoranda=0,
    amount=0,
    note: str = "",
    is_sample: bool = False,
) -> InvestmentEvent:
    """Record an exhibition or trade delegation with its leads, memoranda and amount (million
    US dollars). Secretariat of the province only; ValidationError per field."""
    if actor is not None:
        require(permissions.may_edit_events(actor, province.pk), secretariat_refusal(actor))
    errors: dict[str, str] = {}
    if kind not in EventKind.values:
        errors["kind"] = _("Choose exhibition, delegation sent or delegation received.")
    title, country = clean_name(title), clean_name(country)
    if not title:
        errors["title"] = _("Give the event a title.")
    if not country:
        errors["country"] = _("Name the country.")
    if date is None:
        errors["date"] = _("Give the date of the event.")
    counts = {
        key: whole(raw, key, errors) for key, raw in (("leads", leads), ("memoranda", memoranda))
    }
    money = parse_decimal(amount if amount not in (None, "") else 0)
    if money is None or money < 0 or money >= 10**12:
        errors["amount"] = _("Enter an amount in million US dollars (0 or more).")
    if errors:
        raise ValidationError(errors)
    return InvestmentEvent.objects.create(
        province=province,
        kind=kind,
        title=title[:300],
        country=country[:100],
        date=date,
        amount=money,
        note=(note or "").strip(),
        is_sample=is_sample,
        **counts,
    )
