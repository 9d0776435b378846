"""The daily report screen (/report/) and the correction of a report (/reports/<pk>/correct/)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ronagh.core.models import User
from ronagh.lib.jalali import format_date
from ronagh.plans.models import ProgressReport
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    UserFactory,
    add_report,
    communicated,
    manager,
    reporter,
    secretariat,
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
    # Assertions read the English msgids; Persian digits are checked where they matter.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def agency():
    return AgencyFactory(name="سازمان صمت")


@pytest.fixture
def plan():
    return communicated(PlanFactory())


@pytest.fixture
def axis(plan):
    return AxisFactory(plan=plan)


def login(client, user):
    client.force_login(user)
    return client


def post_rows(client, rows: dict, date=TODAY, **extra):
    """rows: {action: {"percent": …, "unchanged": …, "note": …}}"""
    data = {"date": format_date(date), **extra}
    data["action"] = [str(a.pk) for a in rows]
    for action, fields in rows.items():
        for key, value in fields.items():
            data[f"a{action.pk}-{key}"] = value
    return client.post(URL, data)


def test_reporter_sees_every_active_action_of_its_agency_and_only_those(client, agency, axis):
    lead = ActionFactory(axis=axis, code="L-1", lead_agency=agency)
    partnered = ActionFactory(axis=axis, code="P-1")
    partnered.partners.add(agency)
    overdue = ActionFactory(
        axis=axis, code="O-1", lead_agency=agency, end=TODAY - dt.timedelta(days=5)
    )
    ActionFactory(axis=axis, code="B-1")  # another agency's
    ActionFactory(axis=axis, code="F-1", lead_agency=agency, start=TODAY + dt.timedelta(days=1))
    finished = ActionFactory(axis=axis, code="D-1", lead_agency=agency)
    add_report(finished, YESTERDAY, 100)
    draft = PlanFactory(year=1406)
    ActionFactory(axis=AxisFactory(plan=draft), code="X-1", lead_agency=agency)  # a draft plan's

    page = login(client, reporter(agency)).get(URL).content.decode()

    for code in (lead.code, partnered.code, overdue.code):
        assert code in page
    for code in ("B-1", "F-1", "D-1", "X-1"):
        assert code not in page
    assert page.count("Overdue") == 1
    assert "Partner" in page
    assert format_date(TODAY) in page  # the date selector defaults to today


def test_the_last_value_is_prefilled_and_the_deadline_shown(client, agency, axis):
    action = ActionFactory(axis=axis, lead_agency=agency)
    add_report(action, YESTERDAY, Decimal("37.5"))
    page = login(client, reporter(agency)).get(URL).content.decode()
    assert 'value="37.5"' in page
    assert 'data-last="37.5"' in page
    assert 'inputmode="decimal"' in page
    assert "may be sent until 1405/03/17" in page  # Thu, (Fri), Sat, Sun


@pytest.mark.parametrize("role", [User.Role.GOVERNOR, User.Role.AUDITOR])
def test_governor_and_auditor_get_403(client, role):
    assert login(client, UserFactory(role=role)).get(URL).status_code == 403


def test_anonymous_is_sent_to_log_in(client):
    assert client.get(URL).status_code == 302


def test_a_persian_digit_percent_is_accepted(client, agency, axis):
    action = ActionFactory(axis=axis, lead_agency=agency)
    response = post_rows(login(client, reporter(agency)), {action: {"percent": "۴۲٫۵"}})
    assert response.status_code == 302
    saved = ProgressReport.objects.get()
    assert saved.percent == Decimal("42.5") and saved.date == TODAY
    assert saved.entered_by_secretariat is False and saved.late is False
    page = client.get(response.url).content.decode()
    assert "1 report saved for 1405/03/13." in page
    assert "✓ 42.5%" in page


def test_reported_rows_show_persian_digits_in_the_persian_locale(client, agency, axis, settings):
    settings.LANGUAGE_CODE = "fa"
    action = ActionFactory(axis=axis, lead_agency=agency)
    add_report(action, TODAY, Decimal("42.5"))
    page = login(client, reporter(agency)).get(URL).content.decode()
    assert "✓ ۴۲٫۵" in page


def test_unchanged_saves_a_report_with_the_last_value(client, agency, axis):
    action = ActionFactory(axis=axis, lead_agency=agency)
    add_report(action, YESTERDAY, 30)
    response = post_rows(
        login(client, reporter(agency)), {action: {"percent": "30", "unchanged": "1"}}
    )
    assert response.status_code == 302
    saved = ProgressReport.objects.get(date=TODAY)
    assert saved.unchanged is True and saved.percent == 30


def test_untouched_rows_are_not_sent(client, agency, axis):
    changed = ActionFactory(axis=axis, lead_agency=agency)
    untouched = ActionFactory(axis=axis, lead_agency=agency)
    empty = ActionFactory(axis=axis, lead_agency=agency)
    add_report(untouched, YESTERDAY, 30)
    response = post_rows(
        login(client, reporter(agency)),
        {
            changed: {"percent": "12", "unchanged": "0"},
            untouched: {"percent": "30", "unchanged": "0"},  # the pre-filled value
            empty: {"percent": "", "unchanged": "0"},
        },
    )
    assert response.status_code == 302
    assert list(ProgressReport.objects.filter(date=TODAY).values_list("action", flat=True)) == [
        changed.pk
    ]


def test_nothing_touched_sends_nothing(client, agency, axis):
    action = ActionFactory(axis=axis, lead_agency=agency)
    response = post_rows(login(client, reporter(agency)), {action: {"percent": ""}})
    assert response.status_code == 200
    assert "Nothing was sent" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_one_bad_row_saves_nothing_and_is_shown_on_its_row(client, agency, axis):
    good = ActionFactory(axis=axis, lead_agency=agency)
    bad = ActionFactory(axis=axis, lead_agency=agency)
    add_report(bad, YESTERDAY, 60)
    response = post_rows(
        login(client, reporter(agency)), {good: {"percent": "20"}, bad: {"percent": "40"}}
    )
    assert response.status_code == 400
    assert ProgressReport.objects.filter(date=TODAY).count() == 0
    page = response.content.decode()
    assert "nothing was saved" in page
    assert "Progress cannot go down from 60% without a correction with a reason." in page
    assert 'value="20"' in page  # what was typed is kept


def test_two_decimals_are_refused_on_the_row(client, agency, axis):
    action = ActionFactory(axis=axis, lead_agency=agency)
    response = post_rows(login(client, reporter(agency)), {action: {"percent": "42.25"}})
    assert response.status_code == 400
    assert "at most one decimal place" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_reporter_cannot_report_on_another_agencys_action(client, agency, axis):
    other = ActionFactory(axis=axis, lead_agency=AgencyFactory())
    user = reporter(agency)
    assert other.code not in login(client, user).get(URL).content.decode()
    response = post_rows(client, {other: {"percent": "50"}})
    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


def test_a_forged_row_beside_a_real_one_saves_nothing(client, agency, axis):
    mine = ActionFactory(axis=axis, lead_agency=agency)
    other = ActionFactory(axis=axis, lead_agency=AgencyFactory())
    response = post_rows(
        login(client, reporter(agency)), {mine: {"percent": "10"}, other: {"percent": "50"}}
    )
    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


def test_a_reporter_past_the_window_gets_403_with_the_date(client, agency, axis):
    action = ActionFactory(axis=axis, lead_agency=agency)
    old = TODAY - dt.timedelta(days=10)
    login(client, reporter(agency))
    page = client.get(URL, {"date": format_date(old)}).content.decode()
    assert "only the secretariat may enter it now" in page
    response = post_rows(client, {action: {"percent": "10"}}, date=old)
    assert response.status_code == 403
    assert format_date(old) in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_reporter_may_pick_a_date_inside_the_window(client, agency, axis):
    action = ActionFactory(axis=axis, lead_agency=agency)
    response = post_rows(
        login(client, reporter(agency)), {action: {"percent": "10"}}, date=YESTERDAY
    )
    assert response.status_code == 302
    assert ProgressReport.objects.get().date == YESTERDAY


def test_a_future_date_is_refused(client, agency, axis):
    action = ActionFactory(axis=axis, lead_agency=agency)
    response = post_rows(
        login(client, reporter(agency)),
        {action: {"percent": "10"}},
        date=TODAY + dt.timedelta(days=1),
    )
    assert response.status_code == 400
    assert "cannot be dated in the future" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_evidence_and_note_are_saved(client, agency, axis):
    action = ActionFactory(axis=axis, lead_agency=agency)
    login(client, reporter(agency))
    response = client.post(
        URL,
        {
            "date": format_date(TODAY),
            "action": [str(action.pk)],
            f"a{action.pk}-percent": "15",
            f"a{action.pk}-note": "بازدید انجام شد",
            f"a{action.pk}-evidence": SimpleUploadedFile(
                "photo.jpg", b"\xff\xd8\xff", "image/jpeg"
            ),
        },
    )
    assert response.status_code == 302
    saved = ProgressReport.objects.get()
    assert saved.note == "بازدید انجام شد"
    assert saved.evidence.name.endswith(".jpg")


def test_an_agency_manager_uses_the_same_screen(client, agency, axis):
    action = ActionFactory(axis=axis, lead_agency=agency)
    login(client, manager(agency))
    assert action.code in client.get(URL).content.decode()
    assert post_rows(client, {action: {"percent": "5"}}).status_code == 302


def test_the_secretariat_chooses_an_agency_and_enters_late_paper_reports(client, agency, axis):
    action = ActionFactory(axis=axis, lead_agency=agency)
    login(client, secretariat())
    assert "Choose the agency" in client.get(URL).content.decode()
    page = client.get(URL, {"agency": agency.pk}).content.decode()
    assert action.code in page and "سازمان صمت" in page
    old = TODAY - dt.timedelta(days=20)
    response = post_rows(client, {action: {"percent": "8"}}, date=old, agency=agency.pk)
    assert response.status_code == 302
    saved = ProgressReport.objects.get()
    assert saved.agency == agency and saved.date == old
    assert saved.late is True and saved.entered_by_secretariat is True


# --- correcting a report -----------------------------------------------------------------------


def correct_url(report):
    return reverse("plans:correct_report", args=[report.pk])


def test_a_reporter_corrects_a_report_with_a_reason(client, agency, axis):
    action = ActionFactory(axis=axis, lead_agency=agency)
    wrong = add_report(action, YESTERDAY, 60)
    login(client, reporter(agency))
    page = client.get(correct_url(wrong)).content.decode()
    assert "1405/03/12" in page and "60" in page  # the report being corrected
    response = client.post(correct_url(wrong), {"percent": "۲۵", "reason": "رقم اشتباه"})
    assert response.status_code == 302
    fixed = ProgressReport.objects.get(corrects=wrong)
    assert fixed.percent == 25 and fixed.date == YESTERDAY and fixed.reason == "رقم اشتباه"


def test_a_correction_needs_a_reason(client, agency, axis):
    wrong = add_report(ActionFactory(axis=axis, lead_agency=agency), YESTERDAY, 60)
    response = login(client, reporter(agency)).post(correct_url(wrong), {"percent": "25"})
    assert response.status_code == 400
    assert ProgressReport.objects.count() == 1


def test_a_corrected_report_cannot_be_corrected_again(client, agency, axis):
    action = ActionFactory(axis=axis, lead_agency=agency)
    wrong = add_report(action, YESTERDAY, 60)
    add_report(action, YESTERDAY, 50, corrects=wrong, reason="اشتباه")
    login(client, reporter(agency))
    assert "already been corrected" in client.get(correct_url(wrong)).content.decode()
    response = client.post(correct_url(wrong), {"percent": "25", "reason": "باز"})
    assert response.status_code == 400
    assert ProgressReport.objects.count() == 2


@pytest.mark.parametrize(
    ("who", "status"), [("stranger", 404), ("governor", 403), ("partner", 403)]
)
def test_others_may_not_correct(client, agency, axis, who, status):
    # A stranger cannot even see the report (guessing an id reveals nothing); the governor and a
    # partner agency see it but never correct it (a partner never corrects the lead's report).
    action = ActionFactory(axis=axis, lead_agency=agency)
    partner = AgencyFactory()
    action.partners.add(partner)
    wrong = add_report(action, YESTERDAY, 60)
    user = {
        "stranger": lambda: reporter(AgencyFactory()),
        "governor": lambda: UserFactory(role=User.Role.GOVERNOR),
        "partner": lambda: reporter(partner),
    }[who]()
    login(client, user)
    assert client.get(correct_url(wrong)).status_code == status
    assert client.post(correct_url(wrong), {"percent": "1", "reason": "x"}).status_code == status
    assert ProgressReport.objects.count() == 1


def test_the_secretariat_corrects_an_old_report(client, agency, axis):
    action = ActionFactory(axis=axis, lead_agency=agency)
    wrong = add_report(action, TODAY - dt.timedelta(days=30), 60)
    response = login(client, secretariat()).post(
        correct_url(wrong), {"percent": "20", "reason": "نامه دستگاه"}
    )
    assert response.status_code == 302
    fixed = ProgressReport.objects.get(corrects=wrong)
    assert fixed.agency == agency and fixed.late and fixed.entered_by_secretariat
