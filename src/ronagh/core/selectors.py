"""Reads on the organisation."""

import difflib

from django.db.models import QuerySet

from ronagh.lib.text import normalize

from .models import Agency


def closest_agency_names(name: str, agencies: QuerySet[Agency], n: int = 3) -> list[str]:
    """The known agency names nearest to a misspelt one, for an error message."""
    by_key = {a.name_key: a.name for a in agencies}
    keys = difflib.get_close_matches(normalize(name), by_key.keys(), n=n, cutoff=0.4)
    return [by_key[k] for k in keys]
