"""Corrections approved by the manager (SPEC 1, 4.2): a reporter's correction is pending until the
agency's manager or the secretariat approves or rejects it with a comment; pending ones count in
no figure; rejected ones stay on record; a manager's or the secretariat's correction counts at
once. What counts is `ProgressReport.objects.effective()`, checked here against a model of the
rules by hypothesis."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ronagh.core.append_only import AppendOnlyError
from ronagh.core.models import Province
from ronagh.notifications.models import Notification
from ronagh.plans import selectors, services
from ronagh.plans.figures import plan_data
from ronagh.plans.models import CorrectionDecision, Plan, ProgressReport, ReportState
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    communicated,
    manager,
    reporter,
    secretariat,
)

pytestmark = pytest.mark.django_db

WED = dt.date(2026, 6, 3)


@pytest.fixture
def action():
    return ActionFactory(axis=AxisFactory(plan=communicated(PlanFactory())))


def report(actor, action, percent, **kw):
    return services.report_progress(
        actor=actor, action=action, date=WED, percent=percent, today=WED, **kw
    )


def actual(action) -> float:
    return plan_data(action.plan).figures(WED)[action.id].actual


def state(r) -> str:
    return ProgressReport.objects.with_state().get(pk=r.pk).state


def test_a_reporters_correction_waits_and_counts_in_no_figure(action):
    user = reporter(action.lead_agency)
    wrong = report(user, action, 60)
    fix = report(user, action, 25, corrects=wrong, reason="رقم اشتباه")

    assert fix.needs_approval
    assert (state(wrong), state(fix)) == (ReportState.EFFECTIVE, ReportState.PENDING)
    assert actual(action) == 60.0
    assert selectors.latest_effective(action, before=WED) == wrong


def test_the_manager_approves_with_a_comment_and_the_correction_counts(action):
    user, boss = reporter(action.lead_agency), manager(action.lead_agency)
    wrong = report(user, action, 60)
    fix = report(user, action, 25, corrects=wrong, reason="رقم اشتباه")

    decision = services.decide_correction(
        actor=boss, correction=fix, approve=True, comment="با صورت‌جلسه بازدید مطابق است"
    )

    assert decision.approved and decision.decided_by == boss
    assert (state(wrong), state(fix)) == (ReportState.SUPERSEDED, ReportState.EFFECTIVE)
    assert actual(action) == 25.0
    assert ProgressReport.objects.count() == 2  # nothing overwritten
    with pytest.raises(AppendOnlyError):
        decision.save()
    with pytest.raises(AppendOnlyError):
        CorrectionDecision.objects.update(approved=False)


def test_a_rejected_correction_stays_on_record_and_the_report_may_be_corrected_again(action):
    user, boss = reporter(action.lead_agency), manager(action.lead_agency)
    wrong = report(user, action, 60)
    fix = report(user, action, 25, corrects=wrong, reason="رقم اشتباه")

    services.decide_correction(actor=boss, correction=fix, approve=False, comment="مستند ندارد")

    assert (state(wrong), state(fix)) == (ReportState.EFFECTIVE, ReportState.REJECTED)
    assert actual(action) == 60.0
    again = report(user, action, 40, corrects=wrong, reason="با مستند بازدید")
    assert state(again) == ReportState.PENDING


def test_corrections_by_a_manager_or_the_secretariat_count_at_once(action):
    user = reporter(action.lead_agency)
    first = report(user, action, 60)
    by_manager = report(manager(action.lead_agency), action, 50, corrects=first, reason="اصلاح")
    assert not by_manager.needs_approval and actual(action) == 50.0
    by_secretariat = report(secretariat(), action, 45, corrects=by_manager, reason="نامه دستگاه")
    assert state(by_secretariat) == ReportState.EFFECTIVE and actual(action) == 45.0


def test_a_second_correction_waits_for_the_first_decision(action):
    user = reporter(action.lead_agency)
    wrong = report(user, action, 60)
    report(user, action, 25, corrects=wrong, reason="اشتباه")
    for actor in (user, secretariat()):
        with pytest.raises(ValidationError) as exc:
            report(actor, action, 20, corrects=wrong, reason="دوباره")
        assert "corrects" in exc.value.message_dict
    assert ProgressReport.objects.count() == 2


def test_a_pending_or_rejected_correction_is_not_itself_corrected(action):
    user, boss = reporter(action.lead_agency), manager(action.lead_agency)
    wrong = report(user, action, 60)
    fix = report(user, action, 25, corrects=wrong, reason="اشتباه")
    with pytest.raises(ValidationError):
        report(boss, action, 20, corrects=fix, reason="روی اصلاحیه")
    services.decide_correction(actor=boss, correction=fix, approve=False, comment="نه")
    with pytest.raises(ValidationError):
        report(boss, action, 20, corrects=fix, reason="روی اصلاحیه ردشده")


def test_only_the_agencys_manager_or_the_secretariat_decide(action):
    user = reporter(action.lead_agency)
    fix = report(user, action, 25, corrects=report(user, action, 60), reason="اشتباه")
    tehran = secretariat(province=Province.objects.get(code="tehran"))
    for stranger in (user, manager(AgencyFactory()), tehran, reporter(action.lead_agency)):
        with pytest.raises(PermissionDenied):
            services.decide_correction(actor=stranger, correction=fix, approve=True, comment="x")
    services.decide_correction(actor=secretariat(), correction=fix, approve=True, comment="تأیید")
    assert state(fix) == ReportState.EFFECTIVE


def test_a_decision_needs_a_comment_and_is_made_once(action):
    user, boss = reporter(action.lead_agency), manager(action.lead_agency)
    fix = report(user, action, 25, corrects=report(user, action, 60), reason="اشتباه")
    with pytest.raises(ValidationError) as exc:
        services.decide_correction(actor=boss, correction=fix, approve=True, comment="  ")
    assert "comment" in exc.value.message_dict
    services.decide_correction(actor=boss, correction=fix, approve=True, comment="درست")
    with pytest.raises(ValidationError):
        services.decide_correction(actor=boss, correction=fix, approve=False, comment="پشیمان")
    assert CorrectionDecision.objects.count() == 1


def test_the_manager_is_told_and_then_the_reporter(action, django_capture_on_commit_callbacks):
    user, boss = reporter(action.lead_agency), manager(action.lead_agency)
    wrong = report(user, action, 60)
    with django_capture_on_commit_callbacks(execute=True):
        fix = report(user, action, 25, corrects=wrong, reason="اشتباه")
    note = Notification.objects.get(recipient=boss)
    assert note.kind == "correction_pending" and note.link == reverse("plans:corrections")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_correction(actor=boss, correction=fix, approve=True, comment="درست")
    assert Notification.objects.get(recipient=user).kind == "correction_decided"


# --- the approval queue and the action page ----------------------------------------------------


def test_the_queue_page_lets_the_manager_decide(client, action, settings):
    settings.LANGUAGE_CODE = "en"
    user, boss = reporter(action.lead_agency), manager(action.lead_agency)
    fix = report(user, action, 25, corrects=report(user, action, 60), reason="رقم اشتباه")
    client.force_login(boss)
    url = reverse("plans:corrections")

    page = client.get(url).content.decode()
    assert f'id="correction-{fix.pk}"' in page and "رقم اشتباه" in page and "Approve" in page

    refused = client.post(url, {"correction": fix.pk, "decision": "approve", "comment": ""})
    assert refused.status_code == 400 and state(fix) == ReportState.PENDING

    done = client.post(url, {"correction": fix.pk, "decision": "approve", "comment": "درست است"})
    assert done.status_code == 302 and state(fix) == ReportState.EFFECTIVE
    page = client.get(url).content.decode()
    assert "No correction is awaiting approval." in page and "درست است" in page
    # Decided: it is no longer in the queue.
    again = client.post(url, {"correction": fix.pk, "decision": "reject", "comment": "نه"})
    assert again.status_code == 404


def test_the_queue_shows_a_reporter_its_agencys_corrections_without_buttons(
    client, action, settings
):
    settings.LANGUAGE_CODE = "en"
    user = reporter(action.lead_agency)
    report(user, action, 25, corrects=report(user, action, 60), reason="رقم اشتباه")
    client.force_login(user)
    page = client.get(reverse("plans:corrections")).content.decode()
    assert "رقم اشتباه" in page and "Approve" not in page
    client.force_login(manager(AgencyFactory()))
    assert "رقم اشتباه" not in client.get(reverse("plans:corrections")).content.decode()


def test_the_action_page_shows_the_pending_correction_beside_the_figure_and_the_channel(
    client, action, settings
):
    settings.LANGUAGE_CODE = "en"
    user = reporter(action.lead_agency)
    report(user, action, 25, corrects=report(user, action, 60), reason="رقم اشتباه")
    client.force_login(manager(action.lead_agency))
    page = client.get(reverse("plans:action", args=[action.pk]), {"as_of": "1405/03/13"})
    text = page.content.decode()
    assert "awaits approval; it counts in no figure until then" in text
    assert "Awaiting approval" in text and "Web" in text and "Decide" in text


# --- the definition against a model of the rules ----------------------------------------------

STEPS = st.lists(
    st.tuples(
        st.sampled_from(["report", "correct_reporter", "correct_manager", "approve", "reject"]),
        st.integers(min_value=0, max_value=5),
        st.integers(min_value=0, max_value=100),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_effective_is_what_the_rules_say_counts(steps):
    # One plan for all the examples (one plan per province and year); an action each.
    plan = Plan.objects.filter(year=1405).first() or communicated(PlanFactory())
    act = ActionFactory(axis=AxisFactory(plan=plan))
    user, boss = reporter(act.lead_agency), manager(act.lead_agency)
    made: list[ProgressReport] = []
    # The model: each report's status, by the rules in words.
    status: dict[int, str] = {}

    def supersede_target(i):
        live = [r for r in made if status[r.pk] == "effective"]
        return live[i % len(live)] if live else None

    for kind, i, value in steps:
        if kind == "report":
            last = [r for r in made if status[r.pk] == "effective"]
            value = max([value] + [float(r.percent) for r in last])
            r = services.report_progress(
                actor=user, action=act, date=WED, percent=Decimal(value), today=WED
            )
            made.append(r)
            status[r.pk] = "effective"
        elif kind.startswith("correct"):
            target = supersede_target(i)
            waiting = {r.corrects_id for r in made if status[r.pk] == "pending"}
            if target is None or target.pk in waiting:
                continue
            actor = user if kind == "correct_reporter" else boss
            r = services.report_progress(
                actor=actor,
                action=act,
                date=WED,
                percent=Decimal(value),
                corrects=target,
                reason="اصلاح",
                today=WED,
            )
            made.append(r)
            if actor == user:
                status[r.pk] = "pending"
            else:
                status[r.pk], status[target.pk] = "effective", "superseded"
        else:
            pending = [r for r in made if status[r.pk] == "pending"]
            if not pending:
                continue
            r = pending[i % len(pending)]
            original_counts = status[r.corrects_id] == "effective"
            if kind == "approve" and not original_counts:
                with pytest.raises(ValidationError):
                    services.decide_correction(actor=boss, correction=r, approve=True, comment="ok")
                continue
            services.decide_correction(
                actor=boss, correction=r, approve=kind == "approve", comment="ok"
            )
            if kind == "approve":
                status[r.pk], status[r.corrects_id] = "effective", "superseded"
            else:
                status[r.pk] = "rejected"

    effective = set(act.reports.effective().values_list("pk", flat=True))
    assert effective == {pk for pk, s in status.items() if s == "effective"}
    states = dict(act.reports.with_state().values_list("pk", "state"))
    assert states == status
