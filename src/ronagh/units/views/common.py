"""What the units pages share."""

from __future__ import annotations

from django.http import HttpResponse

from ronagh.core.models import Province
from ronagh.core.permissions import home_province_id


def user_province(user) -> Province | None:
    """The province a user works in (None for a national user)."""
    province_id = home_province_id(user)
    return Province.objects.get(pk=province_id) if province_id else None


def xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
