"""The scorecard pages as their readers meet them: who may open which, the figures they show,
and the forms that keep an evaluation or clear a flag."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from ronagh.core.models import User
from ronagh.lib.digits import to_persian
from ronagh.scorecards.models import Evaluation, SuspiciousFlag
from ronagh.scorecards.services import detect_flags
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    UserFactory,
    add_report,
    communicated,
    manager,
    reporter,
    secretariat,
)

pytestmark = pytest.mark.django_db

D = dt.date
AS_OF = {"as_of": "1405/02/24"}  # 2026-05-14


@pytest.fixture
def world():
    """Two agencies from 4 May: 'خوب' reports daily and keeps to plan; 'ضعیف' reports once and
    falls behind (grade D). A jump of 35 points on one of خوب's reports."""
    plan = communicated(PlanFactory(), on=D(2026, 5, 4))
    good, poor = AgencyFactory(name="اداره خوب"), AgencyFactory(name="اداره ضعیف")
    a_good = ActionFactory(axis=AxisFactory(plan=plan, number=1, title="محور تسهیل"),
                           lead_agency=good, start=D(2026, 5, 4), end=D(2026, 5, 24),
                           title="تسهیلات سرمایه در گردش")  # fmt: skip
    a_poor = ActionFactory(axis=AxisFactory(plan=plan, number=2, title="محور زیرساخت"),
                           lead_agency=poor, start=D(2026, 5, 4), end=D(2026, 5, 24),
                           title="برق‌رسانی شهرک")  # fmt: skip
    days = [D(2026, 5, d) for d in (4, 5, 6, 7, 9, 10, 11, 12, 13, 14)]
    for i, day in enumerate(days, start=1):
        add_report(a_good, day, 5 * i if i != 3 else 40)  # 5, 10, 40 (+30: not a jump) …
    add_report(a_poor, days[0], 10)
    return {"plan": plan, "good": good, "poor": poor, "a_good": a_good, "a_poor": a_poor}


def text(message: str) -> str:
    """A message as the Persian page shows it (escaped as the template escapes it)."""
    from django.utils.html import escape

    with translation.override("fa"):
        return escape(gettext(message))


def page(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_the_league_table_ranks_and_marks_the_under_performing(client, world):
    r = page(client, secretariat(), reverse("scorecards:league", args=[world["plan"].pk]), **AS_OF)
    assert r.status_code == 200
    html = r.content.decode()
    assert html.index("اداره خوب") < html.index("اداره ضعیف")
    # ضعیف: progress 20, compliance 10 → (0.6·20 + 0.25·10)/0.85 = 17.06, grade D.
    assert to_persian("17.06").replace(".", "٫") in html
    assert re.search(r'class="under-performing"', html)
    assert "grade-D" in html


def test_an_agency_user_is_taken_to_its_own_scorecard(client, world):
    user = manager(world["poor"])
    r = page(client, user, reverse("scorecards:league", args=[world["plan"].pk]), **AS_OF)
    assert r.status_code == 302
    assert r.url.startswith(reverse("scorecards:agency", args=[world["poor"].pk]))
    assert (
        page(client, user, reverse("scorecards:agency", args=[world["poor"].pk])).status_code == 200
    )
    assert (
        page(client, user, reverse("scorecards:agency", args=[world["good"].pk])).status_code == 404
    )
    assert (
        page(client, user, reverse("scorecards:compliance", args=[world["plan"].pk])).status_code
        == 302
    )


def test_the_agency_page_shows_components_compliance_and_evidence(client, world):
    url = reverse("scorecards:agency", args=[world["poor"].pk])
    r = page(client, UserFactory(role=User.Role.AUDITOR), url, **AS_OF)
    assert r.status_code == 200
    html = r.content.decode()
    assert world["a_poor"].title in html  # critical action, and in the compliance table
    assert 'data-chart="chart-strip"' in html
    strip = json.loads(re.search(r'id="chart-strip"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert len(strip["series"][0]["data"]) == 10  # the 10 working days since communication
    assert text("Write an evaluation") not in html  # the auditor reads only


def test_the_secretariat_writes_an_evaluation(client, world):
    user = secretariat()
    client.force_login(user)
    url = reverse("scorecards:add_evaluation", args=[world["poor"].pk])
    data = {"plan": world["plan"].pk, "period_label": "اردیبهشت", "period_start": "۱۴۰۵/۰۲/۰۱",
            "period_end": "1405/02/31", "grade": "D", "text": "گزارش‌ها نمی‌رسد."}  # fmt: skip
    r = client.post(url, data)
    assert r.status_code == 302
    e = Evaluation.objects.get()
    assert (e.agency, e.author, e.grade, e.period_start) == (
        world["poor"],
        user,
        "D",
        D(2026, 4, 21),
    )
    r = client.get(reverse("scorecards:agency", args=[world["poor"].pk]), AS_OF)
    assert "گزارش‌ها نمی‌رسد." in r.content.decode()


def test_an_empty_evaluation_is_refused_with_a_message(client, world):
    client.force_login(secretariat())
    url = reverse("scorecards:add_evaluation", args=[world["poor"].pk])
    r = client.post(url, {"plan": world["plan"].pk, "period_start": "1405/02/01",
                          "period_end": "1405/02/31", "text": ""})  # fmt: skip
    assert r.status_code == 400
    assert text("Write the evaluation.") in r.content.decode()
    assert not Evaluation.objects.exists()


def test_an_agency_user_may_not_write_an_evaluation(client, world):
    client.force_login(manager(world["poor"]))
    url = reverse("scorecards:add_evaluation", args=[world["poor"].pk])
    r = client.post(url, {"plan": world["plan"].pk, "period_start": "1405/02/01",
                          "period_end": "1405/02/31", "text": "عالی"})  # fmt: skip
    assert r.status_code == 403
    assert not Evaluation.objects.exists()


@pytest.fixture
def flagged(world):
    a = ActionFactory(axis=AxisFactory(plan=world["plan"], number=3), lead_agency=world["good"])
    add_report(a, D(2026, 5, 5), 5)
    add_report(a, D(2026, 5, 6), 50)  # +45: a jump
    detect_flags(plan=world["plan"], as_of=D(2026, 5, 14))
    return SuspiciousFlag.objects.get()


def test_the_secretariat_reviews_and_clears_a_flag(client, world, flagged):
    client.force_login(secretariat())
    r = client.get(reverse("scorecards:flags"), {"plan": world["plan"].pk})
    assert r.status_code == 200 and flagged.action.code in r.content.decode()
    clear = reverse("scorecards:clear_flag", args=[flagged.pk])
    client.post(clear, {"note": ""})
    flagged.refresh_from_db()
    assert flagged.is_open  # a note is required
    client.post(clear, {"note": "با دستگاه بررسی شد؛ گزارش‌های عقب‌افتاده یک‌جا ثبت شده بود."})
    flagged.refresh_from_db()
    assert not flagged.is_open
    r = client.get(reverse("scorecards:flags"), {"plan": world["plan"].pk, "status": "cleared"})
    assert "یک‌جا ثبت شده بود" in r.content.decode()


def test_flags_are_not_for_agency_users_and_the_governor_only_reads(client, world, flagged):
    client.force_login(reporter(world["good"]))
    assert client.get(reverse("scorecards:flags")).status_code == 403
    client.force_login(UserFactory(role=User.Role.GOVERNOR))
    assert client.get(reverse("scorecards:flags")).status_code == 200
    r = client.post(reverse("scorecards:clear_flag", args=[flagged.pk]), {"note": "دیدم"})
    assert r.status_code == 403
    flagged.refresh_from_db()
    assert flagged.is_open


def test_the_secretariat_looks_for_new_patterns(client, world, flagged):
    client.force_login(secretariat())
    r = client.post(reverse("scorecards:detect", args=[world["plan"].pk]))
    assert r.status_code == 302
    assert SuspiciousFlag.objects.count() == 1
    client.force_login(UserFactory(role=User.Role.AUDITOR))
    assert client.post(reverse("scorecards:detect", args=[world["plan"].pk])).status_code == 403


def test_the_heatmap_has_a_cell_per_agency_and_axis(client, world):
    r = page(client, secretariat(), reverse("scorecards:heatmap", args=[world["plan"].pk]), **AS_OF)
    assert r.status_code == 200
    html = r.content.decode()
    option = json.loads(re.search(r'id="chart-heat"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert option["series"][0]["type"] == "heatmap"
    assert option["yAxis"]["data"] == ["اداره خوب", "اداره ضعیف"]
    cells = {tuple(d["value"][:2]): d["value"][2] for d in option["series"][0]["data"]}
    # ضعیف leads the action of axis 2: P = 50, A = 10 → gap 40.
    assert cells[(1, 1)] == 40.0


def test_an_agency_user_sees_only_its_own_row_of_the_heatmap(client, world):
    r = page(
        client, reporter(world["good"]), reverse("scorecards:heatmap", args=[world["plan"].pk])
    )
    html = r.content.decode()
    assert "اداره خوب" in html and "اداره ضعیف" not in html


def test_the_compliance_page_lists_agencies_worst_first(client, world):
    r = page(
        client, secretariat(), reverse("scorecards:compliance", args=[world["plan"].pk]), **AS_OF
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert html.index("اداره ضعیف") < html.index("اداره خوب")


def test_pages_need_a_login(client, world):
    r = client.get(reverse("scorecards:league", args=[world["plan"].pk]))
    assert r.status_code == 302 and "/login/" in r.url


def test_a_draft_plan_scores_no_one(client):
    plan = PlanFactory()
    ActionFactory(axis=AxisFactory(plan=plan))
    r = page(client, secretariat(), reverse("scorecards:league", args=[plan.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert (
        text(
            "This plan has not been communicated: agencies are judged only on a communicated plan."
        )
        in html
    )
    assert 'class="under-performing"' not in html and "grade-badge grade-none" in html
