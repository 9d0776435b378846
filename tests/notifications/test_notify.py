"""services.notify: the one write path of every message, in the app, by email and by SMS."""

import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from ronagh.notifications.models import Delivery, Notification
from ronagh.notifications.services import mobile_number, notify
from ronagh.notifications.sms import ConsoleBackend, SmsError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notify(users, key="k:1", **kw):
    args = {
        "recipients": users,
        "kind": "report_reminder",
        "title": "Report for Tuesday",
        "body": "Three actions have no report.",
        "link": "/report/",
        "key": key,
    }
    args.update(kw)
    return notify(**args)


def test_each_person_is_told_once_on_every_channel_they_have(sms_outbox):
    full = UserFactory(email="full@example.org", phone="۰۹۱۲ ۱۲۳ ۴۵۶۷")
    bare = UserFactory(email="", phone="")

    outcome = _notify([full, bare, full])

    assert Notification.objects.filter(recipient=full).count() == 1
    assert Notification.objects.filter(recipient=bare).count() == 1
    assert [m.to for m in mail.outbox] == [["full@example.org"]]
    assert mail.outbox[0].subject == "Report for Tuesday"
    assert "Three actions have no report." in mail.outbox[0].body
    assert [number for number, _text in sms_outbox] == ["09121234567"]
    assert "Report for Tuesday" in sms_outbox[0][1]
    assert outcome.sent == {"in_app": 2, "email": 1, "sms": 1}


def test_the_same_key_sends_nothing_twice(sms_outbox):
    user = UserFactory(email="u@example.org", phone="09121234567")
    _notify([user])

    again = _notify([user], body="Changed text")

    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(mail.outbox) == 1
    assert len(sms_outbox) == 1
    assert again.total_sent == 0
    assert again.duplicates == 3


def test_another_key_is_another_message(sms_outbox):
    user = UserFactory(email="u@example.org", phone="09121234567")
    _notify([user], key="day:1")
    _notify([user], key="day:2")
    assert Notification.objects.filter(recipient=user).count() == 2
    assert len(sms_outbox) == 2


def test_only_the_channels_asked_for_are_used(sms_outbox):
    user = UserFactory(email="u@example.org", phone="09121234567")
    _notify([user], channels=("in_app", "sms"))
    assert len(mail.outbox) == 0
    assert len(sms_outbox) == 1
    assert Notification.objects.count() == 1


def test_a_message_another_run_has_claimed_is_not_sent_again(sms_outbox):
    """Two runs at once: the unique (key, channel, recipient) row decides who sends."""
    user = UserFactory(phone="09121234567")
    Delivery.objects.create(key="k:1", channel="sms", recipient=user, kind="x")  # pending

    outcome = _notify([user], channels=("sms",))

    assert sms_outbox == []
    assert outcome.duplicates == 1


def test_inactive_users_are_not_told():
    user = UserFactory(email="u@example.org", is_active=False)
    _notify([user])
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_a_failed_sms_is_recorded_not_raised_and_retried_by_the_next_run(settings, sms_outbox):
    user = UserFactory(phone="09121234567")
    settings.RONAGH_SMS = {
        **settings.RONAGH_SMS,
        "BACKEND": "tests.notifications.test_notify.DownBackend",
    }

    outcome = _notify([user])

    assert outcome.failed == {"sms": 1}
    failed = Delivery.objects.get(channel="sms", recipient=user)
    assert failed.status == Delivery.Status.FAILED
    assert "gateway is down" in failed.error
    assert Notification.objects.filter(recipient=user).count() == 1  # in-app still went

    settings.RONAGH_SMS = {
        **settings.RONAGH_SMS,
        "BACKEND": "ronagh.notifications.sms.MemoryBackend",
    }
    retry = _notify([user])
    assert len(sms_outbox) == 1
    assert retry.sent == {"sms": 1}
    delivery = Delivery.objects.get(channel="sms", recipient=user)
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 2, "")
    assert Notification.objects.filter(recipient=user).count() == 1
    assert _notify([user]).total_sent == 0


class DownBackend:
    def send(self, receptor, message):
        raise SmsError("gateway is down")


def test_a_failed_email_is_recorded(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_notify.BrokenMail"
    user = UserFactory(email="u@example.org")
    outcome = _notify([user])
    assert outcome.failed == {"email": 1}
    assert "SMTP refused" in Delivery.objects.get(channel="email").error


class BrokenMail:
    def __init__(self, *a, **kw):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP refused")


def test_a_phone_that_is_not_a_mobile_number_is_recorded_as_failed(sms_outbox):
    user = UserFactory(phone="025-3770000")
    outcome = _notify([user])
    assert sms_outbox == []
    assert outcome.failed == {"sms": 1}
    assert "not a mobile number" in Delivery.objects.get(channel="sms").error


@pytest.mark.parametrize(
    "typed, number",
    [
        ("09121234567", "09121234567"),
        ("۰۹۱۲-۱۲۳-۴۵۶۷", "09121234567"),
        ("+98 912 123 4567", "09121234567"),
        ("00989121234567", "09121234567"),
        ("9121234567", "09121234567"),
        ("02537700000", None),
        ("", None),
    ],
)
def test_mobile_numbers_are_read_in_any_digits(typed, number):
    assert mobile_number(typed) == number


def test_bad_input_is_refused_with_a_message_per_field_and_nothing_is_sent():
    user = UserFactory(email="u@example.org")
    with pytest.raises(ValidationError) as caught:
        _notify([user], title=" ", link="https://evil.example/", key="", channels=("fax",))
    assert set(caught.value.message_dict) == {"title", "link", "key", "channels"}
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_the_console_backend_prints_the_message():
    out = io.StringIO()
    message_id = ConsoleBackend(stream=out).send("09121234567", "سلام")
    assert message_id
    assert "09121234567" in out.getvalue()
    assert "سلام" in out.getvalue()


def test_the_console_backend_is_the_default(settings, capsys):
    settings.RONAGH_SMS = {
        **settings.RONAGH_SMS,
        "BACKEND": "ronagh.notifications.sms.ConsoleBackend",
    }
    user = UserFactory(phone="09121234567")
    outcome = _notify([user], channels=("sms",))
    assert outcome.sent == {"sms": 1}
    assert "09121234567" in capsys.readouterr().out
    assert Delivery.objects.get(channel="sms").message_id.startswith("console-")
