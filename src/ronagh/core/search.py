"""The quick search (issue 13): one box in the navigation finds actions, agencies and obstacles
— and whatever else registers a source — by code or by Persian text, whatever the spelling
(ی/ك, ZWNJ, spaces) and whatever the digits.

A small registry: each app owns its `Source` (what it searches, through its own `visible_*`
selector, so nobody finds what they may not see) and registers it in its AppConfig.ready();
`search(user, query)` asks every source in turn. A new kind of thing (production units) is one
more `register(Source(...))`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from ronagh.lib.digits import to_latin, to_persian
from ronagh.lib.text import clean_name

MIN_LENGTH = 2
LIMIT = 8


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    code: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Terms:
    """What was typed, ready for the database: each word with the spellings it may be stored
    in, and the whole text as a code (Latin digits, no spaces)."""

    raw: str
    words: tuple[frozenset[str], ...] = field(default_factory=tuple)
    code: str = ""


def _spellings(word: str) -> frozenset[str]:
    latin = to_latin(word)
    forms = {word, latin, to_persian(latin)}
    forms |= {f.replace("ی", "ي").replace("ک", "ك") for f in forms}
    return frozenset(f for f in forms if f)


def terms(query: str) -> Terms:
    text = clean_name(query or "")[:100]
    words = [w for w in text.replace("\u200c", " ").split() if w]
    return Terms(text, tuple(_spellings(w) for w in words), to_latin(text).replace(" ", ""))


def text_q(fields: Iterable[str], t: Terms) -> Q:
    """Every word in one of the fields (icontains), in any of its spellings."""
    fields = list(fields)
    q = Q()
    for spellings in t.words:
        any_field = Q()
        for f in fields:
            for s in spellings:
                any_field |= Q(**{f"{f}__icontains": s})
        q &= any_field
    return q


@dataclass(frozen=True)
class Source:
    """One kind of thing the search finds: a stable code, its label (a function: read in the
    reader's language), and `find(user, terms, limit)` → hits the user may see."""

    code: str
    label: Callable[[], str]
    find: Callable[[object, Terms, int], list[Hit]]


SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    SOURCES[source.code] = source


def search(user, query: str, limit: int = LIMIT) -> list[tuple[Source, list[Hit]]]:
    """Every source's hits for the query (sources without hits left out); nothing for a text
    shorter than MIN_LENGTH (a number, a record's number, may be one digit)."""
    t = terms(query)
    if not t.words or (len(t.code) < MIN_LENGTH and not t.code.isdigit()):
        return []
    out = []
    for source in SOURCES.values():
        hits = source.find(user, t, limit)
        if hits:
            out.append((source, hits))
    return out
