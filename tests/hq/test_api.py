"""The HQ over HTTP: meetings, resolutions and clauses with the same permissions as the pages."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ronagh.hq import services
from ronagh.hq.models import Clause, Meeting

TODAY = timezone.localdate()


@pytest.fixture
def api():
    """An API client signed in as the given user."""

    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    return make


@pytest.fixture
def held(world):
    """Meeting 1 held two months ago with a bank clause overdue and an industry clause done."""
    world.meeting.date = TODAY - dt.timedelta(days=60)
    world.meeting.save()
    r = services.add_resolution(
        actor=world.dabir,
        meeting=world.meeting,
        text="مصوبه آزمایشی",
        clauses=[
            {
                "obligation": "پرداخت",
                "due_date": TODAY - dt.timedelta(days=20),
                "agency": world.bank,
            },
            {
                "obligation": "مجوز",
                "due_date": TODAY - dt.timedelta(days=20),
                "agency": world.industry,
            },
        ],
    )
    world.res = r
    world.bank_clause, world.industry_clause = r.clauses.order_by("number")
    services.mark_clause(
        actor=world.dabir,
        clause=world.industry_clause,
        status="done",
        on=TODAY - dt.timedelta(days=21),
    )
    return world


def test_meetings_list_with_their_execution_rate(held, api):
    body = api(held.governor).get("/api/v1/meetings/").json()
    assert [m["number"] for m in body] == [1]
    m = body[0]
    assert m["date"] == held.meeting.date.isoformat() and m["date_jalali"].startswith("14")
    assert m["execution"] == {
        "due": 2,
        "on_time": 1,
        "late": 0,
        "not_done": 0,
        "overdue": 1,
        "not_yet_due": 0,
        "rate": 50.0,
    }


def test_a_meeting_in_detail_has_its_agenda_and_resolutions(held, api):
    body = api(held.dabir).get(f"/api/v1/meetings/{held.meeting.pk}/").json()
    assert [a["obstacle"] for a in body["agenda"]] == [held.obstacle.pk, held.other_obstacle.pk]
    assert body["resolutions"][0]["code"] == "1/1"
    assert [c["code"] for c in body["resolutions"][0]["clauses"]] == ["1/1-1", "1/1-2"]


def test_an_agency_sees_only_its_clauses_over_the_api(held, api):
    client = api(held.bank_reporter)
    clauses = client.get("/api/v1/clauses/").json()
    assert [c["id"] for c in clauses] == [held.bank_clause.pk]
    assert clauses[0]["overdue"] is True
    meeting = client.get(f"/api/v1/meetings/{held.meeting.pk}/").json()
    assert meeting["agenda"] == []
    assert [c["id"] for c in meeting["resolutions"][0]["clauses"]] == [held.bank_clause.pk]
    other = client.get(f"/api/v1/clauses/{held.industry_clause.pk}/")
    assert other.status_code == 404
    moved = client.post(
        f"/api/v1/clauses/{held.industry_clause.pk}/mark/", {"status": "open"}, format="json"
    )
    assert moved.status_code == 404


def test_the_agency_marks_its_clause_and_a_second_mark_is_a_conflict(held, api):
    client = api(held.bank_manager)
    url = f"/api/v1/clauses/{held.bank_clause.pk}/mark/"
    response = client.post(url, {"status": "not_done"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(url, {"status": "done", "on": TODAY.isoformat()}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    assert response.json()["updates"][0]["by"] == held.bank_manager.username
    assert client.post(url, {"status": "done"}, format="json").status_code == 409


def test_the_governor_reads_but_cannot_mark(held, api):
    response = api(held.governor).post(
        f"/api/v1/clauses/{held.bank_clause.pk}/mark/", {"status": "done"}, format="json"
    )
    assert response.status_code == 403
    assert Clause.objects.get(pk=held.bank_clause.pk).status == "open"


def test_escalation_over_the_api_keeps_the_ladder(held, api):
    client = api(held.dabir)
    url = f"/api/v1/clauses/{held.bank_clause.pk}/escalate/"
    response = client.post(url, {"step": "article_62"}, format="json")
    assert response.status_code == 400 and "step" in response.json()
    response = client.post(url, {"step": "reminder", "note": "نامه"}, format="json")
    assert response.status_code == 201
    assert [s["step"] for s in response.json()["escalations"]] == ["reminder"]
    assert response.json()["next_steps"] == ["reminder", "governor_letter"]
    reporter = api(held.bank_reporter).post(url, {"step": "governor_letter"}, format="json")
    assert reporter.status_code == 403


def test_the_secretariat_creates_a_meeting_a_resolution_and_a_clause(held, api):
    client = api(held.dabir)
    response = client.post(
        "/api/v1/meetings/",
        {
            "date": "1405/03/01",
            "attendees": ["استاندار", "دبیر"],
            "agenda": [held.other_obstacle.pk],
            "agencies": [held.bank.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["date"]) == (2, "2026-05-22")
    assert body["agenda"][0]["obstacle"] == held.other_obstacle.pk
    response = client.post(
        "/api/v1/resolutions/",
        {
            "meeting": body["id"],
            "text": "متن",
            "obstacles": [held.other_obstacle.pk],
            "clauses": [
                {
                    "party_kind": "firm",
                    "firm": "شرکت الف",
                    "obligation": "x",
                    "due_date": "2026-06-01",
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    resolution = response.json()
    assert resolution["code"] == "2/1" and resolution["clauses"][0]["party"] == "شرکت الف"
    response = client.post(
        "/api/v1/clauses/",
        {"resolution": resolution["id"], "obligation": "", "due_date": None, "agency": None},
        format="json",
    )
    assert response.status_code == 400
    assert {"obligation", "due_date", "agency"} <= set(response.json())


def test_only_the_secretariat_creates_meetings(held, api):
    response = api(held.governor).post("/api/v1/meetings/", {"date": "2026-06-01"}, format="json")
    assert response.status_code == 403
    assert Meeting.objects.count() == 1


def test_the_execution_rate_endpoint(held, api):
    body = api(held.dabir).get("/api/v1/meetings/execution-rate/").json()
    assert body["total"]["rate"] == 50.0
    by_agency = {a["agency"]: a["rate"] for a in body["agencies"]}
    assert by_agency == {held.bank.pk: 0.0, held.industry.pk: 100.0}
    assert body["meetings"][0]["meeting"] == held.meeting.pk
    assert sum(m["due"] for m in body["months"]) == 2
    mine = api(held.bank_reporter).get("/api/v1/meetings/execution-rate/").json()
    assert [a["agency"] for a in mine["agencies"]] == [held.bank.pk]


def test_the_schema_documents_the_hq_paths(api, world):
    schema = api(world.dabir).get("/api/v1/schema/?format=json").json()
    for path in (
        "/api/v1/meetings/",
        "/api/v1/meetings/execution-rate/",
        "/api/v1/resolutions/",
        "/api/v1/clauses/{id}/mark/",
        "/api/v1/clauses/{id}/escalate/",
    ):
        assert path in schema["paths"]
