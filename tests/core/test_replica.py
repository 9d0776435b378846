"""A read replica for the pages (core/replica.py, docs/deploy.md): safe requests read from it,
writes and everything inside a transaction go to the primary, and a browser that has just
written reads from the primary for a few seconds."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from ronagh.core.models import Province
from ronagh.core.replica import PIN_COOKIE, REPLICA, ReplicaRouter, replica_reads
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:Overriding setting DATABASES"),
]


@pytest.fixture
def replica(settings):
    """A second alias on the same test database, as a replica would be (it sees what the primary
    committed: these tests commit)."""
    connections.settings[REPLICA] = {**connections.settings["default"]}
    settings.DATABASES = {**settings.DATABASES, REPLICA: connections.settings[REPLICA]}
    connections[REPLICA].connect()  # opened here: the test case only guards aliases it knows
    yield connections[REPLICA]
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


def test_without_a_replica_everything_is_on_the_primary():
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Province) == "default"
    assert router.db_for_write(Province) == "default"


def test_reads_go_to_the_replica_only_when_asked_and_never_inside_a_transaction(replica):
    router = ReplicaRouter()
    assert router.db_for_read(Province) == "default"
    with replica_reads():
        assert router.db_for_read(Province) == REPLICA
        assert router.db_for_write(Province) == "default"
        with transaction.atomic():
            assert router.db_for_read(Province) == "default"
    assert router.allow_migrate(REPLICA, "core") is False
    assert router.allow_migrate("default", "core") is True


def test_a_page_reads_from_the_replica_and_a_post_writes_to_the_primary(replica, client):
    user = UserFactory(username="dabir")
    client.force_login(user)
    primary = connections["default"]
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(primary) as on_primary:
        assert client.get(reverse("plans:plan_list")).status_code == 200
    assert any("plans_plan" in q["sql"] for q in on_replica.captured_queries)
    assert not any("plans_plan" in q["sql"] for q in on_primary.captured_queries)

    with CaptureQueriesContext(replica) as on_replica:
        response = client.post(reverse("logout"))
    assert on_replica.captured_queries == []
    assert response.cookies[PIN_COOKIE]["max-age"]


def test_a_browser_that_has_just_written_reads_from_the_primary(replica, client):
    client.force_login(UserFactory(username="dabir2"))
    client.cookies[PIN_COOKIE] = "1"
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(reverse("plans:plan_list")).status_code == 200
    assert on_replica.captured_queries == []


@override_settings()
def test_the_replica_setting_comes_from_the_environment(monkeypatch):
    import importlib

    import ronagh.settings as module

    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/primary")
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://postgres@10.0.0.2:5432/primary")
    try:
        reloaded = importlib.reload(module)
        assert reloaded.DATABASES[REPLICA]["HOST"] == "10.0.0.2"
        assert reloaded.DATABASES[REPLICA]["TEST"] == {"MIRROR": "default"}
        assert "jit=off" in reloaded.DATABASES[REPLICA]["OPTIONS"]["options"]
        assert reloaded.DATABASE_ROUTERS == ["ronagh.core.replica.ReplicaRouter"]
    finally:
        monkeypatch.undo()
        importlib.reload(module)
