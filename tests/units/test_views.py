"""The units pages: the registry's search and filters, a unit's page with why it is at risk,
entry of indicators on the page, the governor's view, parks, permits, jobs and events, the
priority list and the workbook upload — each for whom SPEC 1 says."""

import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from ronagh.units.models import PrioritySector, UnitIndicator

from .conftest import DISTRESSED, HEALTHY, TODAY, month


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def browser(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def scored(org, make_unit, enter):
    bakery = make_unit(1, name="نان صنعتی کوثر")
    printer = make_unit(2, name="چاپ و بسته‌بندی آریا", sector="چاپ و نشر", isic="1811")
    enter(bakery, "1405/05", HEALTHY)
    enter(printer, "1405/04", HEALTHY)
    enter(printer, "1405/05", DISTRESSED)
    return bakery, printer


def test_the_registry_searches_with_normalised_persian(org, scored):
    page = browser(org.dabir).get("/units/", {"q": "كوثر"}).content.decode()
    assert "نان صنعتی کوثر" in page and "چاپ و بسته‌بندی آریا" not in page
    page = browser(org.dabir).get("/units/", {"risk": "high"}).content.decode()
    assert "چاپ و بسته‌بندی آریا" in page and "نان صنعتی کوثر" not in page


def test_a_units_page_says_why_it_is_at_risk_and_links_its_case(org, scored):
    _bakery, printer = scored
    page = browser(org.dabir).get(f"/units/{printer.pk}/").content.decode()
    case = printer.preventive_cases.get()
    assert "risk-high" in page and "معوقه" in page
    assert f"/obstacles/{case.obstacle_id}/" in page
    assert 'data-chart="chart-risk"' in page and "<script>" not in page.split("</nav>", 1)[1]


def test_the_responsible_agency_enters_a_month_on_the_page(org, scored):
    bakery, _printer = scored
    client = browser(org.industry_reporter)
    response = client.post(
        f"/units/{bakery.pk}/indicators/",
        {"month": "۱۴۰۵/۰۶", "employees": "۹۵", "utilisation": "۷۰٫۵"},
    )
    assert response.status_code == 302
    row = UnitIndicator.objects.get(unit=bakery, month=month("1405/06"))
    assert row.employees == 95 and float(row.utilisation) == 70.5
    bad = client.post(f"/units/{bakery.pk}/indicators/", {"month": "1405/06", "utilisation": "120"})
    assert bad.status_code == 400 and "۱۰۰" in bad.content.decode()


def test_another_agency_gets_404_for_a_unit_it_does_not_follow(org, scored):
    bakery, _printer = scored
    assert browser(org.bank_reporter).get(f"/units/{bakery.pk}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/units/governor/", "/units/parks/", "/units/permits/", "/units/jobs/", "/units/events/",
     "/units/priorities/", "/units/export.xlsx"],
)  # fmt: skip
def test_the_governor_reads_every_units_page(org, scored, url):
    assert browser(org.governor).get(url).status_code == 200


def test_the_governors_view_counts_jobs_at_risk(org, scored):
    page = browser(org.governor).get("/units/governor/").content.decode()
    assert "چاپ و بسته‌بندی آریا" in page and 'data-chart="chart-sector"' in page


def test_the_park_page_shows_its_units_and_risk(org, scored):
    page = browser(org.dabir).get(f"/units/parks/{org.park.pk}/").content.decode()
    assert "نان صنعتی کوثر" in page and "chart-trend" in page


def test_the_priority_list_is_edited_by_the_secretariat_only(org, scored):
    browser(org.dabir).post("/units/priorities/", {"entries": "فناوری اطلاعات | 62 |"})
    assert list(
        PrioritySector.objects.filter(province=org.province).values_list("isic_prefix", flat=True)
    ) == ["62"]
    assert browser(org.governor).post("/units/priorities/", {"entries": ""}).status_code == 403


def test_an_uploaded_units_workbook_with_a_bad_cell_saves_nothing(org):
    wb = openpyxl.Workbook()
    wb.active.append(["شناسه ملی", "نام واحد"])
    wb.active.append(["10380284791", "واحد"])
    data = io.BytesIO()
    wb.save(data)
    data.seek(0)
    data.name = "units.xlsx"
    response = browser(org.dabir).post("/units/import/", {"kind": "units", "file": data})
    assert response.status_code == 400
    assert "10380284791" in response.content.decode()


def test_the_plan_dashboard_links_the_governors_units_view():
    from pathlib import Path

    template = (
        Path(__file__).resolve().parents[2] / "src/ronagh/templates/plans/plan_dashboard.html"
    )
    assert "units:governor" in template.read_text()
