"""Reminders of `ronagh remind` also reach linked Bale chats (the delivery log keeps them
exactly once per key, channel and person), and the profile page links and unlinks a chat."""

import datetime as dt

import pytest
from django.urls import reverse

from ronagh.jobs.daily import run_daily
from ronagh.notifications import messenger
from ronagh.notifications.models import Delivery, MessengerLink
from ronagh.notifications.services import notify
from tests.factories import ActionFactory, AgencyFactory, AxisFactory, PlanFactory, communicated
from tests.factories import reporter as make_reporter

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 3)  # Wednesday 1405/03/13


def test_the_daily_reminder_reaches_the_reporters_bale_chat_once(bale):
    agency = AgencyFactory(name="اداره کل تعاون")
    plan = communicated(PlanFactory())
    ActionFactory(axis=AxisFactory(plan=plan), code="T-1", lead_agency=agency)
    user = make_reporter(agency)
    MessengerLink.objects.create(user=user, chat_id=4242)

    first = run_daily(today=TODAY)
    second = run_daily(today=TODAY)

    (message,) = bale.to(4242)
    assert "T-1" in message.text and "۱۴۰۵/۰۳/۱۲" in message.text
    assert first.counts()["total"]["bale"] == 1 and second.counts()["total"]["bale"] == 0
    assert Delivery.objects.get(channel="bale").status == Delivery.Status.SENT


def test_a_failed_bale_delivery_is_recorded_and_tried_again(bale):
    user = make_reporter(AgencyFactory())
    MessengerLink.objects.create(user=user, chat_id=4343)
    bale.refuse = 1
    kwargs = dict(recipients=[user], kind="notice", title="آزمایش", body="متن", key="k:1")

    failed = notify(**kwargs, channels=["bale"])
    retried = notify(**kwargs, channels=["bale"])

    assert failed.failed["bale"] == 1 and retried.sent["bale"] == 1
    assert len(bale.to(4343)) == 1
    assert Delivery.objects.get().attempts == 2


def test_people_without_a_linked_chat_get_nothing_in_bale(bale):
    user = make_reporter(AgencyFactory())
    outcome = notify(recipients=[user], kind="notice", title="آزمایش", body="", key="k:2")
    assert outcome.sent["bale"] == 0 and not bale.sent


def test_the_profile_page_gives_a_code_and_unlinks(client, settings):
    settings.LANGUAGE_CODE = "fa"
    user = make_reporter(AgencyFactory())
    client.force_login(user)
    assert "پیوند با بله" in client.get(reverse("profile")).content.decode()

    page = client.post(reverse("profile"), {"link": "1"}).content.decode()
    code = page.split('<code dir="ltr" class="user-select-all">/start ')[1][:6]
    assert code.isdigit()
    assert "ده دقیقه" in page  # valid ten minutes
    linked = messenger.link_chat(code=code, chat_id=99)
    assert linked == user

    assert "پیوند خورده است" in client.get(reverse("profile")).content.decode()
    client.post(reverse("profile"), {"unlink": "1"})
    assert not MessengerLink.objects.exists()


def test_a_new_code_voids_the_old_one(db):
    user = make_reporter(AgencyFactory())
    old = messenger.issue_code(actor=user)
    new = messenger.issue_code(actor=user)
    with pytest.raises(messenger.LinkRefused):
        messenger.link_chat(code=old.code, chat_id=1)
    assert messenger.link_chat(code=new.code, chat_id=1) == user


def test_linking_a_chat_again_moves_it_to_the_new_user(db):
    first, second = make_reporter(AgencyFactory()), make_reporter(AgencyFactory())
    messenger.link_chat(code=messenger.issue_code(actor=first).code, chat_id=7)
    messenger.link_chat(code=messenger.issue_code(actor=second).code, chat_id=7)
    assert list(MessengerLink.objects.values_list("user", "chat_id")) == [(second.pk, 7)]


def test_the_messenger_code_api_needs_a_signed_in_user(client):
    assert client.post("/api/v1/me/messenger-code/").status_code in (401, 403)
