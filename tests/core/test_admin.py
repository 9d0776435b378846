"""The admin obeys the pages' scoping (SPEC 10): a province's secretariat sees and changes only
its own province's objects, never another province's people, and never the permission fields —
superuser status cannot be granted from the web."""

import pytest

from ronagh.core.models import Agency, Province, User
from tests.factories import AgencyFactory, UserFactory, reporter, secretariat

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    tehran = Province.objects.get(code="tehran")
    return {
        "qom": secretariat(username="dabir-qom"),
        "tehran": secretariat(username="dabir-tehran", province=tehran),
        "tehran_agency": Agency.objects.create(province=tehran, name="استانداری تهران"),
        "qom_reporter": reporter(AgencyFactory(name="سازمان صنعت قم")),
    }


def change_form(user: User) -> dict:
    return {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": user.role,
        "agency": user.agency_id or "",
        "province": user.province_id or "",
        "phone": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "last_login_0": "",
        "last_login_1": "",
        # What an escalation would tick:
        "is_superuser": "on",
        "is_staff": "on",
    }


def test_the_secretariat_cannot_make_itself_superuser(client, people):
    me = people["qom"]
    client.force_login(me)
    response = client.post(f"/admin/core/user/{me.pk}/change/", change_form(me))
    assert response.status_code in (200, 302)
    me.refresh_from_db()
    assert not me.is_superuser
    page = client.get(f"/admin/core/user/{me.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page


def test_the_secretariat_cannot_touch_another_provinces_people(client, people):
    client.force_login(people["qom"])
    other = people["tehran"]
    assert client.get(f"/admin/core/user/{other.pk}/change/").status_code in (302, 403, 404)
    form = change_form(other) | {"is_active": ""}
    client.post(f"/admin/core/user/{other.pk}/change/", form)
    other.refresh_from_db()
    assert other.is_active
    listing = client.get("/admin/core/user/").content.decode()
    assert "dabir-tehran" not in listing and "dabir-qom" in listing
    agencies = client.get("/admin/core/agency/").content.decode()
    assert "استانداری تهران" not in agencies and "سازمان صنعت قم" in agencies
    opened = client.get(f"/admin/core/agency/{people['tehran_agency'].pk}/change/")
    assert opened.status_code in (302, 403, 404)


def test_no_superuser_is_shown_to_a_provincial_secretariat(client, people):
    root = UserFactory(
        username="root", role=User.Role.SECRETARIAT, is_superuser=True, is_staff=True
    )
    client.force_login(people["qom"])
    assert "root" not in client.get("/admin/core/user/").content.decode()
    assert client.get(f"/admin/core/user/{root.pk}/change/").status_code in (302, 403, 404)


def test_even_a_superuser_grants_superuser_status_only_from_the_command_line(client, people):
    root = UserFactory(
        username="root", role=User.Role.SECRETARIAT, is_superuser=True, is_staff=True
    )
    client.force_login(root)
    target = people["qom_reporter"]
    client.post(f"/admin/core/user/{target.pk}/change/", change_form(target))
    target.refresh_from_db()
    assert not target.is_superuser
