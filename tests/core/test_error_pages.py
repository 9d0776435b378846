"""Error pages 403, 404 and 500 in Persian inside the site's layout, with a way back; the 500
page needs no database (it may be what failed)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import path

from ronagh.core import views
from ronagh.urls import urlpatterns as site_urls
from tests.factories import AgencyFactory, reporter


def boom(request):
    raise RuntimeError("the database went away")


def refuse(request):
    raise PermissionDenied("فقط دبیرخانه این کار را می‌کند.")


urlpatterns = [path("boom/", boom), path("refuse/", refuse), *site_urls]
handler403 = "ronagh.core.views.forbidden"
handler404 = "ronagh.core.views.not_found"
handler500 = "ronagh.core.views.server_error"


@pytest.fixture
def site(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


@pytest.mark.django_db
def test_404_is_persian_inside_the_layout_with_a_way_back(client, site):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'lang="fa" dir="rtl"' in page and "navbar" in page
    assert "این صفحه پیدا نشد" in page
    assert 'href="/"' in page and "بازگشت" in page
    assert "Not Found" not in page


@pytest.mark.django_db
def test_403_says_why_in_persian(client, site):
    client.force_login(reporter(AgencyFactory()))
    response = client.get("/refuse/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "فقط دبیرخانه این کار را می‌کند." in page and "اجازه" in page
    assert 'href="/"' in page


@pytest.mark.django_db
def test_500_is_persian_inside_the_layout(client, site):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert 'lang="fa" dir="rtl"' in page and "مشکلی" in page and 'href="/"' in page
    assert "Server Error" not in page


def test_the_500_page_renders_without_the_database(settings):
    """No django_db mark: any query here would fail the test."""
    settings.DEBUG = False
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "مشکلی" in response.content.decode()


@pytest.mark.django_db
def test_the_demo_shows_the_persian_404_too_not_djangos_technical_page(client, settings):
    settings.DEBUG = True
    page = client.get("/no/such/page/").content.decode()
    assert "این صفحه پیدا نشد" in page and "URLconf" not in page
