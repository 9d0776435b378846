"""The reports page and its downloads: secretariat, governor and auditor only."""

import io

import openpyxl
import pytest
from django.urls import reverse

from .conftest import AS_OF_TEXT, fa, pdf_pages

pytestmark = pytest.mark.django_db


def download(client, kind, **params):
    return client.get(reverse("reports:download", args=[kind]), params)


def test_the_page_offers_both_reports_with_the_plan_and_a_date(client, users, world):
    client.force_login(users.auditor)
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert fa("Year-end accountability report") in page
    assert fa("Weekly brief for the governor") in page
    assert world.plan.title in page
    assert reverse("reports:download", args=["brief"]) in page


def test_the_secretariat_downloads_the_accountability_pdf(client, users, world):
    client.force_login(users.secretariat)
    response = download(
        client, "accountability", plan=world.plan.pk, as_of=AS_OF_TEXT, format="pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="accountability-qom-1405-04-24.pdf"'
    )
    assert pdf_pages(response.content) >= 1


def test_the_governor_downloads_the_brief_as_excel(client, users, world):
    client.force_login(users.governor)
    response = download(client, "brief", plan=world.plan.pk, as_of="۱۴۰۵/۰۴/۲۴", format="xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('brief-qom-1405-04-24.xlsx"')
    openpyxl.load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize("role", ["reporter", "manager"])
def test_agency_users_get_403_everywhere(client, users, world, role):
    client.force_login(getattr(users, role))
    assert client.get(reverse("reports:index")).status_code == 403
    for kind in ("accountability", "brief"):
        for fmt in ("pdf", "xlsx"):
            response = download(client, kind, plan=world.plan.pk, as_of=AS_OF_TEXT, format=fmt)
            assert response.status_code == 403
            assert "Content-Disposition" not in response


def test_a_visitor_is_sent_to_log_in(client, world):
    response = download(client, "brief", plan=world.plan.pk, as_of=AS_OF_TEXT)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_bad_date_shows_the_page_again_with_the_reason(client, users, world):
    client.force_login(users.secretariat)
    response = download(client, "brief", plan=world.plan.pk, as_of="1405/02/40", format="pdf")
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    page = response.content.decode()
    assert "1405/02/40" in page and 'aria-invalid="true"' in page


def test_a_date_before_the_plan_year_is_refused(client, users, world):
    client.force_login(users.secretariat)
    response = download(client, "accountability", plan=world.plan.pk, as_of="1404/12/01")
    assert response.status_code == 400


def test_an_unknown_report_or_format(client, users, world):
    client.force_login(users.secretariat)
    assert download(client, "yearly", as_of=AS_OF_TEXT).status_code == 404
    response = download(client, "brief", plan=world.plan.pk, as_of=AS_OF_TEXT, format="docx")
    assert response.status_code == 400
