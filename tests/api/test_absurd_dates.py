"""No request costs more because its date is absurd (SPEC 7): an as-of date outside the plan's
year is clamped to it and the answer says which date was used; one beyond any year Ronagh knows
is clamped too; an unreadable one is a 400 — never a 500 and never a long computation."""

import datetime as dt

import pytest

from ronagh.lib.jalali import year_bounds
from tests.factories import (
    ActionFactory,
    AxisFactory,
    PlanFactory,
    add_report,
    communicated,
    secretariat,
)

pytestmark = pytest.mark.django_db

FIRST, LAST = year_bounds(1405)


@pytest.fixture
def plan():
    plan = communicated(PlanFactory())
    action = ActionFactory(axis=AxisFactory(plan=plan))
    add_report(action, dt.date(2026, 5, 1), 30)
    return plan


@pytest.mark.parametrize(
    ("given", "used"),
    [("4444-01-08", LAST), ("9999-12-31", LAST), ("1900-01-01", FIRST), ("1300/01/01", FIRST)],
)
def test_a_far_date_is_clamped_to_the_plan_year(client_for, plan, given, used):
    api = client_for(secretariat())
    rollup = api.get(f"/api/v1/plans/{plan.pk}/rollup/", {"as_of": given})
    assert rollup.status_code == 200
    assert rollup.json()["as_of"] == used.isoformat()
    actions = api.get("/api/v1/actions/", {"plan": plan.pk, "as_of": given})
    assert actions.status_code == 200
    assert {a["as_of"] for a in actions.json()} == {used.isoformat()}
    one = api.get(f"/api/v1/actions/{plan.actions.get().pk}/", {"as_of": given})
    assert one.status_code == 200 and one.json()["as_of"] == used.isoformat()
    agency = plan.actions.get().lead_agency
    card = api.get(f"/api/v1/agencies/{agency.pk}/scorecard/", {"as_of": given})
    assert card.status_code == 200
    if used == LAST:  # after the plan's year: the plan judges the agency as of its last day
        assert card.json()["as_of"] == used.isoformat() and card.json()["plan"] == plan.pk
    else:  # before any plan: no plan judges the agency yet
        assert card.json()["plan"] is None and card.json()["progress"] is None
    rate = api.get("/api/v1/meetings/execution-rate/", {"as_of": given})
    assert rate.status_code == 200


@pytest.mark.parametrize("given", ["4444-13-40", "فردا", "1405/14/01", "\x00", "9" * 40])
def test_an_unreadable_date_is_a_400(client_for, plan, given):
    api = client_for(secretariat())
    response = api.get(f"/api/v1/plans/{plan.pk}/rollup/", {"as_of": given})
    assert response.status_code == 400
    assert "as_of" in response.json()


@pytest.mark.parametrize("value", [str(2**63), str(2**64 + 5), "9" * 30])
def test_an_id_too_large_for_the_database_is_a_400(client_for, plan, value):
    api = client_for(secretariat())
    assert api.get("/api/v1/actions/", {"plan": value}).status_code == 400
    assert api.get("/api/v1/progress/", {"action": value}).status_code == 400
