"""The HQ pages as their users meet them: the secretariat records a meeting and its resolutions,
an agency follows up its own clauses (and no one else's), the execution rate is on screen, the
minutes come out as a Persian PDF."""

import datetime as dt
import io
import re
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone

from ronagh.hq import services
from ronagh.hq.models import Clause, EscalationStep, Meeting, Resolution, SystemicIssue
from ronagh.lib.jalali import format_date
from tests.factories import qom

from .conftest import D, make_obstacle, make_unit

TODAY = timezone.localdate()


@pytest.fixture
def seen(world, client):
    """The world with clauses due relative to the real today (pages use the local date)."""
    world.meeting.date = TODAY - dt.timedelta(days=60)
    world.meeting.save()
    r = services.add_resolution(
        actor=world.dabir,
        meeting=world.meeting,
        text="بانک ملی تسهیلات واحد را پرداخت کند.",
        obstacles=[world.obstacle],
    )
    world.res = r
    world.bank_done = services.add_clause(
        actor=world.dabir,
        resolution=r,
        obligation="پرداخت تسهیلات سرمایه در گردش",
        due_date=TODAY - dt.timedelta(days=30),
        agency=world.bank,
    )
    services.mark_clause(
        actor=world.dabir,
        clause=world.bank_done,
        status="done",
        on=TODAY - dt.timedelta(days=31),
    )
    world.industry_open = services.add_clause(
        actor=world.dabir,
        resolution=r,
        obligation="صدور مجوز توسعه کارخانه",
        due_date=TODAY - dt.timedelta(days=10),
        agency=world.industry,
    )
    return world


def _login(client, user):
    client.force_login(user)
    return client


def test_the_meeting_list_shows_each_meetings_execution_rate(seen, client):
    page = _login(client, seen.dabir).get(reverse("hq:meetings")).content.decode()
    # 1 of 2 due clauses done on time.
    assert "۵۰٪" in page
    assert reverse("hq:meeting", args=[seen.meeting.pk]) in page


def test_the_secretariat_records_a_meeting_with_its_agenda(world, client):
    _login(client, world.dabir)
    page = client.get(reverse("hq:meeting_create")).content.decode()
    assert world.obstacle.title in page  # an open obstacle offered for the agenda
    response = client.post(
        reverse("hq:meeting_create"),
        {
            "number": "۲",
            "date": "۱۴۰۵/۰۳/۰۱",
            "place": "استانداری",
            "chair": "استاندار",
            "attendees": "الف\nب",
            "agencies": [world.bank.pk],
            "obstacles": [world.other_obstacle.pk],
            "topics": "گزارش دبیرخانه",
        },
    )
    meeting = Meeting.objects.get(number=2)
    assert response.status_code == 302 and response["Location"].endswith(
        f"/hq/meetings/{meeting.pk}/"
    )
    assert meeting.date == D(2026, 5, 22)
    assert [a.title for a in meeting.agenda.order_by("number")] == ["قطع برق", "گزارش دبیرخانه"]


def test_a_bad_meeting_form_says_why_and_saves_nothing(world, client):
    _login(client, world.dabir)
    response = client.post(reverse("hq:meeting_create"), {"number": "1", "date": "1405/13/40"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_date"' in page and "invalid-feedback" in page  # the date is flagged
    response = client.post(reverse("hq:meeting_create"), {"number": "1", "date": "1405/03/01"})
    assert response.status_code == 400
    assert Meeting.objects.count() == 1


def test_the_secretariat_adds_a_resolution_with_its_first_clause(seen, client):
    _login(client, seen.dabir)
    url = reverse("hq:resolution_create", args=[seen.meeting.pk])
    response = client.post(
        url,
        {
            "text": "شرکت توزیع برق انشعاب را وصل کند.",
            "obstacles": [seen.other_obstacle.pk],
            "party_kind": "firm",
            "unit": seen.unit.pk,
            "obligation": "ارائه تضمین",
            "due_date": format_date(TODAY + dt.timedelta(days=20)),
        },
    )
    assert response.status_code == 302
    resolution = Resolution.objects.get(meeting=seen.meeting, number=2)
    clause = resolution.clauses.get()
    assert (clause.party_kind, clause.unit) == ("firm", seen.unit)


def test_an_agency_sees_only_its_own_clauses_of_a_meeting(seen, client):
    page = _login(client, seen.bank_reporter).get(reverse("hq:meeting", args=[seen.meeting.pk]))
    text = page.content.decode()
    assert "پرداخت تسهیلات سرمایه در گردش" in text
    assert "صدور مجوز توسعه کارخانه" not in text
    assert seen.other_obstacle.title not in text  # no agenda for agencies
    minutes = client.get(reverse("hq:minutes", args=[seen.meeting.pk]))
    assert minutes.status_code == 403


def test_an_agency_cannot_open_or_mark_another_agencys_clause(seen, client):
    _login(client, seen.bank_reporter)
    url = reverse("hq:clause", args=[seen.industry_open.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"do": "mark", "which": "done", "done-status": "done"})
    assert response.status_code == 404
    seen.industry_open.refresh_from_db()
    assert seen.industry_open.status == "open"


def test_an_agency_marks_its_clause_done_from_its_follow_up_page(seen, client):
    _login(client, seen.industry_reporter)
    listing = client.get(reverse("hq:clauses")).content.decode()
    assert "صدور مجوز توسعه کارخانه" in listing and "پرداخت تسهیلات" not in listing
    url = reverse("hq:clause", args=[seen.industry_open.pk])
    response = client.post(
        url,
        {
            "do": "mark",
            "which": "done",
            "done-status": "done",
            "done-on": format_date(TODAY),
            "done-note": "مجوز صادر شد",
        },
    )
    assert response.status_code == 302
    seen.industry_open.refresh_from_db()
    assert (seen.industry_open.status, seen.industry_open.done_on) == ("done", TODAY)


def test_not_done_without_a_reason_is_refused_with_a_message(seen, client):
    _login(client, seen.industry_reporter)
    url = reverse("hq:clause", args=[seen.industry_open.pk])
    response = client.post(url, {"do": "mark", "which": "not_done", "not_done-status": "not_done"})
    assert response.status_code == 400
    assert "دلیل" in response.content.decode() or "why" in response.content.decode()
    assert Clause.objects.get(pk=seen.industry_open.pk).status == "open"


def test_an_escalation_out_of_order_is_refused_on_the_page(seen, client):
    _login(client, seen.dabir)
    url = reverse("hq:clause", args=[seen.industry_open.pk])
    page = client.get(url).content.decode()
    assert 'name="step"' in page  # overdue: the ladder is offered
    response = client.post(url, {"do": "escalate", "step": "governor_letter"})
    assert response.status_code == 400
    assert not EscalationStep.objects.exists()
    response = client.post(url, {"do": "escalate", "step": "reminder", "note": "نامه شماره ۱"})
    assert response.status_code == 302
    assert EscalationStep.objects.get().step == "reminder"


def test_the_execution_rate_page_has_its_tables_and_charts(seen, client):
    page = _login(client, seen.governor).get(reverse("hq:rates")).content.decode()
    assert 'data-chart="chart-month"' in page and 'id="chart-month"' in page
    assert 'data-chart="chart-agency"' in page
    assert seen.bank.name in page and seen.industry.name in page
    assert "<script>" not in page.replace('<script type="application/json"', "")


def test_an_agency_sees_only_its_own_rate(seen, client):
    page = _login(client, seen.industry_reporter).get(reverse("hq:rates")).content.decode()
    assert seen.industry.name in page and seen.bank.name not in page


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return unicodedata.normalize("NFKC", text)


def test_the_minutes_are_a_persian_pdf_with_the_jalali_date(seen, client):
    response = _login(client, seen.dabir).get(reverse("hq:minutes", args=[seen.meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    squashed = re.sub(r"\s+", "", text)
    jalali = format_date(seen.meeting.date)  # e.g. 1405/07/06
    persian = jalali.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    # Extraction may give a right-to-left line's digits in visual order.
    assert any(d in squashed for d in (persian, persian[::-1], jalali, jalali[::-1]))
    for words in ("تسهیلات", "سالن جلسات استانداری"):
        word = words.replace(" ", "")
        assert word in squashed or word[::-1] in squashed


def test_systemic_issue_is_grouped_and_referred_from_the_pages(world, client):
    _login(client, world.dabir)
    o2 = make_obstacle(agency=world.bank, unit=make_unit(name="دوم"), jobs=7)
    response = client.post(
        reverse("hq:systemic_create"),
        {
            "title": "سقف تسهیلات",
            "cause_kind": "bank_policy",
            "cause": "بخشنامه",
            "obstacles": [world.obstacle.pk, o2.pk],
        },
    )
    issue = SystemicIssue.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("hq:systemic", args=[issue.pk])).content.decode()
    assert "۱۷" in page  # 10 + 7 jobs
    response = client.post(reverse("hq:systemic", args=[issue.pk]), {"reference": "۴۵"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.referred_on == TODAY


def test_agencies_do_not_see_systemic_issues(world, client):
    _login(client, world.bank_manager)
    assert client.get(reverse("hq:systemic_list")).status_code == 403


def test_readers_see_meetings_but_have_no_buttons_to_write(seen, client):
    page = _login(client, seen.governor).get(reverse("hq:meeting", args=[seen.meeting.pk]))
    text = page.content.decode()
    assert "صدور مجوز توسعه کارخانه" in text
    assert reverse("hq:resolution_create", args=[seen.meeting.pk]) not in text
    assert client.get(reverse("hq:meeting_create")).status_code == 403
    assert qom().name in text
