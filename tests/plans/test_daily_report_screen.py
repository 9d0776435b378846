"""The daily report screen as a focal point on a phone found it (issue 12, point 4): the landing
page for reporters, filters, a counter of what is left, "all unchanged" for the shown rows, a
decrease offered as a correction on the card, the first bad card focused, the planned value of
the report date, no chart library, no future date in the picker, the submit's idempotency key,
and an obstacle met on an action reported from its card."""

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from ronagh.lib.jalali import format_date
from ronagh.obstacles.models import Obstacle, RoutingRule, Status
from ronagh.plans.models import ProgressReport, ReportState
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    add_report,
    communicated,
    reporter,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 3)  # 1405/03/13, a Wednesday
YESTERDAY = TODAY - dt.timedelta(days=1)
URL = reverse("plans:daily_report")


@pytest.fixture(autouse=True)
def _today_and_english(monkeypatch, settings):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def agency():
    return AgencyFactory(name="سازمان صمت")


@pytest.fixture
def axis():
    return AxisFactory(plan=communicated(PlanFactory()))


@pytest.fixture
def user(agency):
    return reporter(agency)


def rows_of(page: str) -> dict[str, bool]:
    """action code → whether its row is shown (not `hidden`)."""
    out = {}
    for attrs, body in re.findall(r'<tr class="report-row([^>]*)>(.*?)</tr>', page, re.S):
        code = re.search(r'<span class="fw-bold num">([^<]+)</span>', body).group(1)
        out[code] = " hidden" not in attrs
    return out


def post(client, rows: dict, date=TODAY, **extra):
    data = {"date": format_date(date), "action": [str(a.pk) for a in rows], **extra}
    for action, fields in rows.items():
        for key, value in fields.items():
            data[f"a{action.pk}-{key}"] = value
    return client.post(URL, data)


def test_a_reporter_lands_on_the_daily_report(client, user):
    client.force_login(user)
    assert client.get("/").url == URL


def test_filters_hide_rows_without_dropping_them(client, agency, axis, user):
    lead = ActionFactory(axis=axis, code="L-1", title="توسعه شهرك صنعتي", lead_agency=agency)
    done_today = ActionFactory(axis=axis, code="L-2", lead_agency=agency)
    partnered = ActionFactory(axis=axis, code="P-۱")
    partnered.partners.add(agency)
    add_report(done_today, TODAY, 20)
    client.force_login(user)

    everything = rows_of(client.get(URL).content.decode())
    unreported = rows_of(client.get(URL, {"unreported": "1"}).content.decode())
    lead_only = rows_of(client.get(URL, {"lead": "1"}).content.decode())
    by_title = rows_of(client.get(URL, {"q": "شهرک"}).content.decode())  # ک/ی as typed
    by_code = rows_of(client.get(URL, {"q": "p-1"}).content.decode())  # any digits, any case

    assert everything == {"L-1": True, "L-2": True, "P-۱": True}
    assert unreported == {"L-1": True, "L-2": False, "P-۱": True}
    assert lead_only == {"L-1": True, "L-2": True, "P-۱": False}
    assert by_title == {"L-1": True, "L-2": False, "P-۱": False}
    assert by_code == {"L-1": False, "L-2": False, "P-۱": True}
    assert lead.code in everything


def test_the_counter_says_what_is_left(client, agency, axis, user):
    a, b, c = (ActionFactory(axis=axis, lead_agency=agency) for _i in range(3))
    add_report(a, TODAY, 10)
    client.force_login(user)
    page = client.get(URL).content.decode()
    left = re.search(r"data-left-count>([^<]+)<", page).group(1)
    assert left == "2" and b.code in page and c.code in page


def test_all_unchanged_marks_the_shown_untouched_rows_and_saves_nothing_yet(
    client, agency, axis, user
):
    shown = ActionFactory(axis=axis, code="S-1", lead_agency=agency)
    typed = ActionFactory(axis=axis, code="S-2", lead_agency=agency)
    partner = ActionFactory(axis=axis, code="P-1")
    partner.partners.add(agency)
    add_report(shown, YESTERDAY, 30)
    add_report(partner, YESTERDAY, 10)
    client.force_login(user)

    page = post(
        client,
        {shown: {"percent": "30"}, typed: {"percent": "12"}, partner: {"percent": "10"}},
        all_unchanged="1",
        lead="1",  # the partner's row is filtered out: it is left alone
    ).content.decode()

    assert not ProgressReport.objects.filter(date=TODAY).exists()
    assert "1 row is marked unchanged" in page
    assert f'name="a{shown.pk}-unchanged" value="1"' in page
    assert f'name="a{partner.pk}-unchanged" value="1"' not in page
    assert f'name="a{typed.pk}-percent" value="12"' in page  # what was typed stays

    sent = post(
        client,
        {shown: {"percent": "30", "unchanged": "1"}, typed: {"percent": "12"}},
    )
    assert sent.status_code == 302
    saved = dict(ProgressReport.objects.filter(date=TODAY).values_list("action__code", "unchanged"))
    assert saved == {"S-1": True, "S-2": False}


def test_a_decrease_with_its_reason_goes_as_a_correction_awaiting_approval(
    client, agency, axis, user
):
    action = ActionFactory(axis=axis, lead_agency=agency)
    last = add_report(action, YESTERDAY, 60)
    client.force_login(user)

    refused = post(client, {action: {"percent": "40"}})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "Progress cannot go down from 60%" in page
    # The correction is offered on the card (not hidden), its reason field ready.
    assert re.search(r'<div class="rc-correction mt-2" data-correction>', page)
    assert f'name="a{action.pk}-reason"' in page
    assert re.search(rf'id="id_a{action.pk}-percent"[^>]*autofocus', page) or re.search(
        rf'autofocus[^>]*id="id_a{action.pk}-percent"', page
    )

    sent = post(client, {action: {"percent": "40", "reason": "اشتباه در ورود دیروز"}})
    assert sent.status_code == 302
    fix = ProgressReport.objects.with_state().get(corrects=last)
    assert fix.percent == 40 and fix.state == ReportState.PENDING
    assert fix.date == YESTERDAY  # a correction keeps the day of the report it corrects
    page = client.get(sent.url).content.decode()
    assert "awaits the approval of your agency" in page
    assert "A correction to 40% awaits approval." in page  # beside the figure, on the card


def test_the_planned_value_is_the_report_dates(client, agency, axis, user):
    # Linear from 2026-04-01 to 2026-12-31: 0.366 a day.
    ActionFactory(
        axis=axis, lead_agency=agency, start=dt.date(2026, 4, 1), end=dt.date(2026, 12, 31)
    )
    client.force_login(user)
    today = client.get(URL).content.decode()
    before = client.get(URL, {"date": format_date(YESTERDAY)}).content.decode()
    planned = re.compile(r'class="rc-planned[^>]*><span class="num">([\d.]+)%')
    assert planned.search(today).group(1) == "23"  # 63 of 274 days
    assert planned.search(before).group(1) == "22.6"  # 62 of 274 days
    assert "Planned on 1405/03/12" in before


def test_no_chart_library_and_no_future_date_on_the_report_screen(client, agency, axis, user):
    ActionFactory(axis=axis, lead_agency=agency)
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "echarts" not in page
    assert 'data-jdp-max-date="1405/03/13"' in page
    assert "plans/report.js" in page
    assert "<script>" not in page  # no inline script (a strict CSP is coming)
    dashboard = client.get(reverse("plans:plan_dashboard", args=[axis.plan_id])).content.decode()
    assert "echarts.min.js" in dashboard


def test_each_page_carries_a_new_key_and_a_replayed_submit_stores_once(client, agency, axis, user):
    action = ActionFactory(axis=axis, lead_agency=agency)
    client.force_login(user)
    keys = {
        re.search(r'name="idempotency_key" value="(\w+)"', client.get(URL).content.decode()).group(
            1
        )
        for _i in range(2)
    }
    assert len(keys) == 2
    key = uuid.uuid4().hex

    first = post(client, {action: {"percent": "15"}}, idempotency_key=key)
    again = post(client, {action: {"percent": "15"}}, idempotency_key=key)
    assert first.status_code == 302 and again.status_code == 302 and again.url == first.url
    assert "nothing was saved twice" in client.get(again.url).content.decode()

    other = post(client, {action: {"percent": "16"}}, idempotency_key=key)
    assert other.status_code == 422
    assert list(ProgressReport.objects.values_list("percent", flat=True)) == [15]


def test_an_obstacle_met_on_an_action_is_reported_from_its_card(client, agency, axis, user):
    action = ActionFactory(axis=axis, code="O-1", lead_agency=agency)
    bank = AgencyFactory(name="بانک ملی")
    RoutingRule.objects.create(province=agency.province, category="banking", agency=bank)
    client.force_login(user)
    page = client.get(URL, {"q": "O-1"}).content.decode()
    link = reverse("obstacles:from_report", args=[action.pk])
    assert link in page
    back = f"{URL}?date={format_date(TODAY)}&q=O-1"

    form = client.get(link, {"next": back})
    assert form.status_code == 200 and "O-1" in form.content.decode()
    done = client.post(
        link,
        {
            "title": "تسهیلات بانکی پرداخت نشده",
            "category": "banking",
            "severity": "3",
            "next": back,
        },
    )

    assert done.status_code == 302 and done.url == back
    obstacle = Obstacle.objects.get()
    assert obstacle.action == action and obstacle.responsible_agency == bank
    assert obstacle.status == Status.ASSIGNED and obstacle.registered_by == user
    assert "routed to بانک ملی" in client.get(back).content.decode()


def test_an_obstacle_form_refuses_an_outside_next_and_another_agencys_action(
    client, agency, axis, user
):
    mine = ActionFactory(axis=axis, lead_agency=agency)
    theirs = ActionFactory(axis=axis, lead_agency=AgencyFactory())
    client.force_login(user)
    assert client.get(reverse("obstacles:from_report", args=[theirs.pk])).status_code == 404
    done = client.post(
        reverse("obstacles:from_report", args=[mine.pk]),
        {"title": "مانع", "category": "tax", "severity": "2", "next": "https://evil.example/"},
    )
    assert done.status_code == 302 and done.url == URL
