import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ronagh.core.models import User
from ronagh.lib.digits import to_latin
from ronagh.lib.jalali import format_date
from ronagh.lib.workdays import Calendar
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


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def agency():
    return AgencyFactory(name="اداره کل صنعت")


@pytest.fixture
def action(agency):
    """An action of a plan communicated two months ago, running until two months from now."""
    plan = communicated(PlanFactory(), on=today() - dt.timedelta(days=60))
    return ActionFactory(
        axis=AxisFactory(plan=plan),
        lead_agency=agency,
        start=today() - dt.timedelta(days=60),
        end=today() + dt.timedelta(days=60),
    )


def post(client, **data):
    return client.post("/api/v1/progress/", data, format="json")


def test_a_reporter_reports_today(client_for, action, agency):
    user = reporter(agency)

    response = post(
        client_for(user), action=action.id, date=today().isoformat(), percent=42.5, note="خوب"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["action"] == action.id
    assert body["agency"] == agency.id
    assert body["date"] == today().isoformat()
    assert body["date_jalali"] == format_date(today())
    assert body["percent"] == 42.5
    assert body["note"] == "خوب"
    assert body["corrects"] is None and body["reason"] == ""
    assert body["late"] is False and body["entered_by_secretariat"] is False
    assert body["entered_by"] == user.username
    assert body["entered_at"] and body["entered_at_jalali"].startswith(format_date(today()))
    assert ProgressReport.objects.get().percent == 42.5


def test_persian_digits_and_a_jalali_date_are_accepted(client_for, action, agency):
    response = post(
        client_for(reporter(agency)),
        action=action.id,
        date=format_date(today(), persian_digits=True),
        percent="۴۲٫۵",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["percent"] == 42.5
    assert response.json()["date"] == today().isoformat()


def test_missing_fields_get_a_message_each(client_for, agency, action):
    response = post(client_for(reporter(agency)))

    assert response.status_code == 400
    assert {"action", "date", "percent"} <= set(response.json())


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"percent": 120}, "percent"),
        ({"percent": -1}, "percent"),
        ({"percent": 42.55}, "percent"),
        ({"percent": "چهل"}, "percent"),
        ({"date": "2026-13-45"}, "date"),
        ({"date": ""}, "date"),
        ({"action": 999999}, "action"),
    ],
)
def test_bad_input_is_400_naming_the_field(client_for, action, agency, data, field):
    payload = {"action": action.id, "date": today().isoformat(), "percent": 40, **data}

    response = post(client_for(reporter(agency)), **payload)

    assert response.status_code == 400
    assert field in response.json()
    assert not ProgressReport.objects.exists()


def test_a_future_date_is_refused(client_for, action, agency):
    tomorrow = today() + dt.timedelta(days=1)

    response = post(
        client_for(reporter(agency)), action=action.id, date=tomorrow.isoformat(), percent=10
    )

    assert response.status_code == 400
    assert "date" in response.json()


def test_a_draft_plan_takes_no_reports(client_for, agency):
    draft = ActionFactory(axis=AxisFactory(plan=PlanFactory()), lead_agency=agency)

    response = post(
        client_for(reporter(agency)), action=draft.id, date=today().isoformat(), percent=10
    )

    assert response.status_code == 400
    assert "action" in response.json()


def test_a_decrease_needs_a_correction_with_a_reason(client_for, action, agency):
    earlier = add_report(action, today(), 50)
    client = client_for(reporter(agency))

    silent = post(client, action=action.id, date=today().isoformat(), percent=40)
    no_reason = post(
        client, action=action.id, date=today().isoformat(), percent=40, corrects=earlier.id
    )
    corrected = post(
        client, action=action.id, date=today().isoformat(), percent=40, corrects=earlier.id,
        reason="خطای ورود",
    )  # fmt: skip

    assert silent.status_code == 400 and "percent" in silent.json()
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert corrected.status_code == 201
    assert corrected.json()["corrects"] == earlier.id
    assert corrected.json()["reason"] == "خطای ورود"
    # A reporter's correction waits for the manager (SPEC 1, 4.2): it supersedes nothing yet.
    correction = corrected.json()["id"]
    assert corrected.json()["state"] == "pending"
    listed = client.get("/api/v1/progress/", {"action": action.id}).json()
    assert [(r["id"], r["corrected_by"], r["state"]) for r in listed] == [
        (earlier.id, None, "effective"),
        (correction, None, "pending"),
    ]
    approved = client_for(manager(agency)).post(
        f"/api/v1/progress/{correction}/decide/",
        {"approve": True, "comment": "درست است"},
        format="json",
    )
    assert approved.status_code == 200 and approved.json()["state"] == "effective"
    assert approved.json()["decision"]["comment"] == "درست است"
    listed = client.get("/api/v1/progress/", {"action": action.id}).json()
    assert [(r["id"], r["corrected_by"], r["state"]) for r in listed] == [
        (earlier.id, correction, "superseded"),
        (correction, None, "effective"),
    ]


def test_another_agency_may_neither_see_nor_report_on_the_action(client_for, action):
    outsider = reporter(AgencyFactory())
    add_report(action, today(), 10)
    client = client_for(outsider)

    response = post(client, action=action.id, date=today().isoformat(), percent=20)

    assert response.status_code == 403
    assert response.json()["detail"]
    assert client.get(f"/api/v1/actions/{action.id}/").status_code == 404
    assert client.get("/api/v1/progress/", {"action": action.id}).json() == []
    assert ProgressReport.objects.count() == 1


def test_a_partner_agency_reports_in_its_own_name(client_for, action):
    partner = AgencyFactory()
    action.partners.add(partner)

    response = post(
        client_for(reporter(partner)), action=action.id, date=today().isoformat(), percent=5
    )

    assert response.status_code == 201
    assert response.json()["agency"] == partner.id


@pytest.mark.parametrize("role", [User.Role.GOVERNOR, User.Role.AUDITOR])
def test_readers_may_not_report(client_for, action, role):
    response = post(
        client_for(UserFactory(role=role)), action=action.id, date=today().isoformat(), percent=5
    )

    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


def _first_open_day(calendar: Calendar) -> dt.date:
    """The earliest day a reporter may still report today: its 3rd working day after is today
    or later."""
    day = today()
    while calendar.add_working_days(day - dt.timedelta(days=1), 3) >= today():
        day -= dt.timedelta(days=1)
    return day


def test_the_reporting_window_is_three_working_days(client_for, action, agency):
    first_open = _first_open_day(Calendar())
    closed = first_open - dt.timedelta(days=1)
    client = client_for(reporter(agency))

    on_time = post(client, action=action.id, date=first_open.isoformat(), percent=10)
    too_late = post(client, action=action.id, date=closed.isoformat(), percent=10)

    assert on_time.status_code == 201
    assert on_time.json()["late"] is False
    assert too_late.status_code == 403
    assert format_date(closed) in to_latin(too_late.json()["detail"])


def test_the_secretariat_enters_a_late_report(client_for, action, agency):
    late_day = today() - dt.timedelta(days=20)

    response = post(
        client_for(secretariat()), action=action.id, date=late_day.isoformat(), percent=10
    )

    assert response.status_code == 201
    body = response.json()
    assert body["late"] is True and body["entered_by_secretariat"] is True
    assert body["agency"] == agency.id


def test_the_token_header_works(action, agency):
    user = reporter(agency)
    token = Token.objects.create(user=user)
    client = APIClient()

    anonymous = client.post("/api/v1/progress/", {}, format="json")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(
        "/api/v1/progress/",
        {"action": action.id, "date": today().isoformat(), "percent": 12},
        format="json",
    )
    me = client.get("/api/v1/me/").json()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    wrong = client.get("/api/v1/progress/")

    assert anonymous.status_code == 401
    assert response.status_code == 201
    assert response.json()["entered_by"] == user.username
    assert me == {
        "username": user.username,
        "full_name": "",
        "role": "agency_reporter",
        "agency": agency.id,
        "agency_name": "اداره کل صنعت",
        "province": "qom",
    }
    assert wrong.status_code == 401


def test_the_list_is_scoped_and_filtered(client_for, action, agency):
    other = ActionFactory(axis=action.axis)
    mine = add_report(action, today() - dt.timedelta(days=2), 10)
    add_report(action, today(), 20)
    add_report(other, today(), 30)

    own = client_for(reporter(agency)).get("/api/v1/progress/").json()
    since = (
        client_for(secretariat())
        .get(
            "/api/v1/progress/",
            {"action": action.id, "until": (today() - dt.timedelta(days=1)).isoformat()},
        )
        .json()
    )

    assert {r["action"] for r in own} == {action.id}
    assert [r["id"] for r in since] == [mine.id]


def test_an_evidence_file_can_go_with_the_report(client_for, action, agency):
    evidence = SimpleUploadedFile("sooratjalase.pdf", b"%PDF-1.4 sample", "application/pdf")

    response = client_for(reporter(agency)).post(
        "/api/v1/progress/",
        {"action": action.id, "date": today().isoformat(), "percent": "15", "evidence": evidence},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["evidence"].endswith(".pdf")
    assert ProgressReport.objects.get().evidence.read() == b"%PDF-1.4 sample"


def test_a_partner_agency_cannot_correct_the_lead_agencys_report(client_for, action, agency):
    # The security test's finding: a partner "corrected" the lead's report and moved its grade.
    partner = AgencyFactory(name="بانک همکار")
    action.partners.add(partner)
    lead_report = add_report(action, today() - dt.timedelta(days=1), 60, user=reporter(agency))
    response = post(
        client_for(reporter(partner)), action=action.id, date=lead_report.date.isoformat(),
        percent=10, corrects=lead_report.id, reason="کم بود",
    )  # fmt: skip
    assert response.status_code == 403
    assert ProgressReport.objects.count() == 1
    # The lead agency corrects its own report.
    own = post(
        client_for(reporter(agency)), action=action.id, date=lead_report.date.isoformat(),
        percent=50, corrects=lead_report.id, reason="اشتباه تایپی",
    )  # fmt: skip
    assert own.status_code == 201


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", b"<script>alert(1)</script>"),
        ("setup.exe", b"MZ\x90\x00"),
        ("report.pdf", b"<html><script>alert(1)</script>"),  # a page renamed .pdf
        ("photo.jpg", b"MZ\x90\x00 not a photo"),
    ],
)
def test_the_api_refuses_an_evidence_file_of_the_wrong_kind(
    client_for, action, agency, name, content
):
    upload = SimpleUploadedFile(name, content, "application/octet-stream")
    response = client_for(reporter(agency)).post(
        "/api/v1/progress/",
        {"action": action.id, "date": today().isoformat(), "percent": "15", "evidence": upload},
    )
    assert response.status_code == 400
    assert "evidence" in response.json()
    assert ProgressReport.objects.count() == 0


def test_the_api_refuses_an_evidence_file_over_the_cap(client_for, action, agency, settings):
    settings.RONAGH_UPLOADS = {**settings.RONAGH_UPLOADS, "EVIDENCE_MAX_BYTES": 1024}
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * 2000, "application/pdf")
    response = client_for(reporter(agency)).post(
        "/api/v1/progress/",
        {"action": action.id, "date": today().isoformat(), "percent": "15", "evidence": upload},
    )
    assert response.status_code == 400
    assert "evidence" in response.json()
    assert ProgressReport.objects.count() == 0
