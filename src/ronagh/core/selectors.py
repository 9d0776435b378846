"""Reads on the organisation: what a user may see of provinces, agencies and users, and the
agency names nearest to a misspelt one."""

from __future__ import annotations

import difflib

from django.db.models import QuerySet

from ronagh.lib.text import normalize

from .models import Agency, County, Province, User
from .scoping import scoped


def visible_provinces(user) -> QuerySet[Province]:
    """The provinces the user works in: all for the national readers, its own otherwise."""
    return scoped(Province.objects.all(), user, province="pk", agency=None)


def visible_agencies(user) -> QuerySet[Agency]:
    """Agencies the user may see: its own for an agency user, its province's (or all) for the
    readers of everything."""
    return scoped(
        Agency.objects.select_related("province"), user, province="province_id", agency="pk"
    )


def visible_counties(user) -> QuerySet[County]:
    return scoped(
        County.objects.select_related("province"), user, province="province_id", agency=None
    )


def visible_users(user) -> QuerySet[User]:
    """The people a user may see in lists: the secretariat its province's; an agency user its
    own agency's colleagues."""
    return scoped(
        User.objects.select_related("agency", "province"),
        user,
        province="province_id",
        agency="agency_id",
    )


def closest_agency_names(name: str, agencies: QuerySet[Agency], n: int = 3) -> list[str]:
    """The known agency names nearest to a misspelt one, for an error message."""
    by_key = {a.name_key: a.name for a in agencies}
    keys = difflib.get_close_matches(normalize(name), by_key.keys(), n=n, cutoff=0.4)
    return [by_key[k] for k in keys]
