"""The organisation's source of the quick search: agencies, by name or code."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from .search import Hit, Source, Terms, text_q
from .selectors import visible_agencies


def find_agencies(user, t: Terms, limit: int) -> list[Hit]:
    qs = visible_agencies(user).filter(text_q(["name"], t) | Q(code__iexact=t.code))
    return [
        Hit(title=a.name, url=reverse("plans:agency", args=[a.pk]), detail=a.get_kind_display())
        for a in qs.order_by("name")[:limit]
    ]


AGENCIES = Source("agencies", lambda: _("Agencies"), find_agencies)
