"""The obstacles' source of the quick search: by number, title, description, unit, park or
sector (what the user may see)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ronagh.core.search import Hit, Source, Terms, text_q

from .selectors import visible_obstacles


def find_obstacles(user, t: Terms, limit: int) -> list[Hit]:
    q = text_q(["title", "description", "sector", "unit__name", "park__name"], t)
    if t.code.isdigit():
        q |= Q(pk=int(t.code)) | Q(unit__national_id=t.code)
    qs = visible_obstacles(user).filter(q).order_by("-registered_at", "-id")
    return [
        Hit(
            title=o.title,
            code=str(o.pk),
            url=reverse("obstacles:detail", args=[o.pk]),
            detail=o.get_status_display(),
        )
        for o in qs[:limit]
    ]


OBSTACLES = Source("obstacles", lambda: _("Obstacles"), find_obstacles)
