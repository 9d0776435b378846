import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    add_report,
    communicated,
    manager,
    reporter,
    secretariat,
)

pytestmark = pytest.mark.django_db

# The factory's action runs 2026-04-01 → 2026-12-31 (274 days); on 2026-08-01 (122 days in)
# it is planned at 100 · 122 / 274 %.
P_AUG_1 = 100 * 122 / 274


@pytest.fixture
def plan():
    return communicated(PlanFactory())


def test_action_figures_by_hand(client_for, plan):
    partner = AgencyFactory()
    action = ActionFactory(axis=AxisFactory(plan=plan, number=3), code="3-7", weight=2)
    action.partners.add(partner)
    add_report(action, dt.date(2026, 7, 2), 20)
    add_report(action, dt.date(2026, 8, 1), 35)

    response = client_for(secretariat()).get(
        f"/api/v1/actions/{action.id}/", {"as_of": "2026-08-01"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == action.id
    assert body["code"] == "3-7"
    assert body["axis"] == 3
    assert body["lead_agency"] == action.lead_agency_id
    assert body["partners"] == [partner.id]
    assert body["weight"] == 2.0
    assert (body["start"], body["start_jalali"]) == ("2026-04-01", "1405/01/12")
    assert (body["end"], body["end_jalali"]) == ("2026-12-31", "1405/10/10")
    assert body["planned"] == round(P_AUG_1, 2)
    assert body["actual"] == 35.0
    assert body["gap"] == round(P_AUG_1 - 35, 2)
    assert body["spi"] == round(35 / P_AUG_1, 2)
    assert body["status"] == "behind"  # 44.53 − 35 = 9.53 points
    assert body["unreported"] is False
    # Gained 15 points in the last 30 days, 0.5 a day: 65 points take 130 days.
    assert body["forecast_finish"] == "2026-12-09"
    assert body["forecast_finish_jalali"] == "1405/09/18"
    assert (body["last_report"], body["last_report_jalali"]) == ("2026-08-01", "1405/05/10")


def test_no_gain_in_30_days_forecasts_never(client_for, plan):
    action = ActionFactory(axis=AxisFactory(plan=plan))
    add_report(action, dt.date(2026, 6, 1), 40)

    body = (
        client_for(secretariat())
        .get(f"/api/v1/actions/{action.id}/", {"as_of": "2026-08-01"})
        .json()
    )

    assert body["forecast_finish"] is None and body["forecast_finish_jalali"] is None
    assert body["status"] == "stalled"
    assert body["unreported"] is True


def test_an_action_not_started_is_not_due(client_for, plan):
    action = ActionFactory(axis=AxisFactory(plan=plan))

    body = (
        client_for(secretariat())
        .get(f"/api/v1/actions/{action.id}/", {"as_of": "2026-03-25"})
        .json()
    )

    assert body["planned"] == 0.0 and body["spi"] is None
    assert body["status"] == "not_due"
    assert body["last_report"] is None and body["last_report_jalali"] is None


def test_list_of_a_plan_defaults_to_today(client_for, plan):
    axis = AxisFactory(plan=plan)
    first = ActionFactory(axis=axis, code="A-1")
    second = ActionFactory(axis=axis, code="A-2")
    ActionFactory(axis=AxisFactory(plan=PlanFactory(year=1404)))  # another plan

    response = client_for(secretariat()).get("/api/v1/actions/", {"plan": plan.id})

    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body] == [first.id, second.id]
    assert {row["as_of"] for row in body} == {timezone.localdate().isoformat()}
    assert {"code", "planned", "actual", "gap", "status", "unreported", "forecast_finish"} <= set(
        body[0]
    )


def test_list_filters_by_status(client_for, plan):
    axis = AxisFactory(plan=plan)
    done = ActionFactory(axis=axis)
    ActionFactory(axis=axis)
    add_report(done, dt.date(2026, 7, 1), 100)

    body = (
        client_for(secretariat())
        .get("/api/v1/actions/", {"plan": plan.id, "status": "done", "as_of": "2026-08-01"})
        .json()
    )

    assert [row["id"] for row in body] == [done.id]
    assert body[0]["forecast_finish"] == "2026-07-01"


def test_an_agency_sees_only_actions_it_leads_or_partners_in(client_for, plan):
    mine, theirs = AgencyFactory(), AgencyFactory()
    axis = AxisFactory(plan=plan)
    led = ActionFactory(axis=axis, lead_agency=mine)
    partnered = ActionFactory(axis=axis, lead_agency=theirs)
    partnered.partners.add(mine)
    other = ActionFactory(axis=axis, lead_agency=theirs)

    for user in (reporter(mine), manager(mine)):
        client = client_for(user)
        listed = client.get("/api/v1/actions/", {"plan": plan.id}).json()
        assert sorted(row["id"] for row in listed) == sorted([led.id, partnered.id])
        assert client.get(f"/api/v1/actions/{partnered.id}/").status_code == 200
        assert client.get(f"/api/v1/actions/{other.id}/").status_code == 404


def test_bad_parameters_are_400(client_for, plan):
    action = ActionFactory(axis=AxisFactory(plan=plan))
    client = client_for(secretariat())

    assert client.get(f"/api/v1/actions/{action.id}/", {"as_of": "yesterday"}).status_code == 400
    assert client.get("/api/v1/actions/", {"plan": "x"}).status_code == 400
    assert client.get("/api/v1/actions/", {"status": "late"}).status_code == 400


def test_an_unknown_action_is_a_404(client_for):
    assert client_for(secretariat()).get("/api/v1/actions/999999/").status_code == 404
