"""The dashboards: the plan, an axis, an agency and an action, each as of a chosen date.

Figures are computed here by hand with SPEC 4.3's formulas and looked for on the page as the
reader sees them: rounded to one decimal, in Persian digits."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from ronagh.lib import jalali
from ronagh.lib.digits import to_persian
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    add_report,
    communicated,
    reporter,
    secretariat,
)

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 4, 1), dt.date(2026, 12, 31)
TIR_10 = dt.date(2026, 7, 1)  # 1405/04/10
SHAHRIVAR_1 = dt.date(2026, 8, 23)  # 1405/06/01


def fa(value: float, places: int = 1) -> str:
    """A figure as the page shows it: rounded, trailing zeros dropped, Persian digits."""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return to_persian(text)


def planned(d: dt.date, start: dt.date = START, end: dt.date = END) -> float:
    """SPEC 4.3, linear by calendar days."""
    if d < start:
        return 0.0
    if d >= end:
        return 100.0
    return 100 * (d - start).days / (end - start).days


def text(message: str) -> str:
    with translation.override("fa"):
        return gettext(message)


@pytest.fixture
def world():
    """One communicated plan, two axes, two agencies; the first action is 20 % done on 15 June."""
    plan = communicated(PlanFactory())
    ax1 = AxisFactory(plan=plan, number=1, title="محور تأمین مالی")
    ax2 = AxisFactory(plan=plan, number=2, title="محور زیرساخت")
    bank, industry = AgencyFactory(name="بانک ملی"), AgencyFactory(name="صمت استان")
    a1 = ActionFactory(axis=ax1, code="A1", title="تسهیلات سرمایه در گردش", lead_agency=bank)
    a2 = ActionFactory(
        axis=ax2, code="B1", title="برق‌رسانی شهرک", lead_agency=industry,
        start=dt.date(2026, 5, 1), end=dt.date(2026, 10, 31),
    )  # fmt: skip
    a2.partners.add(bank)
    add_report(a1, dt.date(2026, 5, 10), 10)
    add_report(a1, dt.date(2026, 6, 15), 20)
    return {"plan": plan, "ax1": ax1, "ax2": ax2, "bank": bank, "industry": industry,
            "a1": a1, "a2": a2}  # fmt: skip


def login(client, user):
    client.force_login(user)
    return client


# --- the plan dashboard ------------------------------------------------------------------------


def test_plan_dashboard_shows_hand_computed_figures_with_their_date(client, world):
    login(client, secretariat())
    url = reverse("plans:plan_dashboard", args=[world["plan"].pk])
    response = client.get(url, {"as_of": "1405/04/10"})
    assert response.status_code == 200
    page = response.content.decode()

    p1 = planned(TIR_10)
    p2 = planned(TIR_10, dt.date(2026, 5, 1), dt.date(2026, 10, 31))
    # Two axes of weight 1, one action each: the plan is their plain mean.
    plan_planned, plan_actual = (p1 + p2) / 2, (20 + 0) / 2
    assert fa(plan_planned) in page
    assert fa(plan_actual) in page
    assert fa(plan_planned - plan_actual) in page
    assert fa(p1) in page and fa(p1 - 20) in page  # the first axis's row
    assert jalali.format_date(TIR_10, persian_digits=True) in page  # the as-of date beside them
    assert 'data-chart="chart-curve"' in page and 'id="chart-curve"' in page


def test_the_as_of_date_changes_the_figures(client, world):
    login(client, secretariat())
    url = reverse("plans:axis", args=[world["plan"].pk, 1])

    early = client.get(url, {"as_of": "۱۴۰۵/۰۴/۱۰"}).content.decode()  # Persian digits typed
    later = client.get(url, {"as_of": "1405/6/1"}).content.decode()

    assert fa(planned(TIR_10)) in early
    assert fa(planned(SHAHRIVAR_1)) in later
    assert fa(planned(SHAHRIVAR_1)) not in early
    assert 'value="۱۴۰۵/۰۶/۰۱"' in later


def test_a_bad_as_of_date_shows_a_message_and_falls_back_to_today(client, world):
    login(client, secretariat())
    url = reverse("plans:plan_dashboard", args=[world["plan"].pk])
    response = client.get(url, {"as_of": "1405/13/40"})

    assert response.status_code == 200
    today = timezone.localdate()
    message = text("“%(text)s” is not a valid date; write it like %(example)s.") % {
        "text": "1405/13/40",
        "example": jalali.format_date(today, persian_digits=True),
    }
    assert message in response.content.decode()
    first, last = jalali.year_bounds(1405)
    shown = min(max(today, first), last)
    assert f'value="{jalali.format_date(shown, persian_digits=True)}"' in response.content.decode()


def test_a_past_plan_opens_on_the_last_day_of_its_year(client):
    plan = communicated(PlanFactory(year=1399, title="برنامه ۱۳۹۹"))
    ActionFactory(axis=AxisFactory(plan=plan), start=dt.date(2020, 4, 1), end=dt.date(2020, 12, 1))
    login(client, secretariat())

    response = client.get(reverse("plans:plan_dashboard", args=[plan.pk]))

    assert 'value="۱۳۹۹/۱۲/۳۰"' in response.content.decode()
    assert to_persian("100") in response.content.decode()  # everything was due by then


def test_agencies_sort_by_gap_and_links_keep_the_as_of_date(client, world):
    login(client, secretariat())
    url = reverse("plans:plan_dashboard", args=[world["plan"].pk])

    worst_first = client.get(url, {"as_of": "1405/04/10", "sort": "-gap"}).content.decode()
    best_first = client.get(url, {"as_of": "1405/04/10", "sort": "gap"}).content.decode()

    # The industry agency's action has nothing reported: the larger gap.
    agencies = worst_first[worst_first.index('id="agencies"') :]
    assert agencies.index("صمت استان") < agencies.index("بانک ملی")
    agencies = best_first[best_first.index('id="agencies"') :]
    assert agencies.index("بانک ملی") < agencies.index("صمت استان")
    axis_link = reverse("plans:axis", args=[world["plan"].pk, 1]) + "?as_of=1405%2F04%2F10"
    assert axis_link in worst_first


def test_the_worst_actions_list_their_status(client, world):
    login(client, secretariat())
    page = client.get(
        reverse("plans:plan_dashboard", args=[world["plan"].pk]), {"as_of": "1405/04/10"}
    ).content.decode()
    worst = page[page.index('id="worst"') :]
    # B1 has nothing reported two months in, A1 nothing new for 16 days: both stalled, B1 the
    # further behind.
    assert worst.index("B1") < worst.index("A1")
    assert worst.count("status-stalled") == 2


def test_the_plan_dashboard_reads_the_plan_in_a_few_queries(
    client, world, django_assert_max_num_queries
):
    for n in range(30):
        action = ActionFactory(axis=world["ax1"], code=f"X{n}")
        add_report(action, dt.date(2026, 5, 1), n)
    login(client, secretariat())
    with django_assert_max_num_queries(20):
        response = client.get(reverse("plans:plan_dashboard", args=[world["plan"].pk]))
    assert response.status_code == 200


# --- axis, agency, action ----------------------------------------------------------------------


def test_axis_page_lists_its_actions_with_their_figures(client, world):
    login(client, secretariat())
    response = client.get(
        reverse("plans:axis", args=[world["plan"].pk, 1]), {"as_of": "1405/04/10"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "تسهیلات سرمایه در گردش" in page and "بانک ملی" in page
    assert "برق‌رسانی شهرک" not in page  # another axis
    assert fa(planned(TIR_10) - 20) in page
    assert jalali.format_date(dt.date(2026, 6, 15), persian_digits=True) in page  # last report


def test_agency_page_shows_its_lead_rollup_scorecard_progress_and_partner_actions(client, world):
    login(client, secretariat())
    response = client.get(
        reverse("plans:agency", args=[world["bank"].pk]),
        {"plan": world["plan"].pk, "as_of": "1405/04/10"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    p1 = planned(TIR_10)
    assert fa(p1) in page
    assert fa(100 * min(20 / p1, 1)) in page  # SPEC 4.4 progress component
    partner = page[page.index('id="partner"') :]
    assert "برق‌رسانی شهرک" in partner


def test_action_page_shows_figures_reports_and_corrections(client, world):
    a1 = world["a1"]
    wrong = add_report(a1, dt.date(2026, 6, 20), 35, note="اشتباه تایپی")
    add_report(a1, dt.date(2026, 6, 20), 25, corrects=wrong, reason="عدد اشتباه وارد شده بود")
    login(client, secretariat())

    response = client.get(reverse("plans:action", args=[a1.pk]), {"as_of": "1405/04/10"})

    assert response.status_code == 200
    page = response.content.decode()
    p = planned(TIR_10)
    assert fa(p) in page and fa(p - 25) in page
    assert fa(25 / p, 2) in page  # SPI
    # 30-day gain: A(1 Jul) − A(1 Jun) = 25 − 10 → 0.5 a day; 75 points to go → 150 days.
    assert jalali.format_date(TIR_10 + dt.timedelta(days=150), persian_digits=True) in page
    assert "عدد اشتباه وارد شده بود" in page
    assert f"<del>{fa(35)}" in page  # the superseded report struck through
    assert 'data-chart="chart-history"' in page


def test_action_without_progress_in_30_days_is_forecast_never(client, world):
    login(client, secretariat())
    page = client.get(
        reverse("plans:action", args=[world["a1"].pk]), {"as_of": "1405/06/01"}
    ).content.decode()
    assert text("Never") in page
    assert "status-stalled" in page


# --- who sees what -----------------------------------------------------------------------------


def test_an_agency_user_sees_only_its_own_agency_and_actions(client, world):
    outsider = AgencyFactory(name="گمرک")
    other = ActionFactory(axis=world["ax2"], code="B2", lead_agency=outsider)
    login(client, reporter(world["bank"]))

    assert client.get(reverse("plans:agency", args=[world["bank"].pk])).status_code == 200
    assert client.get(reverse("plans:agency", args=[outsider.pk])).status_code == 404
    assert client.get(reverse("plans:action", args=[world["a1"].pk])).status_code == 200
    assert client.get(reverse("plans:action", args=[world["a2"].pk])).status_code == 200  # partner
    assert client.get(reverse("plans:action", args=[other.pk])).status_code == 404

    page = client.get(reverse("plans:plan_dashboard", args=[world["plan"].pk])).content.decode()
    assert "گمرک" not in page  # no other agency's row or action on the plan page


def test_an_agency_user_of_the_action_may_report_and_correct(client, world):
    report = world["a1"].reports.order_by("-date").first()
    login(client, reporter(world["bank"]))
    page = client.get(reverse("plans:action", args=[world["a1"].pk])).content.decode()
    assert reverse("plans:daily_report") in page
    assert reverse("plans:correct_report", args=[report.pk]) in page


def test_another_province_agency_is_not_found_for_the_secretariat(client, world):
    from ronagh.core.models import Province

    tehran = AgencyFactory(province=Province.objects.get(code="tehran"))
    login(client, secretariat())
    assert client.get(reverse("plans:agency", args=[tehran.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    urls = [
        reverse("plans:plan_list"),
        reverse("plans:dashboard_current"),
        reverse("plans:plan_dashboard", args=[world["plan"].pk]),
        reverse("plans:axis", args=[world["plan"].pk, 1]),
        reverse("plans:agency", args=[world["bank"].pk]),
        reverse("plans:action", args=[world["a1"].pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# --- the list of plans -------------------------------------------------------------------------


def test_plan_list_links_each_plan_and_the_secretariat_may_create(client, world):
    login(client, secretariat())
    page = client.get(reverse("plans:plan_list")).content.decode()
    assert reverse("plans:plan_dashboard", args=[world["plan"].pk]) in page
    assert reverse("plans:plan_edit", args=[world["plan"].pk]) in page
    assert reverse("plans:plan_create") in page
    assert jalali.format_date(world["plan"].communicated_on, persian_digits=True) in page


def test_the_dashboard_link_opens_the_current_plan(client, world):
    login(client, secretariat())
    response = client.get(reverse("plans:dashboard_current"))
    assert response.status_code == 302
    assert response.url == reverse("plans:plan_dashboard", args=[world["plan"].pk])


def test_without_a_plan_the_dashboard_link_opens_the_list(client):
    login(client, secretariat())
    response = client.get(reverse("plans:dashboard_current"))
    assert response.url == reverse("plans:plan_list")


def test_an_empty_draft_plan_and_an_undated_action_still_render(client):
    plan = PlanFactory()
    login(client, secretariat())
    assert client.get(reverse("plans:plan_dashboard", args=[plan.pk])).status_code == 200
    action = ActionFactory(axis=AxisFactory(plan=plan), start=None, end=None)
    assert client.get(reverse("plans:plan_dashboard", args=[plan.pk])).status_code == 200
    assert client.get(reverse("plans:axis", args=[plan.pk, action.axis.number])).status_code == 200
    page = client.get(reverse("plans:action", args=[action.pk])).content.decode()
    assert text("The action has no start or end date.") in page


def chart(page: str, chart_id: str) -> dict:
    match = re.search(
        rf'<script id="{chart_id}" type="application/json">(.*?)</script>', page, re.S
    )
    return json.loads(match.group(1))


def test_the_s_curve_runs_over_the_jalali_year_and_stops_actual_at_the_as_of_date(client, world):
    login(client, secretariat())
    page = client.get(
        reverse("plans:plan_dashboard", args=[world["plan"].pk]), {"as_of": "1405/04/10"}
    ).content.decode()
    option = chart(page, "chart-curve")

    labels = option["xAxis"]["data"]
    assert labels[0] == "۱ فروردین" and "۱۰ تیر" in labels
    planned_line, actual_line = option["series"]
    assert planned_line["name"] == text("Planned progress")
    assert planned_line["data"][-1] == 100
    as_of = labels.index("۱۰ تیر")
    assert actual_line["data"][as_of] == 10  # (20 + 0) / 2
    assert all(v is None for v in actual_line["data"][as_of + 1 :])
    assert option["ronaghDigits"] == "fa"

    status = chart(page, "chart-status")
    assert status["xAxis"]["data"][0] == text("Done")
    assert [d["value"] for d in status["series"][0]["data"]] == [0, 0, 2, 0, 0, 0]


def test_a_date_outside_the_plan_year_is_brought_inside_it_with_a_note(client, world):
    login(client, secretariat())
    page = client.get(
        reverse("plans:plan_dashboard", args=[world["plan"].pk]), {"as_of": "1407/01/01"}
    ).content.decode()
    note = text("%(date)s is outside the plan's year %(year)s.") % {
        "date": "۱۴۰۷/۰۱/۰۱",
        "year": "۱۴۰۵",
    }
    assert note in page.replace("&#x27;", "'")
    assert 'value="۱۴۰۵/۱۲/۲۹"' in page  # the last day of 1405
