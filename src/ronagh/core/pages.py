"""What every app's pages share: the as-of date a page's figures are computed for, links that
keep it, and rendering with the few context values every template expects."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.lib import jalali

from .i18n import local_date, local_digits, pct_sign


@dataclass(frozen=True)
class AsOf:
    """The date the figures are computed for, and what the reader should be told about it."""

    date: dt.date
    explicit: bool  # typed by the reader (valid), so links keep it
    error: str = ""
    note: str = ""

    @property
    def query(self) -> str:
        """`as_of=…` for links, when the reader chose the date."""
        return urlencode({"as_of": jalali.format_date(self.date)}) if self.explicit else ""

    @property
    def param(self) -> str | None:
        """The value of `as_of` for links, when the reader chose the date."""
        return jalali.format_date(self.date) if self.explicit else None

    @property
    def is_future(self) -> bool:
        return self.date > timezone.localdate()


def parse_as_of(request) -> tuple[dt.date | None, str, str]:
    """`?as_of=` as typed: (the date or None, the raw text, an error message or '')."""
    raw = request.GET.get("as_of", "").strip()[:40]
    if not raw:
        return None, raw, ""
    try:
        return jalali.parse_any(raw), raw, ""
    except jalali.JalaliDateError:
        return (
            None,
            raw,
            _("“%(text)s” is not a valid date; write it like %(example)s.")
            % {"text": raw, "example": local_date(timezone.localdate())},
        )


def resolve_as_of(request, plan=None) -> AsOf:
    """`?as_of=` typed in any digits, Jalali (or ISO); today when missing or not a date. With a
    plan the date is kept inside the plan's year, so that a past or future plan opens on a
    meaningful day (and no figure costs more because its date is absurd)."""
    chosen, _raw, error = parse_as_of(request)
    day, note = chosen or timezone.localdate(), ""
    if plan is not None:
        first, last = jalali.year_bounds(plan.year)
        clamped = min(max(day, first), last)
        if chosen is not None and clamped != chosen:
            note = _("%(date)s is outside the plan's year %(year)s.") % {
                "date": local_date(chosen),
                "year": local_digits(plan.year),
            }
        day = clamped
    return AsOf(date=day, explicit=chosen is not None, error=error, note=note)


def link(url: str, **params) -> str:
    """`url?a=1&b=2` with the parameters that have a value."""
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def page(request, template: str, context: dict, status: int = 200):
    """Render a page with the values every template expects."""
    context.setdefault("pct_sign", pct_sign())
    return render(request, template, context, status=status)


DOWNLOAD_COOKIE = "ronagh_download"
_DOWNLOAD_TOKEN = re.compile(r"^[0-9]{1,30}$")


def file_response(
    request, content: bytes, *, content_type: str, filename: str, inline: bool = False
) -> HttpResponse:
    """A generated file (PDF, Excel) as the answer, never cached. When the page asked with a
    `dl` token (app.js, on a link or button marked data-download), a short-lived cookie carrying
    it tells the page the file is ready, so that it can stop saying "being prepared". The token
    is a plain number and says nothing about the user: the cookie is readable by the script."""
    response = HttpResponse(content, content_type=content_type)
    kind = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{kind}; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    token = request.GET.get("dl", "")
    if _DOWNLOAD_TOKEN.match(token):
        response.set_cookie(DOWNLOAD_COOKIE, token, max_age=120, samesite="Lax", httponly=False)
    return response
