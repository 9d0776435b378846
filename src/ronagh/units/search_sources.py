"""The production units' source of the quick search: by name, national id, ISIC code, sector,
manager or licence number (`selectors.search_units`, over what the user may see)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ronagh.core.search import Hit, Source, Terms

from .selectors import search_units, visible_units


def find_units(user, t: Terms, limit: int) -> list[Hit]:
    qs = search_units(visible_units(user), t.raw).order_by("name", "id")
    return [
        Hit(
            title=u.name,
            code=u.national_id,
            url=reverse("units:detail", args=[u.pk]),
            detail=u.sector,
        )
        for u in qs[:limit]
    ]


UNITS = Source("units", lambda: _("Production units"), find_units)
