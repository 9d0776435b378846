import datetime as dt

import pytest
from django.utils import timezone

from ronagh.core.models import Agency, Holiday, Province, User
from ronagh.scorecards.scorecard import score_and_grade
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    UserFactory,
    add_report,
    communicated,
    manager,
    reporter,
    secretariat,
)

pytestmark = pytest.mark.django_db


def test_the_secretariat_lists_its_provinces_agencies(client_for):
    industry = AgencyFactory(name="سازمان صنعت", kind=Agency.Kind.INDUSTRY)
    AgencyFactory(province=Province.objects.get(code="tehran"))

    body = client_for(secretariat()).get("/api/v1/agencies/").json()

    assert body == [
        {"id": industry.id, "name": "سازمان صنعت", "kind": "industry", "province": "qom"}
    ]


def test_an_agency_user_sees_only_its_own_agency(client_for):
    mine, other = AgencyFactory(), AgencyFactory()
    client = client_for(manager(mine))

    assert [a["id"] for a in client.get("/api/v1/agencies/").json()] == [mine.id]
    assert client.get(f"/api/v1/agencies/{other.id}/").status_code == 404
    assert client.get(f"/api/v1/agencies/{other.id}/scorecard/").status_code == 404
    assert client.get(f"/api/v1/agencies/{mine.id}/scorecard/").status_code == 200


def working_days(first: dt.date, last: dt.date, holidays=()) -> int:
    """Days that are neither a Friday nor a holiday, counted one by one."""
    days = (first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    return sum(1 for d in days if d.weekday() != 4 and d not in holidays)


def test_scorecard_by_hand(client_for):
    """Agency g leads a1 (alone in axis 1: effective weight 1/2) and a2 (one of two in axis 2:
    1/4). On 2026-08-01 a1 is planned at 100 · 122/274 and actually 30; a2 is ahead of plan, so
    it counts as 1. Each action required a report on every working day from its start (1 April;
    the plan was communicated on 21 March) to 1 August, Fridays and one holiday left out, and
    got one (Saturday 25 July). No obstacle was due: the weights are rescaled."""
    holiday = dt.date(2026, 6, 4)
    Holiday.objects.create(date=holiday, title="رحلت امام خمینی")
    plan = communicated(PlanFactory())
    g = AgencyFactory()
    a1 = ActionFactory(axis=AxisFactory(plan=plan, number=1), lead_agency=g)
    a2 = ActionFactory(axis=AxisFactory(plan=plan, number=2), lead_agency=g)
    ActionFactory(axis=a2.axis, lead_agency=AgencyFactory())  # another agency's action
    add_report(a1, dt.date(2026, 7, 25), 30)
    add_report(a2, dt.date(2026, 7, 25), 80)
    progress = 100 * (0.5 * 30 / (100 * 122 / 274) + 0.25 * 1) / 0.75  # 78.25
    required = 2 * working_days(dt.date(2026, 4, 1), dt.date(2026, 8, 1), {holiday})  # 2 · 104
    compliance = 100 * 2 / required  # 0.96
    score = (0.60 * progress + 0.25 * compliance) / 0.85  # 55.52

    response = client_for(secretariat()).get(
        f"/api/v1/agencies/{g.id}/scorecard/", {"as_of": "2026-08-01"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["progress"] == round(progress, 2)
    assert body["compliance"] == round(compliance, 2)
    assert body["obstacles"] is None
    assert body["score"] == round(score, 2)
    assert body["grade"] == "D"
    assert body["rank"] == 1  # the only agency with a score
    assert (body["required_reports"], body["reported_reports"]) == (208, 2)
    assert body["missed_reports"] == 206
    assert body["agency"] == g.id
    assert body["plan"] == plan.id
    assert (body["as_of"], body["as_of_jalali"]) == ("2026-08-01", "1405/05/10")
    # a1 is 14.5 points behind (behind, not critical); a2 ahead; neither stalled.
    assert body["critical_actions"] == [] and body["stalled_actions"] == []


def test_scorecard_keys(client_for):
    g = AgencyFactory()
    body = client_for(secretariat()).get(f"/api/v1/agencies/{g.id}/scorecard/").json()
    assert {"progress", "compliance", "obstacles", "score", "grade"} <= set(body)
    assert {"rank", "agency", "plan", "as_of", "as_of_jalali", "missed_reports"} <= set(body)


def test_a_critical_action_is_evidence(client_for):
    plan = communicated(PlanFactory())
    g = AgencyFactory()
    a = ActionFactory(axis=AxisFactory(plan=plan), lead_agency=g)
    add_report(a, dt.date(2026, 7, 25), 10)

    body = (
        client_for(manager(g))
        .get(f"/api/v1/agencies/{g.id}/scorecard/", {"as_of": "2026-07-30"})
        .json()
    )

    # P = 100 · 120/274 = 43.80, A = 10: 33.80 points behind.
    assert body["critical_actions"] == [
        {"id": a.id, "code": a.code, "title": a.title, "planned": 43.8, "actual": 10.0,
         "gap": 33.8}
    ]  # fmt: skip


def test_scorecard_without_a_plan_has_no_score(client_for):
    g = AgencyFactory()

    body = client_for(reporter(g)).get(f"/api/v1/agencies/{g.id}/scorecard/").json()

    assert body["progress"] is None and body["score"] is None and body["grade"] is None
    assert body["as_of"] == timezone.localdate().isoformat()


def test_scorecard_falls_back_to_the_newest_communicated_plan(client_for):
    g = AgencyFactory()
    plan = communicated(PlanFactory(year=1404))
    a = ActionFactory(axis=AxisFactory(plan=plan), lead_agency=g, start=dt.date(2025, 4, 1),
                      end=dt.date(2025, 12, 31))  # fmt: skip
    add_report(a, dt.date(2025, 12, 31), 100)

    body = (
        client_for(secretariat())
        .get(f"/api/v1/agencies/{g.id}/scorecard/", {"as_of": "2026-08-01"})
        .json()
    )

    assert body["plan"] == plan.id
    # Communicated after the action had ended: no report was ever required of it.
    assert body["compliance"] is None
    assert (body["progress"], body["score"], body["grade"]) == (100.0, 100.0, "A")


def test_a_bad_as_of_is_400(client_for):
    g = AgencyFactory()
    response = client_for(secretariat()).get(f"/api/v1/agencies/{g.id}/scorecard/", {"as_of": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("components", "expected"),
    [
        ({"progress": 90.0, "compliance": None, "obstacles": None}, (90.0, "A")),
        ({"progress": 85.0, "compliance": 60.0, "obstacles": None}, (77.65, "B")),
        ({"progress": 60.0, "compliance": 60.0, "obstacles": 60.0}, (60.0, "C")),
        ({"progress": 59.99, "compliance": None, "obstacles": None}, (59.99, "D")),
        ({"progress": None, "compliance": None, "obstacles": None}, (None, None)),
    ],
)
def test_score_rescales_the_weights_of_the_components_present(components, expected):
    # e.g. (0.60 · 85 + 0.25 · 60) / 0.85 = 77.65
    assert score_and_grade(components) == expected


def test_me_for_the_secretariat(client_for):
    user = UserFactory(role=User.Role.SECRETARIAT, first_name="مریم", last_name="احمدی")

    body = client_for(user).get("/api/v1/me/").json()

    assert body["role"] == "secretariat"
    assert body["full_name"] == "مریم احمدی"
    assert body["agency"] is None and body["province"] == "qom"
