"""The obstacle pages as their users meet them."""

import datetime as dt
import io

import openpyxl
import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from ronagh.obstacles import services
from ronagh.obstacles.models import Obstacle, RoutingRule

from .conftest import at


@pytest.fixture
def web(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def days_ago(n):
    return at(timezone.localdate() - dt.timedelta(days=n))


def test_the_registry_shows_an_agency_only_its_obstacles(org, register, web):
    register(responsible_agency=org.bank, title="امتناع بانک ملی")
    register(responsible_agency=org.tax, title="اختلاف مالیاتی")
    page = web(org.bank_reporter).get("/obstacles/").content.decode()
    assert "امتناع بانک ملی" in page and "اختلاف مالیاتی" not in page
    page = web(org.dabir).get("/obstacles/").content.decode()
    assert "امتناع بانک ملی" in page and "اختلاف مالیاتی" in page


def test_the_registry_filters_overdue_and_searches_with_arabic_letters(org, register, web):
    register(responsible_agency=org.bank, severity=4, title="قطعی برق", at=days_ago(20))
    register(responsible_agency=org.bank, severity=4, title="کمبود مواد اولیه", at=days_ago(1))
    client = web(org.dabir)
    page = client.get("/obstacles/", {"overdue": "on"}).content.decode()
    assert "قطعی برق" in page and "کمبود مواد اولیه" not in page
    page = client.get("/obstacles/", {"q": "كمبود"}).content.decode()  # Arabic kaf
    assert "کمبود مواد اولیه" in page and "قطعی برق" not in page


def test_the_secretariat_registers_and_it_is_routed(org, web):
    RoutingRule.objects.create(province=org.province, category="tax", agency=org.tax)
    response = web(org.dabir).post(
        "/obstacles/new/",
        {
            "title": "برگ تشخیص علی‌الرأس",
            "description": "",
            "category": "tax",
            "severity": "3",
            "jobs_affected": "۴۵",
            "amount": "۱۲۰۰۰۰۰۰۰۰",
            "facing_kind": "unit",
            "unit": org.unit.pk,
        },
    )
    obstacle = Obstacle.objects.get()
    assert response.status_code == 302 and response.url == f"/obstacles/{obstacle.pk}/"
    assert obstacle.responsible_agency == org.tax and obstacle.jobs_affected == 45
    assert obstacle.amount == 1_200_000_000


def test_a_bad_registration_says_why_and_saves_nothing(org, web):
    response = web(org.dabir).post(
        "/obstacles/new/",
        {
            "title": "",
            "category": "tax",
            "severity": "3",
            "jobs_affected": "-4",
            "facing_kind": "park",
        },  # fmt: skip
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert {"title", "jobs_affected"} <= set(form.errors)
    assert not Obstacle.objects.exists()
    response = web(org.dabir).post(
        "/obstacles/new/",
        {
            "title": "x",
            "category": "tax",
            "severity": "3",
            "jobs_affected": "1",
            "facing_kind": "park",
        },  # fmt: skip
    )
    assert response.status_code == 400 and "park" in response.context["form"].errors
    assert not Obstacle.objects.exists()


def test_readers_may_not_open_the_register_form(org, web):
    assert web(org.governor).get("/obstacles/new/").status_code == 403


def test_another_agency_gets_404_on_the_detail_and_the_transition(org, register, web):
    obstacle = register(responsible_agency=org.bank)
    client = web(org.tax_reporter)
    assert client.get(f"/obstacles/{obstacle.pk}/").status_code == 404
    response = client.post(f"/obstacles/{obstacle.pk}/transition/", {"to": "in_progress"})
    assert response.status_code == 404
    obstacle.refresh_from_db()
    assert obstacle.status == "assigned"


def test_the_detail_offers_each_user_its_own_steps(org, register, web):
    obstacle = register(responsible_agency=org.bank)
    steps = [
        s["to"] for s in web(org.bank_reporter).get(f"/obstacles/{obstacle.pk}/").context["steps"]
    ]
    assert steps == ["in_progress", "resolved"]
    steps = [s["to"] for s in web(org.governor).get(f"/obstacles/{obstacle.pk}/").context["steps"]]
    assert steps == []


def test_the_agency_answers_and_resolves_from_the_page(org, register, web):
    obstacle = register(responsible_agency=org.bank)
    client = web(org.bank_reporter)
    url = f"/obstacles/{obstacle.pk}/transition/"
    assert client.post(url, {"to": "in_progress", "comment": "بررسی شد"}).status_code == 302
    response = client.post(url, {"to": "resolved", "comment": ""})
    assert response.status_code == 400
    assert response.context["steps"][0]["form"].errors["comment"]
    obstacle.refresh_from_db()
    assert obstacle.status == "in_progress"
    response = client.post(url, {"to": "resolved", "comment": "تسهیلات پرداخت شد"})
    assert response.status_code == 302
    obstacle.refresh_from_db()
    assert obstacle.status == "resolved" and obstacle.resolved_on == timezone.localdate()


def test_the_governor_may_read_but_not_move(org, register, web):
    obstacle = register(responsible_agency=org.bank)
    client = web(org.governor)
    assert client.get(f"/obstacles/{obstacle.pk}/").status_code == 200
    response = client.post(
        f"/obstacles/{obstacle.pk}/transition/", {"to": "resolved", "comment": "x"}
    )
    assert response.status_code == 403
    obstacle.refresh_from_db()
    assert obstacle.status == "assigned"


def test_the_secretariat_reroutes_from_the_page(org, register, web):
    obstacle = register(responsible_agency=org.bank)
    response = web(org.dabir).post(
        f"/obstacles/{obstacle.pk}/transition/",
        {"to": "assigned", "agency": org.tax.pk, "comment": "موضوع مالیاتی است"},
    )
    assert response.status_code == 302
    obstacle.refresh_from_db()
    assert obstacle.responsible_agency == org.tax and obstacle.bounces == 1


def test_the_secretariat_edits_the_routing_table(org, web):
    client = web(org.dabir)
    response = client.post("/obstacles/routing/", {"banking": org.bank.pk, "tax": ""})
    assert response.status_code == 302
    assert RoutingRule.objects.get().agency == org.bank
    assert client.post("/obstacles/routing/", {"banking": "99999"}).status_code == 400
    assert RoutingRule.objects.get().agency == org.bank


def test_others_may_not_edit_the_routing_table(org, web):
    assert web(org.bank_manager).get("/obstacles/routing/").status_code == 403
    assert web(org.governor).get("/obstacles/routing/").status_code == 200
    assert (
        web(org.governor).post("/obstacles/routing/", {"banking": org.bank.pk}).status_code == 403
    )
    assert not RoutingRule.objects.exists()


def test_the_escalation_page_lists_overdue_and_bounced(org, register, web):
    late = register(responsible_agency=org.bank, severity=4, title="دیرکرد بانک", at=days_ago(10))
    bounced = register(responsible_agency=org.bank, title="پاس‌کاری شده")
    services.transition(
        actor=org.dabir, obstacle=bounced, to="assigned", agency=org.tax, comment="مالیاتی"
    )
    response = web(org.dabir).get("/obstacles/escalation/")
    assert [o.pk for o in response.context["overdue"]] == [late.pk]
    assert [o.pk for o in response.context["bounced"]] == [bounced.pk]
    assert [a.pk for a in response.context["bounced"][0].chain] == [org.bank.pk, org.tax.pk]
    assert web(org.bank_manager).get("/obstacles/escalation/").status_code == 403


def test_the_analytics_page_counts_by_hand(org, register, web):
    register(responsible_agency=org.bank, severity=4, jobs_affected=10, at=days_ago(10))
    done = register(responsible_agency=org.bank, jobs_affected=5, at=days_ago(6))
    services.transition(
        actor=org.bank_reporter, obstacle=done, to="resolved", comment="حل شد", at=days_ago(2)
    )
    register(category="tax", jobs_affected=1, at=days_ago(0))
    response = web(org.dabir).get("/obstacles/analytics/")
    total = response.context["total"]
    assert (total.count, total.open, total.overdue, total.resolved, total.jobs) == (3, 2, 1, 1, 16)
    assert response.context["median_days"] == 4.0
    assert response.context["ageing"] == {"0-7": 1, "8-30": 1, "31-90": 0, "90+": 0}
    rows = {g.key: g.count for g in response.context["rows"]}
    assert rows == {"banking": 2, "tax": 1}
    agencies = web(org.dabir).get("/obstacles/analytics/", {"by": "agency"}).context["rows"]
    assert {g.key: g.count for g in agencies} == {org.bank.name: 2, "": 1}


def test_the_excel_export_is_rtl_with_numbers_as_numbers(org, register, web):
    register(responsible_agency=org.bank, amount=2_500_000_000, jobs_affected=12)
    register(category="energy", jobs_affected=3)
    response = web(org.dabir).get("/obstacles/analytics.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert all(ws.sheet_view.rightToLeft for ws in wb.worksheets)
    summary = wb.worksheets[0]
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=5, values_only=True) if row[0]}
    assert list(values.values())[:7] == [2, 2, 1, 0, 0, 15, 27_500_000_000]
    listing = wb.worksheets[-1]
    assert listing.max_row == 3
    assert isinstance(listing.cell(row=2, column=16).value, int)
    assert listing.cell(row=2, column=11).value.startswith("14")  # a Jalali date


def test_the_escalation_card_renders_for_a_dashboard(org, register):
    register(responsible_agency=org.bank, severity=4, title="دیرکرد بانک", at=days_ago(10))
    request = RequestFactory().get("/")
    request.user = org.dabir
    html = Template("{% load obstacle_tags %}{% obstacles_escalation_card %}").render(
        Context({"request": request})
    )
    assert "دیرکرد بانک" in html
