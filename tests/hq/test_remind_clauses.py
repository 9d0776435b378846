"""The daily job reminds an agency's managers of its HQ resolution clauses past their due date."""

from ronagh.jobs.daily import run_daily
from ronagh.lib.digits import to_persian
from ronagh.notifications.models import Notification

from .conftest import TODAY


def test_overdue_clauses_reach_the_agency_managers_once_a_day(world):
    clause = world.clause()  # due 2026-06-01, still open on 2026-07-01
    world.clause(agency=world.industry, due=TODAY)  # due today: not overdue yet

    run_daily(today=TODAY)
    run_daily(today=TODAY)

    notes = Notification.objects.filter(kind="clause_overdue")
    assert [n.recipient for n in notes] == [world.bank_manager]
    assert to_persian(clause.code) in notes.get().body
    assert not Notification.objects.filter(
        kind="clause_overdue", recipient=world.industry_reporter
    ).exists()
