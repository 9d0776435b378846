"""The scorecard page and the API scorecard give the same figures for the same agency and date,
on either side of the Jalali new year: both ask `judged_plan` which plan judges the agency."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from ronagh.lib.jalali import format_date, year_bounds
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    add_report,
    communicated,
    reporter,
    secretariat,
)

pytestmark = pytest.mark.django_db

END_1404 = year_bounds(1404)[1]  # 2026-03-20
START_1405 = year_bounds(1405)[0]  # 2026-03-21


@pytest.fixture
def agency():
    """One agency leading an action in each of the 1404 and 1405 plans, with different
    progress in each, so that a wrong plan shows."""
    agency = AgencyFactory(name="سازمان صنعت")
    old = communicated(PlanFactory(year=1404), on=year_bounds(1404)[0])
    new = communicated(PlanFactory(year=1405), on=START_1405)
    a_old = ActionFactory(
        axis=AxisFactory(plan=old), lead_agency=agency,
        start=dt.date(2025, 4, 1), end=dt.date(2026, 3, 15),
    )  # fmt: skip
    a_new = ActionFactory(
        axis=AxisFactory(plan=new), lead_agency=agency,
        start=START_1405, end=dt.date(2026, 3, 31),
    )  # fmt: skip
    add_report(a_old, dt.date(2026, 3, 10), 90)
    add_report(a_new, START_1405, 1)
    add_report(a_new, dt.date(2026, 3, 24), 20)
    return agency


@pytest.mark.parametrize("day", [END_1404, START_1405, dt.date(2026, 3, 25)])
@pytest.mark.parametrize("who", ["secretariat", "reporter"])
def test_page_and_api_give_the_same_scorecard(client, agency, day, who):
    user = secretariat() if who == "secretariat" else reporter(agency)
    client.force_login(user)
    page = client.get(f"/scorecards/agencies/{agency.pk}/", {"as_of": format_date(day)})
    assert page.status_code == 200
    card = page.context["card"]

    api = APIClient()
    api.force_authenticate(user)
    body = api.get(f"/api/v1/agencies/{agency.pk}/scorecard/", {"as_of": day.isoformat()}).json()

    assert body["plan"] == card.plan.pk
    assert body["plan"] == page.context["plan"].pk
    for key in ("progress", "compliance", "obstacles", "score"):
        shown = getattr(card, key)
        assert body[key] == (None if shown is None else round(shown, 2)), key
    assert body["grade"] == card.grade
    assert body["as_of"] == card.as_of.isoformat()
    # The year the date falls in decides the plan.
    expected_year = 1404 if day <= END_1404 else 1405
    assert card.plan.year == expected_year
