import io

import pytest
from django.core.management import CommandError, call_command

from ronagh.core.models import Agency, Province, User
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_31_provinces_are_loaded_by_migration():
    assert Province.objects.count() == 31
    assert Province.objects.get(code="qom").name == "قم"
    assert Province.objects.filter(code__in=["tehran", "khorasan-razavi"]).count() == 2


def test_agency_names_are_stored_clean_and_matched_by_key():
    a = AgencyFactory(name="اداره كل امور مالياتي  استان قم")
    assert a.name == "اداره کل امور مالیاتی استان قم"
    with pytest.raises(Exception):  # noqa: B017 - the database refuses the same name twice
        AgencyFactory(name="اداره کل امور مالیاتی استان قم")


def test_adduser_creates_a_reporter_of_an_agency_matched_by_spelling(monkeypatch):
    AgencyFactory(name="اداره کل امور مالیاتی استان قم", code="tax")
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-pass\n"))
    call_command(
        "adduser",
        "rabet",
        "--role",
        "agency_reporter",
        "--agency",
        "اداره كل امور مالياتي استان قم",
        "--province",
        "qom",
        "--password-stdin",
        stdout=io.StringIO(),
    )
    user = User.objects.get(username="rabet")
    assert user.role == "agency_reporter"
    assert user.agency.code == "tax"
    assert user.province.code == "qom"
    assert user.check_password("s3cret-pass")


def test_adduser_refuses_unknown_role_agency_and_province():
    AgencyFactory(name="سازمان صنعت، معدن و تجارت استان قم")
    with pytest.raises(CommandError):
        call_command("adduser", "x", "--role", "king", stdout=io.StringIO())
    with pytest.raises(CommandError) as exc:
        call_command(
            "adduser",
            "x",
            "--role",
            "agency_reporter",
            "--agency",
            "سازمان صنعت معدن تجارت قم",
            stdout=io.StringIO(),
        )
    assert "سازمان صنعت، معدن و تجارت استان قم" in str(exc.value)  # the closest name is offered
    with pytest.raises(CommandError):
        call_command(
            "adduser", "x", "--role", "governor", "--province", "atlantis", stdout=io.StringIO()
        )
    with pytest.raises(CommandError):
        call_command("adduser", "x", "--role", "agency_reporter", stdout=io.StringIO())
    assert not User.objects.filter(username="x").exists()
    assert Agency.objects.count() == 1


def test_the_admin_is_the_superusers_alone(client):
    """Officials keep their tables on the app's pages; the admin answers only the superuser."""
    from tests.factories import reporter, secretariat

    for official in (secretariat(), reporter(AgencyFactory())):
        client.force_login(official)
        for url in ("/admin/", "/admin/core/agency/", "/admin/plans/plan/"):
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get("/admin/core/agency/").status_code == 200


def test_pages_are_persian_whatever_the_browser_asks_unless_english_is_chosen(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="fa" dir="rtl"' in page
    assert "ورود" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    page = client.get("/login/").content.decode()
    assert 'lang="en" dir="ltr"' in page
