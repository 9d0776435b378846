"""The daily job with every app's steps, as installed: who is reminded of what, and that running
it twice sends nothing twice."""

import datetime as dt
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from ronagh.core.models import Holiday
from ronagh.jobs.daily import STEPS, run_daily
from ronagh.notifications.daily import Step
from ronagh.notifications.models import Delivery, Notification
from ronagh.obstacles.models import Obstacle
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

TODAY = dt.date(2026, 6, 3)  # Wednesday 1405/03/13
YESTERDAY = dt.date(2026, 6, 2)  # Tuesday, the previous working day
FRIDAY = dt.date(2026, 6, 5)


@pytest.fixture
def world():
    """One plan, one axis, three actions (1 Apr – 31 Dec 2026, P = 6300/274 = 22.99 % today):
    - A001 of the diligent agency, reported 20 % yesterday: on track, reported;
    - A002 of the slack agency, never reported: stalled, unsent;
    - A003 of the slack agency, 2 % yesterday: critical (gap 20.99), reported."""
    plan = communicated(PlanFactory(title="Boom 1405"))
    axis = AxisFactory(plan=plan)
    diligent = AgencyFactory(name="Diligent agency")
    slack = AgencyFactory(name="Slack agency")
    a1 = ActionFactory(axis=axis, code="A001", title="Open the one-stop desk", lead_agency=diligent)
    a2 = ActionFactory(axis=axis, code="A002", title="Pay the arrears", lead_agency=slack)
    a3 = ActionFactory(axis=axis, code="A003", title="Issue the permits", lead_agency=slack)
    dabir = secretariat(email="dabir@example.org", phone="09120000005")
    add_report(a1, YESTERDAY, 20, user=dabir)
    add_report(a3, dt.date(2026, 5, 25), 1, user=dabir)
    add_report(a3, YESTERDAY, 2, user=dabir)
    return SimpleNamespace(
        plan=plan,
        actions=(a1, a2, a3),
        diligent_reporter=reporter(diligent, phone="09120000001"),
        diligent_manager=manager(diligent, phone="09120000002", email="m1@example.org"),
        slack_reporter=reporter(slack, phone="09120000003"),
        slack_manager=manager(slack, phone="09120000004", email="m2@example.org"),
        dabir=dabir,
    )


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_reporter_with_an_unsent_report_is_reminded_and_one_who_reported_is_not(
    world, sms_outbox
):
    run_daily(today=TODAY)

    assert kinds(world.slack_reporter) == ["report_reminder"]
    assert kinds(world.diligent_reporter) == []
    note = Notification.objects.get(recipient=world.slack_reporter)
    assert "1 actions of Slack agency have no progress report for 1405/03/12" in note.body
    assert "until 1405/03/16" in note.body  # Tuesday + 3 working days: Wed, Thu, (Fri) Sat
    assert "A002 — Pay the arrears" in note.body
    assert "A003" not in note.body
    assert note.link == "/report/?date=1405/03/12"
    assert "09120000003" in [number for number, _ in sms_outbox]
    assert "09120000001" not in [number for number, _ in sms_outbox]


def test_a_report_dated_today_also_answers_for_yesterday(world):
    add_report(world.actions[1], TODAY, 5)
    run_daily(today=TODAY)
    assert kinds(world.slack_reporter) == []


def test_the_manager_of_an_agency_with_stalled_or_critical_actions_is_alerted(world, sms_outbox):
    run_daily(today=TODAY)

    assert kinds(world.slack_manager) == ["actions_alert"]
    assert kinds(world.diligent_manager) == []
    note = Notification.objects.get(recipient=world.slack_manager)
    assert "1 actions of Slack agency are stalled" in note.body
    assert "and 1 are critical" in note.body
    assert "A003 — Issue the permits: planned 23%, actual 2% (Critical)" in note.body
    assert "A002 — Pay the arrears: planned 23%, actual 0% (Stalled)" in note.body
    assert note.link == f"/agencies/{world.slack_manager.agency_id}/"
    assert [m.to for m in mail.outbox if m.to == ["m2@example.org"]]
    assert "09120000004" in [number for number, _ in sms_outbox]
    assert "09120000002" not in [number for number, _ in sms_outbox]


def test_the_secretariat_gets_a_digest_of_the_plan(world, sms_outbox):
    run_daily(today=TODAY)

    note = Notification.objects.get(recipient=world.dabir)
    assert note.kind == "digest"
    assert note.title == "Daily digest of 1405/03/13"
    # P = 22.99 on each action; A = (20 + 0 + 2) / 3 = 7.33; coverage: A002 unreported, 2 of 3.
    assert (
        "Planned progress 23%, actual progress 7.3%, gap 15.7 points (coverage 66.7%)." in note.body
    )
    assert "Stalled 1, Critical 1, Behind 0, On track 1" in note.body
    assert "no report for 3 working days or more): 1." in note.body
    assert "Agencies with the most critical actions: Slack agency (1)." in note.body
    assert note.link == f"/plans/{world.plan.pk}/"
    assert [m.to for m in mail.outbox if m.subject == "Daily digest of 1405/03/13"] == [
        ["dabir@example.org"]
    ]
    assert "09120000005" not in [number for number, _ in sms_outbox]  # a digest is not an SMS


def test_running_twice_the_same_day_sends_nothing_twice(world, sms_outbox):
    first = run_daily(today=TODAY)
    notes, sms, emails = Notification.objects.count(), len(sms_outbox), len(mail.outbox)
    assert (notes, sms, emails) == (3, 2, 2)
    assert first.counts()["total"]["in_app"] == 3

    second = run_daily(today=TODAY)

    assert Notification.objects.count() == notes
    assert len(sms_outbox) == sms
    assert len(mail.outbox) == emails
    assert second.outcome.total_sent == 0
    assert second.counts()["total"]["duplicates"] == notes + sms + emails


def test_the_next_working_day_is_a_new_day(world, sms_outbox):
    run_daily(today=TODAY)
    run_daily(today=TODAY + dt.timedelta(days=1))
    assert kinds(world.slack_reporter) == ["report_reminder", "report_reminder"]


def test_nobody_is_reminded_on_a_friday_or_a_holiday(world, sms_outbox):
    Holiday.objects.create(date=TODAY, title="holiday")
    for day in (FRIDAY, TODAY):
        summary = run_daily(today=day)
        assert not summary.working_day
    assert Notification.objects.count() == 0
    assert sms_outbox == []


def test_after_a_weekend_the_last_working_day_is_the_one_reminded(world):
    saturday = dt.date(2026, 6, 6)
    add_report(world.actions[1], dt.date(2026, 6, 4), 3, user=world.dabir)  # Thursday
    add_report(world.actions[2], dt.date(2026, 6, 5), 3, user=world.dabir)  # Friday counts too
    add_report(world.actions[0], dt.date(2026, 6, 3), 21, user=world.dabir)
    run_daily(today=saturday)
    assert kinds(world.slack_reporter) == []
    assert kinds(world.diligent_reporter) == ["report_reminder"]
    note = Notification.objects.get(recipient=world.diligent_reporter)
    assert "for 1405/03/14" in note.body  # Thursday 4 June


def test_a_draft_plan_reminds_nobody(db):
    axis = AxisFactory(plan=PlanFactory())
    agency = AgencyFactory()
    ActionFactory(axis=axis, lead_agency=agency)
    person = reporter(agency, phone="09120000001")
    run_daily(today=TODAY)
    assert kinds(person) == []


def overdue_obstacle(agency, user, due=dt.date(2026, 5, 27)) -> Obstacle:
    return Obstacle.objects.create(
        province=agency.province,
        category="banking",
        title="Bank refuses the working-capital loan",
        severity=3,
        responsible_agency=agency,
        status=Obstacle.Status.ASSIGNED,
        assigned_on=due - dt.timedelta(days=14),
        due_date=due,
        registered_by=user,
        registered_on=due - dt.timedelta(days=14),
    )


def test_overdue_obstacles_are_escalated_to_the_manager_and_in_the_digest(world):
    overdue_obstacle(world.slack_manager.agency, world.dabir)
    # Due today is not yet overdue, and a resolved one never is.
    overdue_obstacle(world.slack_manager.agency, world.dabir, due=TODAY)

    summary = run_daily(today=TODAY)

    assert kinds(world.slack_manager) == ["actions_alert", "obstacle_overdue"]
    note = Notification.objects.get(recipient=world.slack_manager, kind="obstacle_overdue")
    assert "Bank refuses the working-capital loan — due 1405/03/06 (7 days overdue)" in note.body
    digest = Notification.objects.get(recipient=world.dabir, kind="digest")
    assert "Overdue obstacles: 1." in digest.body
    assert "Bank refuses the working-capital loan — Slack agency, due 1405/03/06" in digest.body
    # the escalation itself reaches the secretariat's inbox, linking to the escalation page
    escalated = Notification.objects.get(recipient=world.dabir, kind="obstacle_overdue")
    assert "1 overdue obstacles escalated to the secretariat" in escalated.title
    assert "Bank refuses the working-capital loan — Slack agency" in escalated.body
    assert escalated.link == "/obstacles/escalation/"
    assert summary.counts()["overdue_obstacles"]["people"] == 2


def test_without_overdue_obstacles_the_step_tells_nobody(world):
    summary = run_daily(today=TODAY)
    step = {s.code: s for s in summary.steps}["overdue_obstacles"]
    assert step.messages == [] and step.error == ""
    assert "Overdue obstacles: 0." in Notification.objects.get(recipient=world.dabir).body


def test_the_steps_are_each_apps_own_in_order():
    assert [s.code for s in STEPS] == [
        "unsent_reports", "stalled_or_critical", "overdue_obstacles", "overdue_clauses",
        "early_warning", "overdue_permits", "digest", "weekly_brief",
    ]  # fmt: skip
    assert [s.run.__module__ for s in STEPS] == [
        "ronagh.plans.reminders", "ronagh.plans.reminders", "ronagh.obstacles.escalations",
        "ronagh.hq.escalations", "ronagh.units.reminders", "ronagh.units.reminders",
        "ronagh.reports.digest", "ronagh.reports.weekly",
    ]  # fmt: skip


def test_a_failing_step_does_not_stop_the_others(world):
    def broken(ctx, result):
        raise RuntimeError("boom")

    steps = tuple(
        Step(s.code, s.label, broken) if s.code == "stalled_or_critical" else s for s in STEPS
    )
    summary = run_daily(today=TODAY, steps=steps)
    assert [s.code for s in summary.errors] == ["stalled_or_critical"]
    assert kinds(world.slack_reporter) == ["report_reminder"]
    assert kinds(world.dabir) == ["digest"]


# --- the command -------------------------------------------------------------------------------


def test_the_command_prints_a_summary(world):
    out = StringIO()
    call_command("remind", "--date", "1405/03/13", stdout=out)
    text = out.getvalue()
    assert "Ronagh daily job for 1405/03/13" in text
    assert "Reporters with unsent reports: 1 messages to 1 people — in the app 1" in text
    assert "Total: 7 sent, 0 sent before, 0 failed." in text
    assert Notification.objects.count() == 3


def test_the_command_in_persian(world, settings):
    settings.LANGUAGE_CODE = "fa"
    out = StringIO()
    call_command("remind", "--date", "۱۴۰۵/۰۳/۱۳", stdout=out)
    assert "1405/03/13" in out.getvalue()
    note = Notification.objects.get(recipient=world.slack_reporter)
    assert "۱۴۰۵/۰۳/۱۲" in note.body  # Persian digits in what officials read


def test_a_dry_run_sends_nothing_and_lists_who_would_be_told(world, sms_outbox):
    out = StringIO()
    call_command("remind", "--date", "1405/03/13", "--dry-run", stdout=out)
    assert Notification.objects.count() == 0
    assert Delivery.objects.count() == 0
    assert sms_outbox == [] and mail.outbox == []
    text = out.getvalue()
    assert world.slack_reporter.username in text
    assert "Dry run: nothing was sent." in text


def test_a_bad_date_is_an_error(world):
    with pytest.raises(CommandError, match="not a date"):
        call_command("remind", "--date", "1405/13/40", stdout=StringIO())
    assert Notification.objects.count() == 0


def test_on_a_friday_the_command_says_so(world):
    out = StringIO()
    call_command("remind", "--date", "2026-06-05", stdout=out)
    assert "not a working day" in out.getvalue()
