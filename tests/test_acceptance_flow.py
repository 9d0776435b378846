"""The whole loop through the interfaces SPEC 7 fixes, as another program would use them:
`ronagh import-plan`, `ronagh adduser`, a token, the API to communicate and report, and the
rollup compared with SPEC 4.3 computed by hand."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ronagh.core.models import Agency, User
from ronagh.plans.models import Action, Plan

pytestmark = pytest.mark.django_db

HEAD = [
    "کد محور",
    "عنوان محور",
    "وزن محور",
    "کد اقدام",
    "عنوان اقدام",
    "دستگاه مسئول",
    "دستگاه‌های همکار",
    "وزن",
    "تاریخ شروع",
    "تاریخ پایان",
    "شاخص",
    "مقدار هدف",
    "واحد سنجش",
]


def workbook(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    # Axis 1 (weight 3): A1 (weight 1) 1405/01/01→1405/01/11, A2 (weight 3) same dates.
    # Axis 2 (weight 1): B1 1405/01/01→1405/01/21.
    ws.append(
        [
            1,
            "رفع موانع تولید",
            3,
            "A1",
            "اقدام یک",
            "سازمان صنعت، معدن و تجارت استان قم",
            "اداره کل امور مالیاتی استان قم",
            1,
            "1405/01/01",
            "1405/01/11",
            "شاخص",
            10,
            "مورد",
        ]
    )
    ws.append(
        [
            1,
            None,
            None,
            "A2",
            "اقدام دو",
            "اداره كل امور مالياتي استان قم",
            "",
            3,
            "۱۴۰۵/۰۱/۰۱",
            "1405-01-11",
            "شاخص",
            5,
            "مورد",
        ]
    )
    ws.append(
        [
            2,
            "تأمین مالی",
            1,
            "B1",
            "اقدام سه",
            "بانک ملی",
            "",
            1,
            "1405/01/01",
            "1405/01/21",
            "شاخص",
            1,
            "مورد",
        ]
    )
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    return path


def test_import_communicate_report_and_rollup(tmp_path, monkeypatch):
    call_command(
        "import_plan",
        str(workbook(tmp_path)),
        "--province",
        "qom",
        "--year",
        "1405",
        "--create-agencies",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    plan = Plan.objects.get(province__code="qom", year=1405)
    assert plan.actions.count() == 3
    assert Agency.objects.count() == 3  # ي/ك spelling matched the same tax agency

    monkeypatch.setattr("sys.stdin", io.StringIO("pass-1234\n"))
    call_command(
        "adduser",
        "dabir",
        "--role",
        "secretariat",
        "--province",
        "qom",
        "--password-stdin",
        stdout=io.StringIO(),
    )
    token = Token.objects.create(user=User.objects.get(username="dabir"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert api.post(f"/api/v1/plans/{plan.pk}/communicate/").status_code == 200
    assert api.post(f"/api/v1/plans/{plan.pk}/communicate/").status_code == 409

    a1, a2, b1 = (Action.objects.get(code=c) for c in ("A1", "A2", "B1"))
    # 1405/01/01 = 2026-03-21. Reports on the 5th day (2026-03-25).
    for action, pct in ((a1, 40), (a2, 20), (b1, 80)):
        r = api.post(
            "/api/v1/progress/",
            {"action": action.pk, "date": "2026-03-25", "percent": pct, "note": "گزارش"},
            format="json",
        )
        assert r.status_code == 201, r.content
    bad = api.post(
        "/api/v1/progress/", {"action": a1.pk, "date": "2026-03-26", "percent": 30}, format="json"
    )
    assert bad.status_code == 400 and "percent" in bad.json()

    r = api.get(f"/api/v1/plans/{plan.pk}/rollup/?as_of=2026-03-26").json()
    # On 2026-03-26 (day 5): P(A1) = P(A2) = 50, P(B1) = 25.
    # Effective weights: A1 3/4·1/4, A2 3/4·3/4, B1 1/4.
    planned = 3 / 16 * 50 + 9 / 16 * 50 + 1 / 4 * 25
    actual = 3 / 16 * 40 + 9 / 16 * 20 + 1 / 4 * 80
    assert r["as_of"] == "2026-03-26"
    assert r["planned"] == round(planned, 2)
    assert r["actual"] == round(actual, 2)
    assert r["gap"] == round(planned - actual, 2)
    axes = {a["number"]: a for a in r["axes"]}
    assert axes[1]["actual"] == 25.0 and axes[2]["actual"] == 80.0
    assert sum(r["status_counts"].values()) == 3

    detail = api.get(f"/api/v1/actions/{a2.pk}/?as_of=2026-03-26").json()
    assert (detail["code"], detail["planned"], detail["actual"], detail["gap"]) == (
        "A2",
        50.0,
        20.0,
        30.0,
    )
    assert detail["status"] == "critical"
    assert detail["forecast_finish"] == (dt.date(2026, 3, 26) + dt.timedelta(days=120)).isoformat()
