"""The units steps of the daily job (`ronagh remind`): the early warning scores the units that
sent nothing once the month is due and tells the secretariat of new cases; the managers of an
issuing agency hear of the permits past their deadline."""

import datetime as dt

from ronagh.jobs.daily import run_daily
from ronagh.notifications.models import Notification
from ronagh.units import services
from ronagh.units.models import RiskScore

from .conftest import DISTRESSED

TODAY = dt.date(2026, 11, 8)  # 1405/08/17, a Sunday (a working day)


def test_the_early_warning_step_scores_the_due_month_and_tells_the_secretariat(
    org, make_unit, enter
):
    unit = make_unit(1)
    for m in ("1405/05", "1405/06"):
        enter(unit, m, DISTRESSED)
    services.score_due_month(today=TODAY)  # nothing new yet for this unit: one episode
    summary = run_daily(today=TODAY)
    step = {s.code: s for s in summary.steps}["early_warning"]
    assert step.error == ""
    assert RiskScore.objects.filter(unit=unit).count() == 3  # 1405/07 scored as missing
    assert not Notification.objects.filter(recipient__username="ronagh-early-warning-qom").exists()


def test_the_secretariat_hears_of_new_preventive_cases(org, make_unit):
    unit = make_unit(2)
    services.record_indicators(
        actor=org.dabir,
        entries=[services.Entry(unit=unit, month=dt.date(2026, 8, 23), values=dict(DISTRESSED))],
        today=TODAY,
        rescore=False,
    )
    run_daily(today=TODAY)
    note = Notification.objects.get(recipient=org.dabir, kind="early_warning")
    assert unit.name in note.body


def test_managers_of_the_issuing_agency_hear_of_overdue_permits(org):
    services.file_application(
        actor=org.dabir, province=org.province, applicant="شرکت نگین", planned_unit="طرح",
        manager="مریم نوری", education="master", experience_years=5, own_capital=10,
        project_cost=100, issuing_agency=org.industry, filed_on=dt.date(2026, 8, 1),
    )  # fmt: skip
    run_daily(today=TODAY)
    note = Notification.objects.get(recipient=org.industry_manager, kind="permit_overdue")
    assert "شرکت نگین" in note.body
