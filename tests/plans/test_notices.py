"""Communicating a plan tells each agency's managers and reporters about their actions."""

import pytest
from django.core import mail

from ronagh.core.errors import Conflict
from ronagh.notifications.models import Notification
from ronagh.plans.notices import plan_communicated as notify_plan_communicated
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
from tests.notifications.conftest import _bell_context, _channels  # noqa: F401


@pytest.fixture
def sms_outbox():
    from ronagh.notifications.sms import MemoryBackend

    return MemoryBackend.outbox


pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = PlanFactory(title="Boom 1405")
    axis = AxisFactory(plan=plan)
    industry, tax, idle = (AgencyFactory(name=n) for n in ("Industry", "Tax", "Idle"))
    ActionFactory(axis=axis, lead_agency=industry)
    ActionFactory(axis=axis, lead_agency=industry)
    ActionFactory(axis=axis, lead_agency=tax).partners.add(industry)
    plan.people = {
        "industry": [manager(industry, email="boss@example.org"), reporter(industry)],
        "tax": [reporter(tax, phone="09120000001")],
        "idle": [reporter(idle)],
        "dabir": [secretariat()],
    }
    return communicated(plan)


def test_each_agency_with_actions_hears_once_with_its_own_counts(plan, sms_outbox):
    notify_plan_communicated(plan=plan)

    for user in plan.people["industry"]:
        note = Notification.objects.get(recipient=user)
        assert note.kind == "plan_communicated"
        assert note.title == "The plan “Boom 1405” was communicated"
        assert "Actions Industry leads: 2. Actions it partners in: 1." in note.body
        assert note.link == f"/plans/{plan.pk}/acknowledge/"
    tax_note = Notification.objects.get(recipient=plan.people["tax"][0])
    assert "Actions Tax leads: 1. Actions it partners in: 0." in tax_note.body
    assert not Notification.objects.filter(recipient__in=plan.people["idle"]).exists()
    assert not Notification.objects.filter(recipient__in=plan.people["dabir"]).exists()
    assert [m.to for m in mail.outbox] == [["boss@example.org"]]
    assert [n for n, _ in sms_outbox] == ["09120000001"]


def test_calling_it_again_sends_nothing_new(plan, sms_outbox):
    notify_plan_communicated(plan=plan)
    again = notify_plan_communicated(plan=plan)
    assert again.total_sent == 0
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 1 and len(sms_outbox) == 1


def test_a_draft_plan_is_not_announced():
    with pytest.raises(Conflict):
        notify_plan_communicated(plan=PlanFactory())
    assert Notification.objects.count() == 0


def test_it_runs_when_communicate_plan_commits(plan, django_capture_on_commit_callbacks):
    """How the lead wires it: transaction.on_commit after plans.services.communicate_plan."""
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        transaction.on_commit(lambda: notify_plan_communicated(plan=plan))
    assert Notification.objects.count() == 3
