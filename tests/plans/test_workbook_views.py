"""The plan workbook in the secretariat's UI: upload → preview → confirm, the export and the blank
template (SPEC 7)."""

import io
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ronagh.core.models import User
from ronagh.plans.models import Action, Plan
from ronagh.plans.views import workbook as views
from ronagh.plans.workbook import COLUMNS, import_plan, read_workbook
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    UserFactory,
    communicated,
    qom,
    reporter,
    secretariat,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Users are made in every test; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


HEADERS = ["کد محور", "عنوان محور", "کد اقدام", "عنوان اقدام", "دستگاه مسئول", "تاریخ شروع",
           "تاریخ پایان"]  # fmt: skip
INDUSTRY = "سازمان صنعت، معدن و تجارت"
IMPORT = reverse("plans:plan_import")


@pytest.fixture(autouse=True)
def _english_and_data_dir(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def sec(client):
    user = secretariat()
    client.force_login(user)
    return user


@pytest.fixture
def industry():
    return AgencyFactory(name=INDUSTRY)


def xlsx(rows, headers=HEADERS, name="plan.xlsx") -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def good_rows(n=2):
    return [[1, "محور یک", f"1-{i}", f"اقدام {i}", INDUSTRY, "1405/01/15", "1405/06/31"]
            for i in range(1, n + 1)]  # fmt: skip


def upload(client, file, year="1405", **extra):
    data = {"file": file, "province": qom().pk, "year": year, **extra}
    return client.post(IMPORT, data)


def uploads(settings):
    folder = settings.DATA_DIR / "uploads"
    return sorted(folder.glob("*.xlsx")) if folder.exists() else []


# --- upload and preview ------------------------------------------------------------------------


def test_preview_lists_every_bad_cell_and_saves_nothing(client, sec, industry):
    rows = good_rows(2) + [
        [1, "محور یک", "1-3", "اقدام ۳", "اداره ناشناس", "1405/13/40", "1405/02/01"],
        [2, "محور دو", "1-1", "", INDUSTRY, "1405/05/01", "1405/04/01"],
    ]
    response = upload(client, xlsx(rows))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 400
    page = preview.content.decode()
    assert "Nothing can be imported" in page
    assert "اداره ناشناس" in page  # the unknown agency, named with its row
    assert "1405/13/40" in page  # the unreadable date
    assert "already used in row 2" in page  # the duplicate code
    assert "before the start date" in page
    assert "Import the plan" not in page  # no confirm button
    assert Plan.objects.count() == 0 and Action.objects.count() == 0


def test_preview_of_a_good_workbook_shows_the_rows_and_what_would_be_created(client, sec, industry):
    response = upload(client, xlsx(good_rows(3)))
    page = client.get(response["Location"]).content.decode()
    assert "A new draft plan" in page and "1 axes and 3 actions" in page
    assert "اقدام 3" in page and INDUSTRY in page
    assert "Import the plan" in page
    assert Plan.objects.count() == 0


def test_confirm_imports_the_plan_and_forgets_the_upload(client, sec, industry, settings):
    location = upload(client, xlsx(good_rows(3)))["Location"]
    assert len(uploads(settings)) == 1
    response = client.post(location, follow=True)
    plan = Plan.objects.get(province__code="qom", year=1405)
    assert plan.status == Plan.Status.DRAFT and plan.actions.count() == 3
    assert "was created as a draft" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("plans:quality", args=[plan.pk])
    assert uploads(settings) == []
    # The same token cannot import twice.
    again = client.post(location, follow=True)
    assert "expired or does not belong to you" in again.content.decode()
    assert Plan.objects.count() == 1 and Action.objects.count() == 3


def test_confirm_replaces_a_draft_whole(client, sec, industry):
    plan = PlanFactory()
    ActionFactory(axis=AxisFactory(plan=plan), code="OLD")
    location = upload(client, xlsx(good_rows(2)))["Location"]
    assert "will be replaced whole" in client.get(location).content.decode()
    client.post(location)
    assert sorted(plan.actions.values_list("code", flat=True)) == ["1-1", "1-2"]


def test_a_communicated_plan_is_not_replaced(client, sec, industry):
    plan = communicated(PlanFactory())
    ActionFactory(axis=AxisFactory(plan=plan), code="KEEP")
    location = upload(client, xlsx(good_rows(2)))["Location"]
    page = client.get(location).content.decode()
    assert "re-planning" in page and "Import the plan" not in page
    client.post(location)
    assert list(plan.actions.values_list("code", flat=True)) == ["KEEP"]


def test_unknown_agencies_are_created_when_asked(client, sec):
    location = upload(client, xlsx(good_rows(1)), create_agencies="on")["Location"]
    assert INDUSTRY in client.get(location).content.decode()
    client.post(location)
    assert Action.objects.get().lead_agency.name == INDUSTRY


def test_a_file_that_is_not_a_workbook_is_refused_on_the_form(client, sec, settings):
    response = upload(client, SimpleUploadedFile("plan.xlsx", b"not a workbook at all"))
    assert response.status_code == 400
    assert "not an Excel workbook" in response.content.decode()
    assert uploads(settings) == []


def test_another_extension_is_refused(client, sec, settings):
    response = upload(client, SimpleUploadedFile("plan.csv", b"a,b\n1,2\n"))
    assert response.status_code == 400
    assert uploads(settings) == []


# --- the token ---------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["A" * 43, "..", "plan-" + "x" * 40, "short"], ids=str)
def test_a_forged_token_is_refused(client, sec, industry, token):
    upload(client, xlsx(good_rows(1)))
    url = f"/plans/import/{token}/"
    response = client.post(url, follow=True)
    assert "expired or does not belong to you" in response.content.decode()
    assert Plan.objects.count() == 0


def test_another_users_token_is_refused(client, sec, industry):
    location = upload(client, xlsx(good_rows(1)))["Location"]
    client.logout()
    client.force_login(secretariat())
    response = client.post(location, follow=True)
    assert "expired or does not belong to you" in response.content.decode()
    assert Plan.objects.count() == 0


def test_an_expired_upload_is_refused_and_removed(client, sec, industry, settings, monkeypatch):
    location = upload(client, xlsx(good_rows(1)))["Location"]
    later = time.time() + views.UPLOAD_TTL.total_seconds() + 60
    monkeypatch.setattr(views.time, "time", lambda: later)
    response = client.post(location, follow=True)
    assert "expired or does not belong to you" in response.content.decode()
    assert Plan.objects.count() == 0
    assert uploads(settings) == []


def test_discard_removes_the_upload(client, sec, industry, settings):
    location = upload(client, xlsx(good_rows(1)))["Location"]
    token = location.rstrip("/").rsplit("/", 1)[-1]
    client.post(reverse("plans:plan_import_cancel", args=[token]))
    assert uploads(settings) == []
    assert "expired" in client.get(location, follow=True).content.decode()


@pytest.mark.parametrize("role", ["reporter", User.Role.GOVERNOR, User.Role.AUDITOR])
def test_only_the_secretariat_imports(client, industry, role):
    user = reporter(industry) if role == "reporter" else UserFactory(role=role)
    client.force_login(user)
    assert client.get(IMPORT).status_code == 403
    assert upload(client, xlsx(good_rows(1))).status_code == 403
    assert Plan.objects.count() == 0


# --- downloads ---------------------------------------------------------------------------------


def test_export_downloads_a_workbook_that_imports_again(client, sec, industry):
    partner = AgencyFactory(name="اداره کل امور مالیاتی")
    plan = PlanFactory()
    axis = AxisFactory(plan=plan, number=3, title="محور سوم", weight=2)
    action = ActionFactory(axis=axis, code="3-1", title="نوسازی", lead_agency=industry, weight=1.5)
    action.partners.add(partner)
    response = client.get(reverse("plans:plan_export", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "plan-qom-1405.xlsx" in response["Content-Disposition"]
    parsed = read_workbook(response.content)
    assert parsed.ok, parsed.errors
    result = import_plan(parsed=parsed, province=plan.province, year=1406)
    copy = result.plan.actions.get()
    assert (copy.code, copy.title, copy.lead_agency, copy.weight) == (
        "3-1",
        "نوسازی",
        industry,
        1.5,
    )
    assert list(copy.partners.all()) == [partner]
    assert (copy.start, copy.end) == (action.start, action.end)
    assert (copy.axis.number, copy.axis.title, copy.axis.weight) == (3, "محور سوم", 2)


def test_an_agency_user_may_not_export_the_whole_plan(client, industry):
    plan = ActionFactory(lead_agency=industry).plan
    client.force_login(reporter(industry))
    assert client.get(reverse("plans:plan_export", args=[plan.pk])).status_code == 403


def test_the_blank_template_has_the_headers_and_a_guide(client, sec):
    response = client.get(reverse("plans:plan_template"))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    first = wb.worksheets[0]
    assert [c.value for c in first[1]] == [c.header for c in COLUMNS]
    assert first.max_row == 1 or all(c.value is None for c in first[2])
    assert len(wb.worksheets) == 2
    parsed = read_workbook(response.content)
    assert [e.code for e in parsed.errors] == ["no_rows"]


def test_a_path_for_a_token_goes_nowhere(client, sec, industry):
    upload(client, xlsx(good_rows(1)))
    response = client.post("/plans/import/..%2F..%2Fronagh.sqlite3/")
    assert response.status_code in (302, 404)
    assert Plan.objects.count() == 0
