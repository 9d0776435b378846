"""Every panel of the plan dashboard follows the page's as-of date and says so — the obstacle
card included, which counts the obstacles registered by then and overdue on that day, of the
plan's province (issue 13)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from ronagh.core.models import Province
from ronagh.obstacles.models import Obstacle
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    communicated,
    secretariat,
)

pytestmark = pytest.mark.django_db


def overdue_on(province, due, sec, title="اختلاف در برگ تشخیص مالیات"):
    return Obstacle.objects.create(
        province=province, category="tax", title=title, severity=3, status="assigned",
        responsible_agency=AgencyFactory(province=province),
        assigned_on=due - dt.timedelta(days=14), due_date=due, registered_by=sec,
        registered_on=due - dt.timedelta(days=14),
    )  # fmt: skip


def card(page: str) -> str:
    return page[page.index("obstacles-card") :].split("</div>\n</div>", 1)[0]


def test_the_obstacle_card_and_every_panel_follow_the_as_of_date(client):
    plan = communicated(PlanFactory())
    ActionFactory(axis=AxisFactory(plan=plan, number=1))
    sec = secretariat(province=None)  # a national secretariat: other provinces must not count
    overdue_on(plan.province, dt.date(2026, 6, 1), sec)
    overdue_on(Province.objects.get(code="tehran"), dt.date(2026, 5, 1), sec, "مانع تهران")
    client.force_login(sec)
    url = reverse("plans:plan_dashboard", args=[plan.pk])

    early = client.get(url, {"as_of": "۱۴۰۵/۰۲/۱۰"}).content.decode()  # 2026-04-30
    assert re.search(r'text-danger num">۰<', card(early))
    assert "۱۴۰۵/۰۲/۱۰" in card(early)
    headings = ("Actions by status", "Axes", "Lead agencies", "Actions furthest behind schedule")
    with translation.override("fa"):
        headings = [gettext(h) for h in headings]
    for heading in headings:
        section = early[early.index(heading + " <small") :][:400]
        assert "۱۴۰۵/۰۲/۱۰" in section, heading

    later = client.get(url, {"as_of": "1405/04/01"}).content.decode()  # 2026-06-22
    assert re.search(r'text-danger num">۱<', card(later))
    assert "مانع تهران" not in card(later)
