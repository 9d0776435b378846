"""The Django admin is the superuser's alone: a province's secretariat, the governor and agency
users are sent to the admin's sign-in page, so nothing there — the permission fields least of
all — can be reached from an official's account. Officials keep holidays, counties, users and
roles on the app's pages (tests/core/test_organisation_pages.py)."""

import pytest

from ronagh.core.models import User
from tests.factories import AgencyFactory, UserFactory, reporter, secretariat

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "make",
    [
        lambda: secretariat(username="dabir-qom"),
        lambda: UserFactory(role=User.Role.GOVERNOR),
        lambda: reporter(AgencyFactory(name="سازمان صنعت قم")),
    ],
)
def test_officials_cannot_open_any_admin_page(client, make):
    me = make()
    client.force_login(me)
    for url in ("/admin/", "/admin/core/user/", f"/admin/core/user/{me.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.post(f"/admin/core/user/{me.pk}/change/", {"is_superuser": "on", "role": me.role})
    me.refresh_from_db()
    assert not me.is_superuser


def test_the_superuser_still_has_the_admin(client):
    root = UserFactory(username="root", role=User.Role.SECRETARIAT, is_superuser=True)
    client.force_login(root)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/core/holiday/").status_code == 200


def test_no_page_of_the_app_links_an_official_to_the_admin(client):
    client.force_login(secretariat(username="dabir-qom"))
    page = client.get("/organisation/people/").content.decode()
    assert "/admin/" not in page
