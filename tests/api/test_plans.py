import datetime as dt

import pytest
from django.utils import timezone

from ronagh.core.models import Province, User
from ronagh.plans.models import Plan
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    UserFactory,
    add_report,
    communicated,
    reporter,
    secretariat,
)

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 8, 1)  # 1405/05/10, a Saturday


@pytest.fixture
def plan_with_figures():
    """Axis 1 (weight 1): a1, linear 2026-04-01 → 2026-12-31, agency g1, 30 % on 07-25.
    Axis 2 (weight 3): a2, 2026-06-01 → 2026-09-30, agency g2, 47 % on 07-30; a3, from 10-01
    (not due), agency g2."""
    plan = communicated(PlanFactory())
    g1, g2 = AgencyFactory(name="دستگاه یکم"), AgencyFactory(name="دستگاه دوم")
    ax1 = AxisFactory(plan=plan, number=1, weight=1, title="صنعت")
    ax2 = AxisFactory(plan=plan, number=2, weight=3, title="معدن")
    a1 = ActionFactory(axis=ax1, code="1-1", lead_agency=g1)
    a2 = ActionFactory(
        axis=ax2, code="2-1", lead_agency=g2, start=dt.date(2026, 6, 1), end=dt.date(2026, 9, 30)
    )
    ActionFactory(axis=ax2, code="2-2", lead_agency=g2, start=dt.date(2026, 10, 1))
    add_report(a1, dt.date(2026, 7, 25), 30)
    add_report(a2, dt.date(2026, 7, 30), 47)
    return plan, g1, g2


def test_plan_list_gives_province_code_and_jalali_communication_date(client_for):
    plan = communicated(PlanFactory(), on=dt.date(2026, 3, 21))

    body = client_for(secretariat()).get("/api/v1/plans/").json()

    assert body == [
        {
            "id": plan.id,
            "province": "qom",
            "year": 1405,
            "title": plan.title,
            "status": "communicated",
            "communicated_on": "2026-03-21",
            "communicated_on_jalali": "1405/01/01",
        }
    ]


def test_plan_detail_lists_its_axes(client_for):
    plan = PlanFactory()
    AxisFactory(plan=plan, number=1, title="محور صنعت", weight=2)

    body = client_for(secretariat()).get(f"/api/v1/plans/{plan.id}/").json()

    assert body["status"] == "draft"
    assert body["communicated_on"] is None and body["communicated_on_jalali"] is None
    assert body["axes"] == [
        {"id": plan.axes.get().id, "number": 1, "title": "محور صنعت", "weight": 2.0}
    ]


def test_an_agency_user_sees_only_its_own_provinces_plans(client_for):
    qom_plan = PlanFactory()
    tehran_agency = AgencyFactory(province=Province.objects.get(code="tehran"))
    client = client_for(reporter(tehran_agency))

    assert client.get("/api/v1/plans/").json() == []
    assert client.get(f"/api/v1/plans/{qom_plan.id}/").status_code == 404
    assert client.get(f"/api/v1/plans/{qom_plan.id}/rollup/").status_code == 404


def test_anonymous_gets_401(client_for):
    assert client_for().get("/api/v1/plans/").status_code == 401


def test_rollup_by_hand(client_for, plan_with_figures):
    plan, g1, g2 = plan_with_figures
    p1 = 100 * 122 / 274  # a1: 122 of 274 days
    p2 = 100 * 61 / 121  # a2: 61 of 121 days
    # Effective weights: a1 1/4; a2 and a3 3/4 · 1/2 each.
    planned = 0.25 * p1 + 0.375 * p2
    actual = 0.25 * 30 + 0.375 * 47

    response = client_for(secretariat()).get(
        f"/api/v1/plans/{plan.id}/rollup/", {"as_of": "2026-08-01"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2026-08-01"
    assert body["as_of_jalali"] == "1405/05/10"
    assert body["planned"] == round(planned, 2)
    assert body["actual"] == round(actual, 2)
    assert body["gap"] == round(planned - actual, 2)
    # a1 last reported six working days ago (unreported), a2 yesterday; a3 not due yet.
    assert body["coverage"] == 50.0
    assert body["status_counts"] == {
        "done": 0, "not_due": 1, "stalled": 0, "critical": 0, "behind": 1, "on_track": 1,
    }  # fmt: skip
    assert body["axes"] == [
        {"number": 1, "title": "صنعت", "planned": round(p1, 2), "actual": 30.0,
         "gap": round(p1 - 30, 2)},
        {"number": 2, "title": "معدن", "planned": round(p2 / 2, 2), "actual": 23.5,
         "gap": round(p2 / 2 - 23.5, 2)},
    ]  # fmt: skip
    agencies = {row["id"]: row for row in body["agencies"]}
    assert agencies[g1.id] == {
        "id": g1.id, "name": "دستگاه یکم", "planned": round(p1, 2), "actual": 30.0,
        "gap": round(p1 - 30, 2),
    }  # fmt: skip
    assert agencies[g2.id]["planned"] == round(p2 / 2, 2)
    assert agencies[g2.id]["actual"] == 23.5


def test_rollup_takes_a_jalali_as_of_too(client_for, plan_with_figures):
    plan, _, _ = plan_with_figures
    body = (
        client_for(secretariat())
        .get(f"/api/v1/plans/{plan.id}/rollup/", {"as_of": "۱۴۰۵/۰۵/۱۰"})
        .json()
    )
    assert body["as_of"] == "2026-08-01"


def test_rollup_defaults_to_today(client_for, plan_with_figures):
    plan, _, _ = plan_with_figures
    body = client_for(secretariat()).get(f"/api/v1/plans/{plan.id}/rollup/").json()
    assert body["as_of"] == timezone.localdate().isoformat()


def test_a_bad_as_of_is_a_400(client_for, plan_with_figures):
    plan, _, _ = plan_with_figures
    response = client_for(secretariat()).get(
        f"/api/v1/plans/{plan.id}/rollup/", {"as_of": "2026-02-30"}
    )
    assert response.status_code == 400
    assert "as_of" in response.json()


def test_an_agency_user_sees_plan_figures_but_only_its_own_agency_row(
    client_for, plan_with_figures
):
    plan, g1, _ = plan_with_figures

    body = (
        client_for(reporter(g1))
        .get(f"/api/v1/plans/{plan.id}/rollup/", {"as_of": "2026-08-01"})
        .json()
    )

    assert body["planned"] == round(0.25 * 100 * 122 / 274 + 0.375 * 100 * 61 / 121, 2)
    assert [row["id"] for row in body["agencies"]] == [g1.id]


# --- communicate ---------------------------------------------------------------------------------


def _ready_draft() -> Plan:
    plan = PlanFactory()
    ActionFactory(axis=AxisFactory(plan=plan, number=1))
    return plan


def test_the_secretariat_communicates_a_draft(client_for):
    plan = _ready_draft()

    response = client_for(secretariat()).post(f"/api/v1/plans/{plan.id}/communicate/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "communicated"
    assert body["communicated_on"] == timezone.localdate().isoformat()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.COMMUNICATED and plan.baseline is not None


def test_communicating_twice_is_a_409(client_for):
    plan = communicated(_ready_draft())
    response = client_for(secretariat()).post(f"/api/v1/plans/{plan.id}/communicate/")
    assert response.status_code == 409
    assert response.json()["detail"]


def test_blocking_gaps_refuse_communication_with_400(client_for):
    plan = PlanFactory()
    ActionFactory(axis=AxisFactory(plan=plan, number=1), code="X-1", lead_agency=None)
    AxisFactory(plan=plan, number=2)  # no actions

    response = client_for(secretariat()).post(f"/api/v1/plans/{plan.id}/communicate/")

    assert response.status_code == 400
    gaps = response.json()["plan"]
    assert len(gaps) == 2
    assert any("X-1" in g for g in gaps)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


@pytest.mark.parametrize("role", [User.Role.GOVERNOR, User.Role.AUDITOR, User.Role.AGENCY_MANAGER])
def test_only_the_secretariat_communicates(client_for, role):
    plan = _ready_draft()
    user = UserFactory(role=role, agency=AgencyFactory() if role == "agency_manager" else None)

    response = client_for(user).post(f"/api/v1/plans/{plan.id}/communicate/")

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_communicating_an_unknown_plan_is_a_404(client_for):
    assert client_for(secretariat()).post("/api/v1/plans/999999/communicate/").status_code == 404
