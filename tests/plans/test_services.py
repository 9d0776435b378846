"""The write rules of plans/services.py: reporting progress (SPEC 4.2) and building and
communicating a plan (SPEC 4.1)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ronagh.core.errors import Conflict
from ronagh.core.models import Holiday, User
from ronagh.lib.digits import to_latin
from ronagh.plans import selectors, services
from ronagh.plans.figures import plan_data
from ronagh.plans.models import Plan, ProgressReport
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

WED = dt.date(2026, 6, 3)  # 1405/03/13, a Wednesday; Friday 2026-06-05 is the weekend
TUE = WED - dt.timedelta(days=1)
THU, FRI, SAT, SUN, MON = (WED + dt.timedelta(days=i) for i in range(1, 6))


@pytest.fixture
def action():
    plan = communicated(PlanFactory())
    return ActionFactory(axis=AxisFactory(plan=plan))


def report(actor, action, date=WED, percent=10, today=WED, **kw):
    return services.report_progress(
        actor=actor, action=action, date=date, percent=percent, today=today, **kw
    )


# --- dates and the reporting window ------------------------------------------------------------


def test_a_report_dated_in_the_future_is_refused(action):
    with pytest.raises(ValidationError) as exc:
        report(reporter(action.lead_agency), action, date=THU, today=WED)
    assert "date" in exc.value.message_dict
    assert not ProgressReport.objects.exists()


def test_reporter_may_report_a_day_until_the_third_working_day_after_it_fridays_skipped(action):
    user = reporter(action.lead_agency)
    # Wednesday's window: Thursday, (Friday skipped), Saturday, Sunday.
    assert services.reporting_deadline(WED) == SUN
    saved = report(user, action, date=WED, today=SUN)
    assert saved.late is False and saved.entered_by_secretariat is False


def test_reporter_past_the_window_gets_permission_denied_naming_the_date(action):
    with pytest.raises(PermissionDenied) as exc:
        report(reporter(action.lead_agency), action, date=WED, today=MON)
    assert "1405/03/13" in to_latin(str(exc.value))
    assert not ProgressReport.objects.exists()


def test_a_holiday_in_the_window_is_skipped(action):
    Holiday.objects.create(date=SAT, title="تعطیل")
    assert services.reporting_deadline(WED) == MON
    assert report(reporter(action.lead_agency), action, date=WED, today=MON).late is False


def test_secretariat_may_enter_a_report_after_the_window_marked_late(action):
    saved = report(secretariat(), action, date=WED, today=MON + dt.timedelta(days=10))
    assert saved.late is True
    assert saved.entered_by_secretariat is True
    assert saved.agency == action.lead_agency


def test_secretariat_report_inside_the_window_is_not_late(action):
    saved = report(secretariat(), action, date=WED, today=WED)
    assert saved.late is False and saved.entered_by_secretariat is True


def test_reporter_may_not_report_a_date_before_communication(action):
    plan = communicated(action.plan, on=WED)
    with pytest.raises(PermissionDenied):
        report(
            reporter(action.lead_agency),
            action,
            date=plan.communicated_on - dt.timedelta(days=1),
            today=WED,
        )


def test_a_draft_plan_takes_no_reports():
    action = ActionFactory()
    assert action.plan.status == Plan.Status.DRAFT
    with pytest.raises(ValidationError):
        report(reporter(action.lead_agency), action)
    with pytest.raises(ValidationError):
        report(secretariat(), action)
    assert not ProgressReport.objects.exists()


# --- values ------------------------------------------------------------------------------------


def test_percent_with_two_decimals_is_refused(action):
    with pytest.raises(ValidationError) as exc:
        report(reporter(action.lead_agency), action, percent="42.25")
    assert "percent" in exc.value.message_dict


def test_percent_outside_0_to_100_is_refused(action):
    for value in ("100.5", "-1", "abc"):
        with pytest.raises(ValidationError):
            report(reporter(action.lead_agency), action, percent=value)
    assert not ProgressReport.objects.exists()


def test_persian_digits_and_one_decimal_are_accepted(action):
    saved = report(reporter(action.lead_agency), action, percent="۴۲٫۵")
    assert saved.percent == Decimal("42.5")


def test_a_silent_decrease_is_refused(action):
    user = reporter(action.lead_agency)
    report(user, action, date=TUE, percent=40)
    with pytest.raises(ValidationError) as exc:
        report(user, action, date=WED, percent=35)
    assert "percent" in exc.value.message_dict
    assert ProgressReport.objects.count() == 1


def test_a_report_higher_than_a_later_one_is_refused(action):
    user = secretariat()
    report(user, action, date=WED, percent=40, today=SUN)
    with pytest.raises(ValidationError):
        report(user, action, date=WED - dt.timedelta(days=2), percent=50, today=SUN)


def test_the_same_value_confirmed_unchanged_counts_as_a_report(action):
    user = reporter(action.lead_agency)
    report(user, action, date=TUE, percent=30)
    saved = report(user, action, date=WED, percent="30", unchanged=True)
    assert saved.unchanged is True
    assert selectors.latest_effective(action, before=WED) == saved


# --- corrections -------------------------------------------------------------------------------


def test_a_correction_with_a_reason_supersedes_the_report_in_actual_progress(action):
    # A manager's correction takes effect at once (a reporter's waits for approval: see
    # test_corrections.py).
    user = manager(action.lead_agency)
    wrong = report(user, action, date=WED, percent=60)
    fixed = report(user, action, date=WED, percent=25, corrects=wrong, reason="رقم اشتباه وارد شد")
    assert fixed.corrects == wrong
    assert ProgressReport.objects.count() == 2  # nothing overwritten
    figures = plan_data(action.plan).figures(WED)
    assert figures[action.id].actual == 25.0
    assert selectors.latest_effective(action, before=WED) == fixed


def test_a_correction_without_a_reason_is_refused(action):
    user = reporter(action.lead_agency)
    wrong = report(user, action, percent=60)
    with pytest.raises(ValidationError) as exc:
        report(user, action, percent=25, corrects=wrong, reason="   ")
    assert "reason" in exc.value.message_dict
    assert ProgressReport.objects.count() == 1


def test_a_report_cannot_be_corrected_twice(action):
    user = reporter(action.lead_agency)
    wrong = report(user, action, percent=60)
    report(user, action, percent=25, corrects=wrong, reason="اشتباه")
    with pytest.raises(ValidationError) as exc:
        report(user, action, percent=20, corrects=wrong, reason="دوباره")
    assert "corrects" in exc.value.message_dict
    assert ProgressReport.objects.count() == 2


def test_a_correction_of_another_actions_report_is_refused(action):
    other = ActionFactory(axis=action.axis, lead_agency=action.lead_agency)
    user = reporter(action.lead_agency)
    theirs = report(user, other, percent=60)
    with pytest.raises(ValidationError):
        report(user, action, percent=20, corrects=theirs, reason="اشتباه")


# --- who may report ----------------------------------------------------------------------------


def test_a_reporter_of_another_agency_is_refused(action):
    stranger = reporter(AgencyFactory())
    with pytest.raises(PermissionDenied):
        report(stranger, action)
    assert not ProgressReport.objects.exists()


def test_a_partner_agency_may_report(action):
    partner = AgencyFactory()
    action.partners.add(partner)
    saved = report(reporter(partner), action, percent=15)
    assert saved.agency == partner


def test_an_agency_manager_may_report(action):
    assert report(manager(action.lead_agency), action).pk


@pytest.mark.parametrize("role", [User.Role.GOVERNOR, User.Role.AUDITOR])
def test_readers_may_not_report(action, role):
    with pytest.raises(PermissionDenied):
        report(UserFactory(role=role), action)


def test_the_daily_report_is_all_or_nothing(action):
    second = ActionFactory(axis=action.axis, lead_agency=action.lead_agency)
    user = reporter(action.lead_agency)
    add_report(second, TUE, 50)
    with pytest.raises(ValidationError) as exc:
        services.submit_daily_report(
            actor=user,
            date=WED,
            today=WED,
            entries=[{"action": action, "percent": 20}, {"action": second, "percent": 10}],
        )
    assert list(exc.value.message_dict) == [str(second.id)]
    assert ProgressReport.objects.count() == 1  # only the report written before


# --- building and communicating a plan ---------------------------------------------------------


def test_communication_is_refused_while_blocking_gaps_remain_and_lists_them():
    plan = PlanFactory()
    axis = AxisFactory(plan=plan)
    ActionFactory(axis=axis, code="A-1", lead_agency=None)
    ActionFactory(axis=axis, code="A-2", start=None, end=None)
    AxisFactory(plan=plan, number=9)  # no actions
    with pytest.raises(ValidationError) as exc:
        services.communicate_plan(actor=secretariat(), plan=plan)
    text = " ".join(exc.value.messages)
    assert "A-1" in text and "A-2" in text and "9" in text
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.baseline is None


def test_only_a_draft_can_be_communicated():
    plan = communicated(PlanFactory())
    with pytest.raises(Conflict):
        services.communicate_plan(actor=secretariat(), plan=plan)


def test_only_the_secretariat_communicates():
    action = ActionFactory()
    with pytest.raises(PermissionDenied):
        services.communicate_plan(actor=manager(action.lead_agency), plan=action.plan)


def test_communication_freezes_the_baseline():
    user = secretariat()
    action = ActionFactory(weight=2)
    plan = action.plan
    services.save_action(
        actor=user,
        plan=plan,
        axis=action.axis,
        action=action,
        code=action.code,
        title=action.title,
        lead_agency=action.lead_agency,
        weight=2,
        start=action.start,
        end=action.end,
        milestones=[(dt.date(2026, 6, 1), Decimal("30"))],
    )
    services.communicate_plan(actor=user, plan=plan, today=dt.date(2026, 3, 25))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.COMMUNICATED
    assert plan.communicated_on == dt.date(2026, 3, 25)
    frozen = plan.baseline["actions"][action.code]
    assert frozen["weight"] == "2.000"
    assert frozen["start"] == "2026-04-01" and frozen["end"] == "2026-12-31"
    assert frozen["milestones"] == [["2026-06-01", "30.0"]]
    # The frozen plan refuses edits: changes go through re-planning.
    with pytest.raises(Conflict):
        services.save_action(
            actor=user,
            plan=plan,
            axis=action.axis,
            action=action,
            code=action.code,
            title=action.title,
            weight=5,
        )
    with pytest.raises(Conflict):
        services.save_axis(actor=user, plan=plan, number=7, title="تازه")
    action.refresh_from_db()
    assert action.weight == 2
    plan.refresh_from_db()
    assert plan.baseline["actions"][action.code]["weight"] == "2.000"


def test_save_action_refuses_end_before_start_and_stray_milestones():
    action = ActionFactory()
    with pytest.raises(ValidationError) as exc:
        services.save_action(
            actor=secretariat(),
            plan=action.plan,
            axis=action.axis,
            code="N-1",
            title="تازه",
            start=dt.date(2026, 5, 1),
            end=dt.date(2026, 4, 1),
        )
    assert "end" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.save_action(
            actor=secretariat(),
            plan=action.plan,
            axis=action.axis,
            code="N-1",
            title="تازه",
            start=dt.date(2026, 4, 1),
            end=dt.date(2026, 5, 1),
            milestones=[(dt.date(2026, 6, 1), 50)],
        )
    assert "milestones" in exc.value.message_dict


def test_save_action_refuses_a_duplicate_code_and_other_roles():
    action = ActionFactory(code="X-1")
    with pytest.raises(ValidationError) as exc:
        services.save_action(
            actor=secretariat(), plan=action.plan, axis=action.axis, code="X-1", title="دوم"
        )
    assert "code" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.save_action(
            actor=reporter(action.lead_agency),
            plan=action.plan,
            axis=action.axis,
            code="X-2",
            title="دوم",
        )
