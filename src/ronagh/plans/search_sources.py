"""The plans' source of the quick search: actions, by code or title (what the user may see)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ronagh.core.search import Hit, Source, Terms, text_q

from .selectors import visible_actions


def find_actions(user, t: Terms, limit: int) -> list[Hit]:
    qs = visible_actions(user).filter(
        Q(code__iexact=t.code) | Q(code__icontains=t.code) | text_q(["title", "description"], t)
    )
    qs = qs.order_by("-plan__year", "code")
    return [
        Hit(
            title=a.title,
            code=a.code,
            url=reverse("plans:action", args=[a.pk]),
            detail=a.lead_agency.name if a.lead_agency_id else "",
        )
        for a in qs[:limit]
    ]


ACTIONS = Source("actions", lambda: _("Actions"), find_actions)
