"""What the HQ pages share."""

from __future__ import annotations

from ronagh.core import pages
from ronagh.core.models import Agency, Province
from ronagh.core.permissions import home_province_id

from ..models import Meeting


def page(request, template: str, context: dict, status: int = 200):
    return pages.page(request, template, context, status=status)


def user_province(request, meeting: Meeting | None = None) -> Province | None:
    """The province the secretariat works in: the meeting's, else its own, else the first that
    has agencies (a national superuser)."""
    pid = meeting.province_id if meeting else home_province_id(request.user)
    if pid:
        return Province.objects.get(pk=pid)
    return Province.objects.filter(agencies__isnull=False).distinct().order_by("name").first()


def isolated(code: str) -> str:
    """A code such as 12/3-1 kept left-to-right inside a Persian sentence."""
    return f"\u2066{code}\u2069"


def agencies_of(province_id: int):
    return Agency.objects.filter(province_id=province_id).order_by("name")
