"""The national view (SPEC 7 `GET /api/v1/national/`, SPEC 9): every province side by side,
each row the same figures as that province's own rollup, for the national viewers only."""

import datetime as dt
import random

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ronagh.core.models import Province, User
from ronagh.core.services import ensure_provinces
from ronagh.obstacles.models import Obstacle
from ronagh.plans import rollup
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    UserFactory,
    add_report,
    communicated,
)

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 9, 1)


def national_viewer(role=User.Role.AUDITOR) -> User:
    return UserFactory(role=role, province=None)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def build_province(code: str, rnd: random.Random, *, communicate=True):
    """A plan of two axes and a few actions in province `code`, with random reports."""
    province = Province.objects.get(code=code)
    plan = PlanFactory(province=province)
    if communicate:
        communicated(plan)
    for number in (1, 2):
        axis = AxisFactory(plan=plan, number=number, weight=rnd.choice([1, 2, 3]))
        for _ in range(rnd.randint(1, 4)):
            start = dt.date(2026, 4, 1) + dt.timedelta(days=rnd.randint(0, 120))
            action = ActionFactory(
                axis=axis,
                lead_agency=AgencyFactory(province=province),
                start=start,
                end=start + dt.timedelta(days=rnd.randint(30, 200)),
                weight=rnd.randint(1, 5),
            )
            value = 0
            for k in range(rnd.randint(0, 6)):
                value = min(100, value + rnd.randint(0, 30))
                add_report(action, start + dt.timedelta(days=7 * k), value)
    return plan


@pytest.fixture
def country():
    ensure_provinces()
    rnd = random.Random(9)
    plans = {code: build_province(code, rnd) for code in ("qom", "tehran", "fars")}
    build_province("gilan", rnd, communicate=False)  # a draft judges no one
    return plans


def test_every_province_has_a_row_and_each_row_is_that_provinces_rollup(country):
    viewer = national_viewer()
    body = api(viewer).get("/api/v1/national/", {"as_of": AS_OF.isoformat()}).json()
    assert body["as_of"] == AS_OF.isoformat()
    rows = {r["code"]: r for r in body["provinces"]}
    assert len(rows) == Province.objects.count() == 31
    for code, plan in country.items():
        own = api(viewer).get(f"/api/v1/plans/{plan.pk}/rollup/", {"as_of": AS_OF.isoformat()})
        own = own.json()
        row = rows[code]
        assert row["plan"] == plan.pk
        for key in ("planned", "actual", "gap", "coverage", "status_counts"):
            assert row[key] == own[key], (code, key)
    for code in ("gilan", "yazd"):
        row = rows[code]
        assert row["plan"] is None
        assert row["planned"] is row["actual"] is row["gap"] is row["status_counts"] is None


def test_a_row_is_the_spec_computation_of_its_reports(country):
    """SPEC 4.3 by hand-rolled pure functions over the whole history (rollup.py's reference)."""
    from ronagh.plans.figures import plan_data
    from ronagh.plans.models import ProgressReport

    body = api(national_viewer()).get("/api/v1/national/", {"as_of": AS_OF.isoformat()}).json()
    rows = {r["code"]: r for r in body["provinces"]}
    for code, plan in country.items():
        data = plan_data(plan)
        items = []
        for i, inp in data.inputs.items():
            reports = ProgressReport.objects.effective().filter(action_id=i).order_by("date", "id")
            full = rollup.ActionInput(
                **{
                    **inp.__dict__,
                    "reports": tuple((r.date, float(r.percent)) for r in reports),
                    "report_dates": tuple(r.date for r in reports),
                }
            )
            items.append((full, rollup.figures(full, AS_OF, data.calendar, data.thresholds)))
        want = rollup.rollup(items, data.weights, AS_OF)
        assert rows[code]["planned"] == round(want.planned, 2)
        assert rows[code]["actual"] == round(want.actual, 2)
        assert rows[code]["status_counts"] == want.status_counts


def obstacle(province, registered_on, **kw) -> Obstacle:
    return Obstacle.objects.create(
        province=province,
        category=Obstacle.Category.values[0],
        title="مانع آزمایشی",
        severity=2,
        registered_on=registered_on,
        registered_by=UserFactory(province=province),
        **kw,
    )


def test_open_and_overdue_obstacles_and_the_as_of_date(country):
    tehran = Province.objects.get(code="tehran")
    agency = AgencyFactory(province=tehran)
    obstacle(tehran, dt.date(2026, 5, 1))
    obstacle(
        tehran,
        dt.date(2026, 5, 1),
        status=Obstacle.Status.ASSIGNED,
        responsible_agency=agency,
        due_date=dt.date(2026, 6, 1),
    )
    obstacle(tehran, dt.date(2026, 10, 1))  # after the date
    body = api(national_viewer()).get("/api/v1/national/", {"as_of": AS_OF.isoformat()}).json()
    row = next(r for r in body["provinces"] if r["code"] == "tehran")
    assert (row["obstacles_open"], row["obstacles_overdue"]) == (2, 1)


@pytest.mark.parametrize(
    "make",
    [
        lambda: UserFactory(role=User.Role.SECRETARIAT),  # Qom's secretariat
        lambda: UserFactory(role=User.Role.GOVERNOR),  # Qom's governor
        lambda: UserFactory(role=User.Role.AGENCY_REPORTER, agency=AgencyFactory()),
    ],
)
def test_only_national_viewers_see_it(country, make):
    user = make()
    assert api(user).get("/api/v1/national/").status_code == 403
    client = __import__("django.test", fromlist=["Client"]).Client()
    client.force_login(user)
    assert client.get(reverse("national:national")).status_code == 403


@pytest.mark.parametrize("role", [User.Role.GOVERNOR, User.Role.AUDITOR, User.Role.SECRETARIAT])
def test_the_national_viewers_land_on_the_page_and_see_every_province(country, client, role):
    user = national_viewer(role)
    client.force_login(user)
    assert client.get("/").url == reverse("national:national")
    page = client.get(reverse("national:national"), {"as_of": "1405/06/10"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "استان‌ها در کنار هم" in html
    for plan in country.values():
        assert reverse("plans:plan_dashboard", args=[plan.pk]) + "?as_of=1405%2F06%2F10" in html
    assert html.count('class="label-cell"') == 31
    assert "chart-national" in html


def test_an_absurd_date_is_clamped_and_a_bad_one_refused(country):
    client = api(national_viewer())
    assert client.get("/api/v1/national/", {"as_of": "9999-01-01"}).status_code == 200
    assert client.get("/api/v1/national/", {"as_of": "فردا"}).status_code == 400
