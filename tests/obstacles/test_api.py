"""SPEC 7's obstacle API: register, list and filter, read with transitions, move."""

import datetime as dt

from django.utils import timezone
from rest_framework.test import APIClient

from ronagh.obstacles import services
from ronagh.obstacles.models import Obstacle, RoutingRule, Transition

from .conftest import at

BODY = {
    "title": "قطعی برق شهرک صنعتی",
    "description": "سه روز در هفته برق قطع است.",
    "category": "energy",
    "severity": 4,
    "jobs_affected": 120,
    "amount": 3_000_000_000,
}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def post_transition(user, obstacle_id, **body):
    return api(user).post(f"/api/v1/obstacles/{obstacle_id}/transition/", body, format="json")


def test_registering_routes_by_the_table_and_answers_201(org):
    RoutingRule.objects.create(province=org.province, category="energy", agency=org.power)
    response = api(org.dabir).post("/api/v1/obstacles/", BODY, format="json")
    assert response.status_code == 201
    data = response.json()
    today = timezone.localdate()
    assert data["status"] == "assigned"
    assert data["responsible_agency"] == org.power.id
    assert data["due_date"] == (today + dt.timedelta(days=7)).isoformat()
    assert data["due_date_jalali"].startswith("14")
    assert data["overdue"] is False
    assert Obstacle.objects.get(pk=data["id"]).title == BODY["title"]


def test_a_responsible_agency_and_an_action_may_be_given(org):
    from tests.factories import ActionFactory

    action = ActionFactory(lead_agency=org.bank)
    body = {**BODY, "responsible_agency": org.bank.id, "action": action.id}
    data = api(org.dabir).post("/api/v1/obstacles/", body, format="json").json()
    assert data["responsible_agency"] == org.bank.id and data["action"] == action.id


def test_without_routing_it_stays_registered(org):
    data = api(org.dabir).post("/api/v1/obstacles/", BODY, format="json").json()
    assert data["status"] == "registered"
    assert data["responsible_agency"] is None and data["due_date"] is None


def test_bad_input_gets_a_message_per_field_and_saves_nothing(org):
    body = {**BODY, "category": "weather", "severity": 9, "jobs_affected": -1}
    response = api(org.dabir).post("/api/v1/obstacles/", body, format="json")
    assert response.status_code == 400
    assert {"category", "severity", "jobs_affected"} <= set(response.json())
    assert not Obstacle.objects.exists()


def test_the_governor_and_the_auditor_may_not_register(org):
    for user in (org.governor, org.auditor):
        assert api(user).post("/api/v1/obstacles/", BODY, format="json").status_code == 403
    assert not Obstacle.objects.exists()


def test_anonymous_gets_nothing(org, register):
    register(responsible_agency=org.bank)
    assert APIClient().get("/api/v1/obstacles/").status_code in (401, 403)


def test_detail_has_the_transitions(org, register):
    obstacle = register(responsible_agency=org.bank)
    services.transition(actor=org.bank_reporter, obstacle=obstacle, to="in_progress")
    data = api(org.dabir).get(f"/api/v1/obstacles/{obstacle.id}/").json()
    steps = data["transitions"]
    assert [(s["from"], s["to"]) for s in steps] == [
        ("registered", "assigned"),
        ("assigned", "in_progress"),
    ]
    assert steps[1]["by"] == org.bank_reporter.username
    assert {"from", "to", "by", "at", "comment"} <= set(steps[0])


def test_the_story_of_one_obstacle_over_the_api(org):
    created = api(org.dabir).post("/api/v1/obstacles/", BODY, format="json").json()
    oid = created["id"]
    response = post_transition(org.dabir, oid, to="assigned", agency=org.power.id)
    assert response.status_code == 200 and response.json()["status"] == "assigned"
    response = post_transition(org.dabir, oid, to="assigned", agency=org.bank.id)
    assert response.status_code == 400 and "comment" in response.json()
    response = post_transition(
        org.dabir, oid, to="assigned", agency=org.bank.id, comment="مربوط به بانک است"
    )
    assert response.json()["bounces"] == 1
    assert post_transition(org.bank_reporter, oid, to="in_progress").status_code == 200
    assert post_transition(org.bank_reporter, oid, to="resolved").status_code == 400
    response = post_transition(org.bank_reporter, oid, to="resolved", comment="تسهیلات پرداخت شد")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "resolved"
    assert [t["to"] for t in data["transitions"]] == [
        "assigned",
        "assigned",
        "in_progress",
        "resolved",
    ]


def test_a_transition_spec5_does_not_allow_is_400(org, register):
    obstacle = register(responsible_agency=org.bank)
    response = post_transition(org.dabir, obstacle.id, to="registered", comment="x")
    assert response.status_code == 400 and "to" in response.json()
    response = post_transition(org.dabir, obstacle.id, to="nonsense")
    assert response.status_code == 400


def test_a_user_who_may_not_make_the_step_gets_403(org, register):
    obstacle = register(responsible_agency=org.bank)
    assert (
        post_transition(org.bank_reporter, obstacle.id, to="rejected", comment="x").status_code
        == 403
    )
    assert post_transition(org.dabir, obstacle.id, to="in_progress").status_code == 403
    assert post_transition(org.governor, obstacle.id, to="resolved", comment="x").status_code == 403
    assert post_transition(org.auditor, obstacle.id, to="resolved", comment="x").status_code == 403
    assert Transition.objects.filter(obstacle=obstacle).count() == 1


def test_an_agency_neither_sees_nor_moves_another_agencys_obstacle(org, register):
    obstacle = register(responsible_agency=org.bank)
    other = api(org.tax_reporter)
    assert other.get(f"/api/v1/obstacles/{obstacle.id}/").status_code == 404
    assert other.get("/api/v1/obstacles/").json() == []
    response = post_transition(org.tax_reporter, obstacle.id, to="in_progress")
    assert response.status_code == 404
    obstacle.refresh_from_db()
    assert obstacle.status == "assigned"
    mine = api(org.bank_reporter).get("/api/v1/obstacles/").json()
    assert [o["id"] for o in mine] == [obstacle.id]


def test_filters_status_agency_and_overdue(org, register):
    old = register(
        responsible_agency=org.bank, severity=4, at=at(timezone.localdate() - dt.timedelta(30))
    )
    fresh = register(responsible_agency=org.tax, severity=4, at=at(timezone.localdate()))
    waiting = register()
    client = api(org.dabir)

    def ids(**params):
        response = client.get("/api/v1/obstacles/", params)
        assert response.status_code == 200
        return {o["id"] for o in response.json()}

    assert ids() == {old.id, fresh.id, waiting.id}
    assert ids(status="registered") == {waiting.id}
    assert ids(agency=org.tax.id) == {fresh.id}
    assert ids(overdue="true") == {old.id}
    assert ids(overdue="true", agency=org.tax.id) == set()
    listed = {o["id"]: o for o in client.get("/api/v1/obstacles/").json()}
    assert listed[old.id]["overdue"] is True and listed[old.id]["days_overdue"] == 23
    assert client.get("/api/v1/obstacles/", {"status": "lost"}).status_code == 400


def test_the_schema_documents_the_obstacle_paths(client, db):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/obstacles/"])
    assert "get" in paths["/api/v1/obstacles/{id}/"]
    assert "post" in paths["/api/v1/obstacles/{id}/transition/"]
    steps = schema["components"]["schemas"]["Transition"]["properties"]
    assert {"from", "to", "by", "at", "comment"} <= set(steps)
