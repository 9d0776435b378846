"""The units API (SPEC 7): exact shapes, filters, scoping, indicator entry and jobs at risk."""

import pytest
from rest_framework.test import APIClient

from ronagh.units.models import UnitIndicator

from .conftest import DISTRESSED, HEALTHY, TODAY, month, nid

UNIT_KEYS = {"id", "national_id", "name", "isic", "sector", "priority", "county", "park", "status",
             "employees", "risk"}  # fmt: skip


def api(user):
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def scored(org, make_unit, enter):
    """Two units: a healthy bakery and a distressed printing house (high risk, with its case)."""
    bakery = make_unit(1, name="نان صنعتی کوثر", employees=50)
    printer = make_unit(
        2, name="چاپ و بسته‌بندی آریا", sector="چاپ و نشر", isic="1811", employees=90
    )
    for m in ("1405/04", "1405/05"):
        enter(bakery, m, HEALTHY)
    enter(printer, "1405/04", HEALTHY)
    enter(printer, "1405/05", DISTRESSED)
    return bakery, printer


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def test_the_unit_list_has_the_fixed_shape_with_risk_and_reasons(org, scored):
    response = api(org.dabir).get("/api/v1/units/")
    assert response.status_code == 200
    rows = {r["national_id"]: r for r in response.json()}
    assert set(rows[nid(2)]) == UNIT_KEYS
    risk = rows[nid(2)]["risk"]
    assert set(risk) == {"month_jalali", "score", "level", "reasons"}
    assert risk["month_jalali"] == "1405/05" and risk["level"] == "high" and risk["score"] >= 70
    assert risk["reasons"] and all(isinstance(r, str) for r in risk["reasons"])
    assert "معوقه" in risk["reasons"][0] or "بانک" in risk["reasons"][0]
    assert rows[nid(2)]["priority"] is True and rows[nid(2)]["park"] == "شهرک صنعتی شکوهیه"
    assert rows[nid(1)]["risk"]["level"] == "low"


def test_filters_by_risk_and_normalised_search(org, scored):
    client = api(org.dabir)
    assert [r["national_id"] for r in client.get("/api/v1/units/?risk=high").json()] == [nid(2)]
    assert [r["national_id"] for r in client.get("/api/v1/units/?risk=low").json()] == [nid(1)]
    assert [r["national_id"] for r in client.get("/api/v1/units/?q=كوثر").json()] == [nid(1)]
    digits = nid(2).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert [r["national_id"] for r in client.get(f"/api/v1/units/?q={digits}").json()] == [nid(2)]
    assert client.get("/api/v1/units/?sector=چاپ و نشر").json()[0]["national_id"] == nid(2)
    assert client.get(f"/api/v1/units/?park={org.park.pk}").status_code == 200
    assert client.get("/api/v1/units/?risk=extreme").status_code == 400


def test_a_unit_adds_indicators_by_alias_risk_history_and_cases(org, scored):
    _bakery, printer = scored
    data = api(org.dabir).get(f"/api/v1/units/{printer.pk}/").json()
    assert [i["month_jalali"] for i in data["indicators"]] == ["1405/04", "1405/05"]
    last = data["indicators"][-1]
    assert last["capacity_utilisation"] == 5 and last["bank_overdue_months"] == 8
    assert {"tax_overdue_months", "insurance_overdue_months", "bounced_cheques", "utility_cutoffs",
            "employees", "sales", "energy"} <= set(last)  # fmt: skip
    assert [h["level"] for h in data["risk_history"]] == ["low", "high"]
    assert data["cases"] == list(printer.preventive_cases.values_list("obstacle_id", flat=True))
    assert len(data["cases"]) == 1


def test_posting_indicators_stores_them_and_refuses_bad_input_per_field(org, scored):
    bakery, _printer = scored
    client = api(org.industry_reporter)
    response = client.post(
        "/api/v1/indicators/",
        {
            "unit": bakery.pk,
            "month_jalali": "۱۴۰۵/۰۶",
            "capacity_utilisation": "۷۲٫۵",
            "employees": 48,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["capacity_utilisation"] == 72.5
    assert UnitIndicator.objects.get(unit=bakery, month=month("1405/06")).employees == 48
    bad = client.post(
        "/api/v1/indicators/",
        {"unit": bakery.pk, "month_jalali": "1405/13", "capacity_utilisation": 120},
        format="json",
    )
    assert bad.status_code == 400
    assert {"month_jalali", "capacity_utilisation"} <= set(bad.json())
    listed = client.get(f"/api/v1/indicators/?unit={bakery.pk}").json()
    assert [r["month_jalali"] for r in listed] == ["1405/04", "1405/05", "1405/06"]


def test_another_agency_neither_sees_nor_enters_a_unit(org, scored):
    bakery, _printer = scored
    client = api(org.bank_reporter)
    assert client.get("/api/v1/units/").json() == []
    assert client.get(f"/api/v1/units/{bakery.pk}/").status_code == 404
    response = client.post(
        "/api/v1/indicators/", {"unit": bakery.pk, "month_jalali": "1405/06"}, format="json"
    )
    assert response.status_code == 404
    governor = api(org.governor).post(
        "/api/v1/indicators/", {"unit": bakery.pk, "month_jalali": "1405/06"}, format="json"
    )
    assert governor.status_code == 403


def test_jobs_at_risk_counts_the_employees_of_medium_and_high_units(org, scored, make_unit, enter):
    other = make_unit(
        3, name="ریخته‌گری سپهر", sector="فلزی و ماشین‌سازی", park=None, county=org.kahak
    )
    enter(other, "1405/05", {**DISTRESSED, "employees": 30})
    data = api(org.dabir).get("/api/v1/jobs-at-risk/").json()
    # printer: 60 (its newest headcount), foundry: 30; the bakery is low
    assert data["month_jalali"] == "1405/05"
    assert data["units_at_risk"] == 2 and data["jobs_at_risk"] == 90
    assert data["by_sector"] == [
        {"name": "چاپ و نشر", "units": 1, "jobs": 60},
        {"name": "فلزی و ماشین‌سازی", "units": 1, "jobs": 30},
    ]
    parks = {g["name"]: g["jobs"] for g in data["by_park"]}
    assert parks["شهرک صنعتی شکوهیه"] == 60 and sorted(parks.values()) == [30, 60]
    assert {g["name"]: g["jobs"] for g in data["by_county"]} == {"قم": 60, "کهک": 30}
