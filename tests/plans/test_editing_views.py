"""Building a plan and communicating it: the secretariat's pages under /plans/…/edit/."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from ronagh.core.models import Province, User
from ronagh.plans.models import Action, Axis, Plan
from tests.factories import (
    YEAR,
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    UserFactory,
    communicated,
    manager,
    reporter,
    secretariat,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def sec(client):
    user = secretariat()
    client.force_login(user)
    return user


@pytest.fixture
def plan():
    return PlanFactory()


def edit_url(plan):
    return reverse("plans:plan_edit", args=[plan.pk])


# --- who may edit ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reporter", "manager", "governor", "auditor"])
def test_only_the_secretariat_may_build_a_plan(client, plan, who):
    agency = AgencyFactory()
    user = {
        "reporter": lambda: reporter(agency),
        "manager": lambda: manager(agency),
        "governor": lambda: UserFactory(role=User.Role.GOVERNOR),
        "auditor": lambda: UserFactory(role=User.Role.AUDITOR),
    }[who]()
    client.force_login(user)
    axis = AxisFactory(plan=plan)
    action = ActionFactory(axis=axis)
    urls = [
        reverse("plans:plan_create"),
        edit_url(plan),
        reverse("plans:axis_create", args=[plan.pk]),
        reverse("plans:axis_edit", args=[plan.pk, axis.pk]),
        reverse("plans:action_create", args=[plan.pk]),
        reverse("plans:action_edit", args=[plan.pk, action.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "x"}).status_code == 403, url
    assert client.post(reverse("plans:communicate", args=[plan.pk])).status_code == 403
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert Plan.objects.count() == 1 and Axis.objects.count() == 1


# --- creating a plan ---------------------------------------------------------------------------


def test_a_new_plan_defaults_to_the_users_province_and_this_jalali_year(client, sec):
    page = client.get(reverse("plans:plan_create")).content.decode()
    qom = Province.objects.get(code="qom")
    assert f'<option value="{qom.pk}" selected>' in page
    assert "Tehran" not in page and "تهران" not in page  # a provincial secretariat's own only


def test_creating_a_plan_with_persian_digits_makes_a_draft(client, sec):
    qom = Province.objects.get(code="qom")
    response = client.post(
        reverse("plans:plan_create"),
        {"province": qom.pk, "year": "۱۴۰۶", "title": "برنامه رونق تولید ۱۴۰۶"},
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == edit_url(plan)
    assert plan.year == 1406 and plan.status == Plan.Status.DRAFT


def test_a_second_plan_for_the_same_year_is_refused(client, sec, plan):
    response = client.post(
        reverse("plans:plan_create"),
        {"province": plan.province_id, "year": str(YEAR), "title": "دوباره"},
    )
    assert response.status_code == 400
    assert "already has a plan for that year" in response.content.decode()
    assert Plan.objects.count() == 1


# --- axes and actions --------------------------------------------------------------------------


def test_adding_an_axis(client, sec, plan):
    url = reverse("plans:axis_create", args=[plan.pk])
    assert 'value="1"' in client.get(url).content.decode()  # the next number
    response = client.post(url, {"number": "۱", "title": "تأمین مالی", "weight": "۲٫۵"})
    assert response.status_code == 302
    axis = Axis.objects.get()
    assert (axis.number, axis.title, axis.weight) == (1, "تأمین مالی", Decimal("2.5"))


def test_an_axis_number_is_unique_in_the_plan(client, sec, plan):
    AxisFactory(plan=plan, number=1)
    response = client.post(
        reverse("plans:axis_create", args=[plan.pk]), {"number": "1", "title": "دوم", "weight": "1"}
    )
    assert response.status_code == 400
    assert "Another axis already has this number." in response.content.decode()


def test_adding_an_action_with_jalali_dates_partners_and_milestones(client, sec, plan):
    axis = AxisFactory(plan=plan)
    lead, partner = AgencyFactory(), AgencyFactory()
    page = client.get(reverse("plans:action_create", args=[plan.pk])).content.decode()
    assert "data-jdp" in page
    response = client.post(
        reverse("plans:action_create", args=[plan.pk]),
        {
            "axis": axis.pk,
            "code": "۱-۱",
            "title": "تسهیل صدور مجوز",
            "description": "",
            "lead_agency": lead.pk,
            "partners": [partner.pk, lead.pk],
            "weight": "2",
            "start": "۱۴۰۵/۰۲/۰۱",
            "end": "1405/9/30",
            "indicator": "تعداد مجوز",
            "target": "۱٬۲۰۰",
            "unit": "فقره",
            "milestones": "1405/04/01 25\n\n۱۴۰۵/۰۷/۰۱  ۶۰٪",
        },
    )
    assert response.status_code == 302, response.content.decode()
    action = Action.objects.get()
    assert action.start == dt.date(2026, 4, 21) and action.end == dt.date(2026, 12, 21)
    assert action.lead_agency == lead
    assert list(action.partners.all()) == [partner]  # the lead is not its own partner
    assert action.target == Decimal("1200")
    assert [(m.date, m.percent) for m in action.milestones.all()] == [
        (dt.date(2026, 6, 22), Decimal("25")),
        (dt.date(2026, 9, 23), Decimal("60")),
    ]


def test_editing_an_action_shows_its_values_in_jalali(client, sec, plan):
    action = ActionFactory(axis=AxisFactory(plan=plan), code="Q-7")
    action.milestones.create(date=dt.date(2026, 6, 22), percent=25)
    page = client.get(reverse("plans:action_edit", args=[plan.pk, action.pk])).content.decode()
    assert 'value="1405/01/12"' in page  # start 2026-04-01
    assert 'value="1405/10/10"' in page  # end 2026-12-31
    assert "1405/04/01 25" in page


def test_an_action_ending_before_it_starts_is_refused_on_the_end_field(client, sec, plan):
    axis = AxisFactory(plan=plan)
    response = client.post(
        reverse("plans:action_create", args=[plan.pk]),
        {
            "axis": axis.pk,
            "code": "A",
            "title": "t",
            "weight": "1",
            "start": "1405/05/01",
            "end": "1405/04/01",
        },
    )
    assert response.status_code == 400
    assert "is before the start date" in response.content.decode()
    assert not Action.objects.exists()


def test_an_unreadable_milestone_line_is_named(client, sec, plan):
    axis = AxisFactory(plan=plan)
    response = client.post(
        reverse("plans:action_create", args=[plan.pk]),
        {
            "axis": axis.pk,
            "code": "A",
            "title": "t",
            "weight": "1",
            "milestones": "1405/04/01 25\nسی درصد",
        },
    )
    assert response.status_code == 400
    assert "Line 2" in response.content.decode()
    assert not Action.objects.exists()


# --- quality check and communication -----------------------------------------------------------


def test_the_edit_page_lists_blocking_gaps_and_disables_communication(client, sec, plan):
    axis = AxisFactory(plan=plan)
    ActionFactory(axis=axis, code="NL-1", lead_agency=None)
    ActionFactory(axis=axis, code="NI-1", indicator="")
    page = client.get(edit_url(plan)).content.decode()
    assert "Action NL-1 has no lead agency." in page
    assert "Action NI-1 has no indicator or target." in page
    assert "list-group-item-danger" in page and "list-group-item-warning" in page
    assert 'disabled aria-disabled="true">Communicate' in page


def test_communicating_with_blocking_gaps_is_refused_and_shows_them(client, sec, plan):
    ActionFactory(axis=AxisFactory(plan=plan), code="NL-1", lead_agency=None)
    response = client.post(reverse("plans:communicate", args=[plan.pk]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be communicated" in page and "Action NL-1 has no lead agency." in page
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_communicating_a_clean_plan(client, sec, plan):
    action = ActionFactory(axis=AxisFactory(plan=plan))
    page = client.get(edit_url(plan)).content.decode()
    assert 'disabled aria-disabled="true">Communicate' not in page
    response = client.post(reverse("plans:communicate", args=[plan.pk]), follow=True)
    assert "The plan has been communicated." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.COMMUNICATED and plan.communicated_by == sec
    assert action.code in plan.baseline["actions"]
    # Now read-only, with its communication date.
    page = client.get(edit_url(plan)).content.decode()
    assert "Communicated on" in page and "re-planning" in page
    assert reverse("plans:action_edit", args=[plan.pk, action.pk]) not in page


def test_communicating_twice_says_why(client, sec, plan):
    communicated(plan)
    response = client.post(reverse("plans:communicate", args=[plan.pk]), follow=True)
    assert "Only a draft plan can be communicated." in response.content.decode()


def test_communicate_takes_post_only(client, sec, plan):
    assert client.get(reverse("plans:communicate", args=[plan.pk])).status_code == 405


def test_a_communicated_plans_actions_cannot_be_edited(client, sec, plan):
    action = ActionFactory(axis=AxisFactory(plan=plan), title="پیش از ابلاغ")
    communicated(plan)
    url = reverse("plans:action_edit", args=[plan.pk, action.pk])
    response = client.post(
        url, {"axis": action.axis_id, "code": action.code, "title": "پس از", "weight": "1"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "پیش از ابلاغ"
    assert "re-planning" in client.get(edit_url(plan)).content.decode()


def test_another_provinces_plan_is_not_found(client, sec):
    tehran = Province.objects.get(code="tehran")
    other = PlanFactory(province=tehran)
    assert client.get(edit_url(other)).status_code == 404
