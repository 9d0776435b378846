"""`POST /api/v1/progress/` with an `Idempotency-Key` (SPEC 7), and the daily report screen's
key: a retry gets the first answer and stores nothing; another body with the same key is 422;
20 identical submits at once store one report (on SQLite and PostgreSQL)."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ronagh.core.models import IdempotencyKey
from ronagh.lib.jalali import current_year, format_date, year_bounds
from ronagh.plans.models import ProgressReport
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    communicated,
    reporter,
)


def _world():
    today = timezone.localdate()
    first, last = year_bounds(current_year(today))
    agency = AgencyFactory()
    plan = communicated(PlanFactory(year=current_year(today)), on=first)
    action = ActionFactory(
        axis=AxisFactory(plan=plan),
        lead_agency=agency,
        start=max(first, today - dt.timedelta(days=30)),
        end=last,
    )
    return today, action, reporter(agency)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def send(client, key, **body):
    return client.post("/api/v1/progress/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
def test_the_same_key_and_body_get_the_first_answer_and_store_nothing_more():
    today, action, user = _world()
    client = api(user)
    body = {"action": action.id, "date": today.isoformat(), "percent": 42.5, "note": "خوب"}

    first = send(client, "k-1", **body)
    again = send(client, "k-1", **body)

    assert first.status_code == 201 and again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert ProgressReport.objects.count() == 1
    assert first.json()["channel"] == "api"


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_with_422():
    today, action, user = _world()
    client = api(user)
    send(client, "k-2", action=action.id, date=today.isoformat(), percent=10)

    other = send(client, "k-2", action=action.id, date=today.isoformat(), percent=20)

    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]
    assert list(ProgressReport.objects.values_list("percent", flat=True)) == [10]


@pytest.mark.django_db
def test_a_refused_request_keeps_no_key_so_the_corrected_one_may_use_it():
    today, action, user = _world()
    client = api(user)
    bad = send(client, "k-3", action=action.id, date=today.isoformat(), percent=142)
    good = send(client, "k-3", action=action.id, date=today.isoformat(), percent=42)
    assert bad.status_code == 400 and good.status_code == 201
    assert ProgressReport.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_per_user():
    today, action, user = _world()
    other = reporter(action.lead_agency)
    send(api(user), "shared", action=action.id, date=today.isoformat(), percent=10)
    second = send(api(other), "shared", action=action.id, date=today.isoformat(), percent=12)
    assert second.status_code == 201
    assert ProgressReport.objects.count() == 2


@pytest.mark.django_db
def test_an_unprintable_key_is_a_400():
    today, action, user = _world()
    response = send(api(user), "x" * 300, action=action.id, date=today.isoformat(), percent=10)
    assert response.status_code == 400
    assert not ProgressReport.objects.exists()


def _at_once(n, fn):
    """Run fn(i) in n threads released together; each thread closes its own connection."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def work(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_replays_of_one_key_store_one_report():
    today, action, user = _world()
    key = str(uuid.uuid4())
    body = {"action": action.id, "date": today.isoformat(), "percent": 55}

    answers = _at_once(20, lambda i: send(api(user), key, **body))

    statuses = sorted(a.status_code for a in answers)
    print(f"\n20 concurrent replays of one key ({connection.vendor}): statuses {set(statuses)}")
    assert statuses == [201] * 20
    assert len({a.json()["id"] for a in answers}) == 1
    assert ProgressReport.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submits_of_the_report_screen_store_one_report():
    today, action, user = _world()
    key = uuid.uuid4().hex
    data = {
        "date": format_date(today),
        "action": [str(action.pk)],
        f"a{action.pk}-percent": "33",
        "idempotency_key": key,
    }

    def submit(i):
        client = Client()
        client.force_login(user)
        return client.post(reverse("plans:daily_report"), data)

    answers = _at_once(20, submit)

    print(f"\n20 concurrent form submits ({connection.vendor}): {[a.status_code for a in answers]}")
    assert all(a.status_code == 302 for a in answers)
    assert ProgressReport.objects.count() == 1
