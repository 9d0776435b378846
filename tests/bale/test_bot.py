"""The focal point's day in Bale (SPEC 4.2.1): link a chat with a one-time code, report by message
line by line, `/list` with a reply keyboard, every update stored and processed exactly once —
all against a local fake Bale server (tests/bale/fake_server.py), through `ronagh bale-poll`."""

import datetime as dt
import io
import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.test import APIClient

from ronagh.bale import inbox
from ronagh.bale.models import Update
from ronagh.bale.poll import Poller
from ronagh.notifications import messenger
from ronagh.notifications.bale import client
from ronagh.notifications.models import MessengerLink
from ronagh.plans.models import Channel, ProgressReport
from tests.factories import add_report

pytestmark = pytest.mark.django_db

CHAT = 555


def poll() -> str:
    out = io.StringIO()
    call_command("bale_poll", "--once", stdout=out)
    return out.getvalue()


def code_for(user) -> str:
    api = APIClient()
    api.force_authenticate(user)
    response = api.post("/api/v1/me/messenger-code/")
    assert response.status_code == 201
    body = response.json()
    assert len(body["code"]) == 6 and body["code"].isdigit()
    assert body["expires_at"] and body["expires_at_jalali"]
    return body["code"]


def link(bale, user, chat_id=CHAT):
    bale.push_text(f"/start {code_for(user)}", chat_id=chat_id)
    poll()
    assert MessengerLink.objects.get(chat_id=chat_id).user == user
    bale.sent.clear()


def test_a_code_from_the_api_links_the_chat_and_the_bot_names_the_user_and_agency(bale, world):
    bale.push_text(f"/start {code_for(world.user)}", chat_id=CHAT)

    printed = poll()

    assert MessengerLink.objects.get(user=world.user).chat_id == CHAT
    (hello,) = bale.to(CHAT)
    assert "زهرا صادقی" in hello.text and "سازمان صنعت، معدن و تجارت" in hello.text
    assert "rabet" in hello.text
    assert "فهرست" in hello.buttons
    assert "۱" in printed  # the summary line, in Persian digits


def test_the_code_works_once_and_a_persian_digit_code_is_read(bale, world):
    code = code_for(world.user)
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    bale.push_text(f"/start {persian}", chat_id=CHAT)
    bale.push_text(f"/start {code}", chat_id=777)  # a second chat with the spent code

    poll()

    assert list(MessengerLink.objects.values_list("chat_id", flat=True)) == [CHAT]
    assert "معتبر نیست" in bale.to(777)[0].text


def test_an_expired_code_links_nothing_and_says_so(bale, world):
    issued = messenger.issue_code(actor=world.user, now=timezone.now() - dt.timedelta(minutes=11))
    bale.push_text(f"/start {issued.code}", chat_id=CHAT)

    poll()

    assert not MessengerLink.objects.exists()
    assert "منقضی" in bale.to(CHAT)[0].text
    assert Update.objects.get().outcome == Update.Outcome.LINK_REFUSED


def test_an_unknown_code_links_nothing(bale, world):
    bale.push_text("/start 000000", chat_id=CHAT)
    poll()
    assert not MessengerLink.objects.exists()
    assert "معتبر نیست" in bale.to(CHAT)[0].text


def test_wrong_codes_from_one_chat_are_stopped_after_five(bale, world):
    for _i in range(6):
        bale.push_text("/start 000000", chat_id=CHAT)
    good = code_for(world.user)
    bale.push_text(f"/start {good}", chat_id=CHAT)

    poll()

    assert not MessengerLink.objects.exists()  # even the right code waits ten minutes
    assert "ده دقیقه" in bale.to(CHAT)[-1].text


def test_an_unknown_chat_can_do_nothing_but_link(bale, world):
    bale.push_text("A-01 45", chat_id=999)
    bale.push_text("/list", chat_id=999)

    poll()

    assert not ProgressReport.objects.exists()
    answers = bale.to(999)
    assert len(answers) == 2 and all("/start" in a.text for a in answers)


def test_a_message_of_lines_reports_each_with_persian_digits_and_the_percent_sign(bale, world):
    link(bale, world.user)
    add_report(world.a2, world.today - dt.timedelta(days=1), 30, user=world.user)
    bale.push_text("A-01 ۴۵٫۵٪ بازدید انجام شد\nB-02 =\nZZ-9 10\na-01 20", chat_id=CHAT)

    poll()

    reports = ProgressReport.objects.filter(date=world.today).order_by("id")
    assert [(r.action.code, r.percent, r.unchanged, r.channel) for r in reports] == [
        ("A-01", Decimal("45.5"), False, Channel.BALE),
        ("B-02", Decimal("30"), True, Channel.BALE),
    ]
    assert reports[0].note == "بازدید انجام شد" and reports[0].entered_by == world.user
    (answer,) = bale.to(CHAT)
    lines = answer.text.splitlines()
    assert len(lines) == 4  # one answer line per line sent
    lines = [line.lstrip("\u200f") for line in lines]  # the direction mark of each line
    assert lines[0].startswith("✅ A-01") and "۴۵٫۵" in lines[0]
    assert lines[1].startswith("✅ B-02") and "۳۰" in lines[1]
    assert lines[2].startswith("❌ ZZ-9")
    assert lines[3].startswith("❌ A-01") and "۴۵٫۵" in lines[3]  # a decrease is refused


def test_the_screens_rules_hold_two_decimals_over_100_and_another_agencys_action(bale, world):
    from tests.factories import ActionFactory, AgencyFactory

    other = ActionFactory(axis=world.a1.axis, code="C-03", lead_agency=AgencyFactory())
    link(bale, world.user)
    bale.push_text("A-01 12.25\nB-02 140\nC-03 10\nA-01 12", chat_id=CHAT)

    poll()

    assert list(ProgressReport.objects.values_list("action__code", "percent")) == [
        ("A-01", Decimal("12"))
    ]
    lines = bale.to(CHAT)[0].text.splitlines()
    assert [line.lstrip("\u200f")[0] for line in lines] == ["❌", "❌", "❌", "✅"]
    assert other.reports.count() == 0


def test_list_answers_with_the_actions_their_last_values_and_a_keyboard(bale, world):
    link(bale, world.user)
    add_report(world.a1, world.today, 40, user=world.user)
    bale.push_text("فهرست", chat_id=CHAT)

    poll()

    (answer,) = bale.to(CHAT)
    assert "A-01" in answer.text and "B-02" in answer.text and "۴۰" in answer.text
    assert "B-02 =" in answer.buttons and "A-01 =" not in answer.buttons  # A-01 is done today
    bale.tap("B-02 =", chat_id=CHAT)
    poll()
    assert world.a2.reports.get().unchanged


def test_a_duplicate_update_is_processed_once(bale, world):
    link(bale, world.user)
    update = bale.push_text("A-01 50", chat_id=CHAT)
    bale.push(update)  # Bale delivers it twice

    printed = poll()

    assert ProgressReport.objects.count() == 1
    assert len(bale.to(CHAT)) == 1
    assert Update.objects.filter(update_id=update["update_id"]).count() == 1
    assert "۱" in printed


def test_a_restart_between_two_polls_processes_nothing_twice(bale, world):
    link(bale, world.user)
    bale.honour_offset = False  # the confirmation of the first poll never reached Bale
    bale.push_text("A-01 50", chat_id=CHAT)
    Poller(client()).once()

    bale.push_text("B-02 20", chat_id=CHAT)
    Poller(client()).once()  # a new process: no offset, Bale hands everything out again

    assert sorted(ProgressReport.objects.values_list("action__code", "percent")) == [
        ("A-01", Decimal("50")),
        ("B-02", Decimal("20")),
    ]
    assert len(bale.to(CHAT)) == 2


def test_an_update_stored_before_a_crash_is_processed_by_the_next_run(bale, world):
    link(bale, world.user)
    update = bale.push_text("A-01 33", chat_id=CHAT)
    inbox.store([update], via=Update.Via.POLL)  # stored, then the process died

    poll()

    assert ProgressReport.objects.get().percent == 33
    assert len(bale.to(CHAT)) == 1


def test_an_answer_bale_refused_is_sent_by_the_next_poll(bale, world):
    link(bale, world.user)
    bale.refuse = 99  # Bale is in trouble for the whole first run
    bale.push_text("A-01 10", chat_id=CHAT)
    poll()
    assert ProgressReport.objects.count() == 1 and not bale.to(CHAT)
    assert Update.objects.filter(replied_at__isnull=True, reply__isnull=False).count() == 1

    bale.refuse = 0
    poll()

    assert ProgressReport.objects.count() == 1  # processed once
    assert bale.to(CHAT)[0].text.lstrip("\u200f").startswith("✅ A-01")


def test_a_dropped_connection_fails_the_command_and_loses_nothing(bale, world):
    link(bale, world.user)
    bale.push_text("A-01 10", chat_id=CHAT)
    bale.drop = 1
    with pytest.raises(CommandError):
        poll()
    poll()
    assert ProgressReport.objects.count() == 1


def test_a_message_sent_yesterday_evening_reports_yesterday(bale, world):
    link(bale, world.user)
    yesterday = timezone.localtime() - dt.timedelta(days=1)
    bale.push_text("A-01 25", chat_id=CHAT, date=int(yesterday.timestamp()))
    bale.push_text("B-02 25", chat_id=CHAT, date=int(time.time()) - 30 * 86400)  # not trusted

    poll()

    assert world.a1.reports.get().date == yesterday.date()
    assert world.a2.reports.get().date == world.today


def test_the_report_shows_its_channel_in_the_api(bale, world):
    link(bale, world.user)
    bale.push_text("A-01 61", chat_id=CHAT)
    poll()
    api = APIClient()
    api.force_authenticate(world.manager)
    (row,) = api.get("/api/v1/progress/", {"action": world.a1.id}).json()
    assert row["channel"] == "bale" and row["state"] == "effective" and row["percent"] == 61


def test_stop_unlinks_the_chat(bale, world):
    link(bale, world.user)
    bale.push_text("/stop", chat_id=CHAT)
    poll()
    assert not MessengerLink.objects.exists()


def test_the_command_needs_a_token(settings, db):
    settings.RONAGH_BALE_TOKEN = ""
    with pytest.raises(CommandError):
        call_command("bale_poll", "--once", stdout=io.StringIO())


def test_the_webhook_stores_processes_and_answers_at_its_secret_path(bale, world, client):
    from django.urls import reverse

    from ronagh.bale.webhook import webhook_secret

    link(bale, world.user)
    update = bale.push_text("A-01 70", chat_id=CHAT)
    url = reverse("bale:webhook", args=[webhook_secret()])

    assert (
        client.post("/bale/webhook/guess/", update, content_type="application/json").status_code
        == 404
    )
    response = client.post(url, update, content_type="application/json")
    again = client.post(url, update, content_type="application/json")

    assert response.status_code == 200 and again.status_code == 200
    assert ProgressReport.objects.get().percent == 70
    assert len(bale.to(CHAT)) == 1
    assert Update.objects.get(update_id=update["update_id"]).via == Update.Via.WEBHOOK


def test_set_webhook_registers_the_secret_path(bale, db):
    call_command("bale_poll", "--set-webhook", "https://ronagh.example.ir/", stdout=io.StringIO())
    assert bale.webhook.startswith("https://ronagh.example.ir/bale/webhook/")
    call_command("bale_poll", "--delete-webhook", stdout=io.StringIO())
    assert bale.webhook == ""


def test_a_server_that_takes_only_get_gets_the_same_calls(bale, world):
    bale.get_only = True
    bale.push_text(f"/start {code_for(world.user)}", chat_id=CHAT)
    poll()
    bale.push_text("فهرست", chat_id=CHAT)
    poll()
    assert MessengerLink.objects.get().user == world.user
    assert "B-02 =" in bale.to(CHAT)[-1].buttons  # the keyboard survives the query string
