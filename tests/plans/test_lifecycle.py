"""A plan after it is built: communication notifies the agencies, each agency acknowledges it
once, re-planning is requested and decided with reasons, and the baseline stays as communicated
(SPEC 4.1, 4.2). Services first, then the pages."""

import datetime as dt
import types
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from ronagh.core.errors import Conflict
from ronagh.core.models import User
from ronagh.plans import notices, selectors, services
from ronagh.plans.baseline import baseline_plan_data, schedule_history
from ronagh.plans.figures import plan_data
from ronagh.plans.models import Acknowledgement, Milestone, Plan, ReplanRequest, Revision
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    UserFactory,
    manager,
    reporter,
    secretariat,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Users are made in every test; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


COMMUNICATED_ON = dt.date(2026, 3, 25)
MID_JULY = dt.date(2026, 7, 15)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def notifier(monkeypatch):
    """Records calls of plans.notices.plan_communicated, the notice communication sends."""
    calls = []

    def fake(*, plan):
        calls.append(plan.pk)

    monkeypatch.setattr(notices, "plan_communicated", fake)
    return calls


@pytest.fixture
def world(notifier):
    """A plan of two axes communicated on 1405/01/05: A-1 (industry leads, tax partners, 1 April
    to 30 Sep with a milestone of 30 % on 1 June) and A-2 (tax leads)."""
    sec = secretariat()
    industry, tax, other = (
        AgencyFactory(name="صنعت"),
        AgencyFactory(name="مالیات"),
        AgencyFactory(name="بیکار"),
    )
    plan = PlanFactory()
    ax1, ax2 = AxisFactory(plan=plan, number=1), AxisFactory(plan=plan, number=2)
    a1 = ActionFactory(
        axis=ax1, code="A-1", lead_agency=industry, start=dt.date(2026, 4, 1),
        end=dt.date(2026, 9, 30), weight=2, target=50,
    )  # fmt: skip
    a1.partners.add(tax)
    Milestone.objects.create(action=a1, date=dt.date(2026, 6, 1), percent=30)
    a2 = ActionFactory(axis=ax2, code="A-2", lead_agency=tax)
    services.communicate_plan(actor=sec, plan=plan, today=COMMUNICATED_ON)
    plan.refresh_from_db()
    return types.SimpleNamespace(
        sec=sec, plan=plan, a1=a1, a2=a2, industry=industry, tax=tax, other=other
    )


def replan(world, actor=None, **kw):
    args = {
        "actor": actor or reporter(world.industry),
        "action": world.a1,
        "start": dt.date(2026, 5, 1),
        "end": dt.date(2026, 12, 31),
        "reason": "تأخیر در تأمین اعتبار",
    }
    args.update(kw)
    return services.request_replan(**args)


# --- communication notifies the agencies -------------------------------------------------------


def test_communication_notifies_once_after_the_commit(notifier, django_capture_on_commit_callbacks):
    plan = ActionFactory().plan
    with django_capture_on_commit_callbacks(execute=True):
        services.communicate_plan(actor=secretariat(), plan=plan)
    assert notifier == [plan.pk]


def test_a_refused_communication_notifies_nobody(notifier, django_capture_on_commit_callbacks):
    plan = ActionFactory(lead_agency=None).plan  # a blocking gap
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.communicate_plan(actor=secretariat(), plan=plan)
    assert notifier == []


def test_a_failing_notifier_does_not_undo_the_communication(
    monkeypatch, notifier, django_capture_on_commit_callbacks
):
    def broken(*, plan):
        raise RuntimeError("SMS gateway down")

    monkeypatch.setattr(notices, "plan_communicated", broken)
    plan = ActionFactory().plan
    with django_capture_on_commit_callbacks(execute=True):
        services.communicate_plan(actor=secretariat(), plan=plan)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.COMMUNICATED


# --- acknowledgement ---------------------------------------------------------------------------


def test_each_agency_acknowledges_once(world):
    first = reporter(world.industry, first_name="زهرا", last_name="رضایی")
    ack = services.acknowledge_plan(actor=first, plan=world.plan)
    assert (ack.agency, ack.acknowledged_by) == (world.industry, first)
    with pytest.raises(Conflict) as exc:
        services.acknowledge_plan(actor=manager(world.industry), plan=world.plan)
    assert "already acknowledged" in str(exc.value) and "زهرا رضایی" in str(exc.value)
    assert Acknowledgement.objects.count() == 1


def test_a_partner_agency_acknowledges_too(world):
    services.acknowledge_plan(actor=manager(world.tax), plan=world.plan)
    assert Acknowledgement.objects.filter(agency=world.tax).exists()


def test_an_agency_without_actions_in_the_plan_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.acknowledge_plan(actor=reporter(world.other), plan=world.plan)
    assert not Acknowledgement.objects.exists()


@pytest.mark.parametrize("role", [User.Role.SECRETARIAT, User.Role.GOVERNOR, User.Role.AUDITOR])
def test_only_agency_users_acknowledge(world, role):
    with pytest.raises(PermissionDenied):
        services.acknowledge_plan(actor=UserFactory(role=role), plan=world.plan)


def test_a_draft_plan_is_not_acknowledged():
    action = ActionFactory()
    with pytest.raises(Conflict):
        services.acknowledge_plan(actor=reporter(action.lead_agency), plan=action.plan)


def test_plans_awaiting_acknowledgement_drop_out_once_acknowledged(world):
    user = reporter(world.industry)
    assert selectors.plans_awaiting_acknowledgement(user) == [world.plan]
    assert selectors.plans_awaiting_acknowledgement(reporter(world.other)) == []
    assert selectors.plans_awaiting_acknowledgement(world.sec) == []
    services.acknowledge_plan(actor=user, plan=world.plan)
    assert selectors.plans_awaiting_acknowledgement(user) == []


def test_the_banner_links_to_the_acknowledgement_page(world):
    user = reporter(world.industry)
    html = render_to_string(
        "plans/_ack_banner.html",
        {"pending_acknowledgements": selectors.plans_awaiting_acknowledgement(user)},
    )
    assert world.plan.title in html
    assert reverse("plans:acknowledge", args=[world.plan.pk]) in html


def test_acknowledgement_page_shows_the_agencys_actions_and_records_receipt(client, world):
    user = reporter(world.tax)
    client.force_login(user)
    url = reverse("plans:acknowledge", args=[world.plan.pk])
    page = client.get(url).content.decode()
    assert "A-1" in page and "A-2" in page and "Acknowledge receipt" in page
    response = client.post(url, follow=True)
    assert "acknowledgement of the plan was recorded" in response.content.decode()
    again = client.post(url, follow=True).content.decode()
    assert "already acknowledged" in again
    assert Acknowledgement.objects.filter(plan=world.plan, agency=world.tax).count() == 1


def test_acknowledgement_page_refuses_an_agency_without_actions(client, world):
    client.force_login(reporter(world.other))
    url = reverse("plans:acknowledge", args=[world.plan.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not Acknowledgement.objects.exists()


def test_communication_page_lists_each_agency_with_its_acknowledgement(client, world):
    services.acknowledge_plan(
        actor=reporter(world.industry, first_name="علی", last_name="کریمی"), plan=world.plan
    )
    client.force_login(world.sec)
    page = client.get(reverse("plans:communication", args=[world.plan.pk])).content.decode()
    assert "صنعت" in page and "مالیات" in page and "بیکار" not in page
    assert "علی کریمی" in page and "Not yet" in page
    assert "1 of 2 agencies have acknowledged" in page


def test_an_agency_user_sees_only_its_own_row_of_the_communication_page(client, world):
    client.force_login(reporter(world.tax))
    page = client.get(reverse("plans:communication", args=[world.plan.pk])).content.decode()
    assert "مالیات" in page and "صنعت" not in page


# --- re-planning: the request ------------------------------------------------------------------


def test_the_lead_agency_requests_re_planning_with_a_reason(world):
    request = replan(world, weight="3", milestones=[(dt.date(2026, 8, 1), "40")])
    assert request.status == ReplanRequest.Status.PENDING
    assert (request.new_start, request.new_end) == (dt.date(2026, 5, 1), dt.date(2026, 12, 31))
    assert request.new_weight == Decimal("3") and request.new_target == Decimal("50")
    assert request.new_milestones == [["2026-08-01", "40.0"]]
    world.a1.refresh_from_db()
    assert world.a1.start == dt.date(2026, 4, 1)  # nothing changes before the decision


def test_the_secretariat_may_request_re_planning(world):
    assert replan(world, actor=world.sec).requested_by == world.sec


@pytest.mark.parametrize("who", ["partner", "stranger", "governor", "auditor"])
def test_others_may_not_request_re_planning(world, who):
    actor = {
        "partner": lambda: reporter(world.tax),
        "stranger": lambda: manager(world.other),
        "governor": lambda: UserFactory(role=User.Role.GOVERNOR),
        "auditor": lambda: UserFactory(role=User.Role.AUDITOR),
    }[who]()
    with pytest.raises(PermissionDenied):
        replan(world, actor=actor)
    assert not ReplanRequest.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"end": dt.date(2026, 4, 1)}, "end"),
        ({"start": None}, "start"),
        ({"weight": "0"}, "weight"),
        ({"weight": "abc"}, "weight"),
        ({"target": "many"}, "target"),
        ({"end": dt.date(2027, 4, 1)}, "end"),  # past the plan year (ends 2027-03-20)
        ({"milestones": [(dt.date(2026, 4, 1), "20")]}, "milestones"),  # before the new start
        ({"milestones": [(dt.date(2026, 8, 1), "120")]}, "milestones"),
        ({"milestones": [(dt.date(2026, 8, 1), "12.25")]}, "milestones"),
    ],
)
def test_a_bad_request_is_refused_with_a_message_per_field(world, changes, field):
    with pytest.raises(ValidationError) as exc:
        replan(world, **changes)
    assert field in exc.value.message_dict
    assert not ReplanRequest.objects.exists()


def test_a_request_that_changes_nothing_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        replan(world, start=world.a1.start, end=world.a1.end)
    assert "changes nothing" in " ".join(exc.value.messages)


def test_a_draft_is_edited_not_re_planned():
    action = ActionFactory()
    with pytest.raises(Conflict):
        services.request_replan(
            actor=secretariat(), action=action, start=action.start, end=dt.date(2026, 12, 1),
            reason="x",
        )  # fmt: skip


def test_one_request_at_a_time_per_action(world):
    replan(world)
    with pytest.raises(Conflict):
        replan(world, end=dt.date(2026, 11, 30))
    assert ReplanRequest.objects.count() == 1


# --- re-planning: the decision -----------------------------------------------------------------


def test_approval_changes_the_live_schedule_and_keeps_the_baseline(world):
    baseline_before = dict(world.plan.baseline)
    live_before = plan_data(world.plan)
    p_before = live_before.figures(MID_JULY)[world.a1.id].planned
    request = replan(world, weight="4", target="80", milestones=[])

    services.decide_replan(actor=world.sec, request=request, approve=True, reason="موجه است")

    request.refresh_from_db()
    assert request.status == ReplanRequest.Status.APPROVED
    assert request.decided_by == world.sec and request.decision_reason == "موجه است"
    a1 = world.a1
    a1.refresh_from_db()
    assert (a1.start, a1.end) == (dt.date(2026, 5, 1), dt.date(2026, 12, 31))
    assert a1.weight == 4 and a1.target == 80 and not a1.milestones.exists()
    # Live figures use the approved schedule: 1 May → 31 Dec is 244 days, 15 July is day 75.
    live = plan_data(world.plan)
    assert live.figures(MID_JULY)[a1.id].planned == pytest.approx(100 * 75 / 244)
    assert live.weights[a1.id] == pytest.approx(0.5)  # alone on its axis: weight is irrelevant
    # The baseline keeps the communicated schedule: 1 April → 30 Sep through 30 % on 1 June.
    original = baseline_plan_data(world.plan)
    assert original.figures(MID_JULY)[a1.id].planned == pytest.approx(p_before)
    assert p_before == pytest.approx(30 + 70 * 44 / 121)
    assert original.inputs[a1.id].start == dt.date(2026, 4, 1)
    world.plan.refresh_from_db()
    assert world.plan.baseline == baseline_before
    # The revision keeps both schedules.
    revision = Revision.objects.get()
    assert revision.request == request and revision.action == a1
    assert revision.before["start"] == "2026-04-01"
    assert revision.before["milestones"] == [["2026-06-01", "30.0"]]
    assert revision.after["start"] == "2026-05-01" and revision.after["weight"] == "4.000"
    assert revision.after["target"] == "80.00" and revision.after["milestones"] == []


def test_baseline_plan_data_uses_the_baseline_weights_in_the_rollup(world):
    # A-1 shares its axis with A-3 (weight 1); re-weighting A-1 from 2 to 6 moves its share.
    plan = PlanFactory(year=1406, title="دیگر")
    axis = AxisFactory(plan=plan, number=1)
    a = ActionFactory(axis=axis, lead_agency=world.industry, weight=2,
                      start=dt.date(2027, 4, 1), end=dt.date(2027, 9, 30))  # fmt: skip
    ActionFactory(axis=axis, lead_agency=world.industry, weight=1,
                  start=dt.date(2027, 4, 1), end=dt.date(2027, 9, 30))  # fmt: skip
    services.communicate_plan(actor=world.sec, plan=plan)
    request = services.request_replan(
        actor=world.sec, action=a, start=a.start, end=a.end, weight=6, reason="اهمیت بیشتر"
    )
    services.decide_replan(actor=world.sec, request=request, approve=True, reason="تأیید")
    assert plan_data(plan).weights[a.id] == pytest.approx(6 / 7)
    assert baseline_plan_data(plan).weights[a.id] == pytest.approx(2 / 3)


def test_rejection_keeps_the_schedule_and_stores_no_revision(world):
    request = replan(world)
    services.decide_replan(actor=world.sec, request=request, approve=False, reason="بی‌دلیل")
    request.refresh_from_db()
    assert request.status == ReplanRequest.Status.REJECTED
    world.a1.refresh_from_db()
    assert world.a1.start == dt.date(2026, 4, 1)
    assert not Revision.objects.exists()


def test_a_decision_needs_a_reason(world):
    request = replan(world)
    with pytest.raises(ValidationError) as exc:
        services.decide_replan(actor=world.sec, request=request, approve=True, reason=" ")
    assert "reason" in exc.value.message_dict
    request.refresh_from_db()
    assert request.status == ReplanRequest.Status.PENDING
    world.a1.refresh_from_db()
    assert world.a1.start == dt.date(2026, 4, 1)


@pytest.mark.parametrize("who", ["lead manager", "governor"])
def test_only_the_secretariat_decides(world, who):
    request = replan(world)
    actor = manager(world.industry) if who == "lead manager" else UserFactory(role="governor")
    with pytest.raises(PermissionDenied):
        services.decide_replan(actor=actor, request=request, approve=True, reason="خودم")
    request.refresh_from_db()
    assert request.status == ReplanRequest.Status.PENDING


def test_a_request_is_decided_once(world):
    request = replan(world)
    services.decide_replan(actor=world.sec, request=request, approve=False, reason="نه")
    with pytest.raises(Conflict):
        services.decide_replan(actor=world.sec, request=request, approve=True, reason="بله")
    assert not Revision.objects.exists()


# --- re-planning pages -------------------------------------------------------------------------


def test_reporter_sends_a_request_from_the_form(client, world):
    client.force_login(reporter(world.industry))
    url = reverse("plans:replan_request", args=[world.a1.pk])
    page = client.get(url).content.decode()
    assert "1405/01/12" in page  # the current start, 1 April 2026, in the form
    response = client.post(
        url,
        {"start": "۱۴۰۵/۰۲/۱۱", "end": "1405/10/10", "weight": "2", "target": "50",
         "milestones": "", "reason": "کمبود بودجه"},
    )  # fmt: skip
    assert response.status_code == 302
    request = ReplanRequest.objects.get()
    assert request.new_start == dt.date(2026, 5, 1) and request.reason == "کمبود بودجه"


def test_the_form_shows_service_errors_and_saves_nothing(client, world):
    client.force_login(reporter(world.industry))
    response = client.post(
        reverse("plans:replan_request", args=[world.a1.pk]),
        {"start": "1405/06/01", "end": "1405/03/01", "weight": "2", "reason": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required" in page  # the reason
    assert not ReplanRequest.objects.exists()


def test_a_partner_gets_403_on_the_request_form(client, world):
    client.force_login(reporter(world.tax))
    assert client.get(reverse("plans:replan_request", args=[world.a1.pk])).status_code == 403


def test_secretariat_approves_from_the_list_with_a_reason(client, world):
    request = replan(world)
    client.force_login(world.sec)
    page = client.get(reverse("plans:replan_list")).content.decode()
    assert "A-1" in page and "تأخیر در تأمین اعتبار" in page and "Approve" in page
    decide = reverse("plans:replan_decide", args=[request.pk])
    refused = client.post(decide, {"decision": "approve", "reason": ""})
    assert refused.status_code == 400
    world.a1.refresh_from_db()
    assert world.a1.start == dt.date(2026, 4, 1)
    response = client.post(decide, {"decision": "approve", "reason": "پذیرفته شد"}, follow=True)
    assert "now follows the new schedule" in response.content.decode()
    world.a1.refresh_from_db()
    assert world.a1.start == dt.date(2026, 5, 1)


def test_an_agency_user_may_not_decide(client, world):
    request = replan(world)
    client.force_login(manager(world.industry))
    response = client.post(
        reverse("plans:replan_decide", args=[request.pk]),
        {"decision": "approve", "reason": "خودم"},
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == ReplanRequest.Status.PENDING


def test_another_agency_does_not_see_the_request(client, world):
    request = replan(world)
    client.force_login(reporter(world.other))
    assert client.get(reverse("plans:replan_detail", args=[request.pk])).status_code == 404
    assert "A-1" not in client.get(reverse("plans:replan_list")).content.decode()


def test_the_revisions_partial_shows_original_and_revised_schedules(world):
    request = replan(world)
    services.decide_replan(actor=world.sec, request=request, approve=True, reason="پذیرفته شد")
    world.a1.refresh_from_db()
    history = schedule_history(world.a1)
    assert history.baseline.start == dt.date(2026, 4, 1)
    assert history.current.start == dt.date(2026, 5, 1)
    html = render_to_string(
        "plans/_revisions.html",
        {"schedule": history, "action": world.a1, "plan": world.plan, "user": world.sec},
    )
    assert "1405/01/12" in html and "1405/02/11" in html  # 1 April and 1 May 2026
    assert "As communicated" in html and "approved revision" in html
    assert "تأخیر در تأمین اعتبار" in html and "پذیرفته شد" in html


# --- the quality check page --------------------------------------------------------------------


def test_quality_page_groups_the_gaps_with_links_to_fix_them(client):
    plan = PlanFactory()
    axis = AxisFactory(plan=plan, number=1)
    no_lead = ActionFactory(axis=axis, code="X-1", lead_agency=None)
    ActionFactory(axis=axis, code="X-2", indicator="")
    empty = AxisFactory(plan=plan, number=7)
    idle = AgencyFactory(name="سازمان بی‌کار")
    client.force_login(secretariat())
    page = client.get(reverse("plans:quality", args=[plan.pk])).content.decode()
    assert "Actions without a lead agency" in page and "Axes without actions" in page
    assert "Actions without an indicator or target" in page
    assert reverse("plans:action_edit", args=[plan.pk, no_lead.pk]) in page
    assert reverse("plans:axis_edit", args=[plan.pk, empty.pk]) in page
    assert reverse("admin:core_agency_change", args=[idle.pk]) in page
    assert page.index("Actions without a lead agency") < page.index(
        "Actions without an indicator or target"
    )  # blocking kinds first
    assert "disabled" in page  # the communicate button


def test_quality_page_is_for_the_secretariat(client):
    plan = ActionFactory().plan
    client.force_login(UserFactory(role=User.Role.GOVERNOR))
    assert client.get(reverse("plans:quality", args=[plan.pk])).status_code == 403


def test_communication_page_shows_who_was_notified(client, django_capture_on_commit_callbacks):
    sec = secretariat()
    industry, tax = AgencyFactory(name="صنعت"), AgencyFactory(name="مالیات")
    reporter(industry)
    manager(industry)
    action = ActionFactory(lead_agency=industry)
    action.partners.add(tax)  # tax has no user: nobody to tell
    with django_capture_on_commit_callbacks(execute=True):
        services.communicate_plan(actor=sec, plan=action.plan)
    client.force_login(sec)
    page = client.get(reverse("plans:communication", args=[action.plan.pk])).content.decode()
    assert "2 people" in page
    assert "No notice sent" in page
