"""The obstacles app's step of the daily job, run on its own with the real apps installed."""

import datetime as dt

import pytest

from ronagh.notifications.daily import Context, StepResult
from ronagh.obstacles.escalations import overdue, overdue_obstacles
from tests.factories import manager

from .conftest import DAY


@pytest.fixture
def late(org, register):
    """An obstacle of the bank, due a week after DAY (severity 4), and one routed nowhere."""
    obstacle = register(responsible_agency=org.bank, severity=4)
    register(category="other")
    return obstacle


def test_the_managers_of_the_responsible_agency_hear_of_an_overdue_obstacle(org, late):
    boss = manager(org.bank)
    ctx, result = Context(late.due_date + dt.timedelta(days=3)), StepResult("overdue", "x")
    overdue_obstacles(ctx, result)
    message, escalation = result.messages
    assert {u.pk for u in message.recipients} == {org.bank_manager.pk, boss.pk}
    assert late.title in message.body
    assert message.key == f"remind:{ctx.today.isoformat()}:overdue-obstacles:{org.bank.pk}"
    assert overdue(ctx) == [late]  # loaded once, shared with the digest
    # and the escalation reaches the province's secretariat as a notification of its own
    assert {u.role for u in escalation.recipients} == {"secretariat"}
    assert late.title in escalation.body and escalation.link == "/obstacles/escalation/"
    assert "sms" not in escalation.channels


def test_on_its_due_date_it_is_not_yet_overdue(org, late):
    ctx, result = Context(late.due_date), StepResult("overdue", "x")
    overdue_obstacles(ctx, result)
    assert result.messages == [] and DAY < late.due_date
