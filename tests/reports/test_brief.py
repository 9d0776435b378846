"""The governor's weekly brief: one Persian page with the headline figures, the S-curve, the
five actions furthest behind, the league table and the open obstacles when there are any."""

import datetime as dt

import pytest
from django.utils import translation

from ronagh.lib.digits import to_persian
from ronagh.obstacles.models import Obstacle
from ronagh.reports import brief

from .conftest import (
    AS_OF,
    INDUSTRY,
    TAX,
    fa,
    gregorian_dates,
    has,
    has_words,
    pdf_pages,
    pdf_text,
    planned_linear,
)

pytestmark = pytest.mark.django_db


def render(plan, as_of=AS_OF):
    with translation.override("fa"):
        b = brief.build(plan=plan, as_of=as_of)
        data = brief.to_pdf(b)
    return b, data, pdf_text(data)


def test_headline_figures_are_the_plan_rollup_and_its_change_over_the_week(world):
    """Effective weights: S-1 ½, T-1 ¼, T-2 ¼. On 1405/04/24 S-1 is planned 100·105/274 and
    reported at that rounded to a tenth; T-1 is planned 100, T-2 as S-1 and reported at 5."""
    b, _data, text = render(world.plan)
    p_s = planned_linear(AS_OF)
    planned = 0.5 * p_s + 0.25 * 100 + 0.25 * p_s
    actual = 0.5 * round(p_s, 1) + 0.25 * 5
    week_ago = 0.5 * round(planned_linear(AS_OF - dt.timedelta(days=7)), 1)
    assert b.total.planned == pytest.approx(planned)
    assert b.total.actual == pytest.approx(actual)
    assert b.actual_change == pytest.approx(actual - week_ago)
    assert has(text, to_persian(f"{planned:.1f}"))  # ۵۳٫۷
    assert has(text, to_persian(f"{actual:.1f}"))  # ۲۰٫۴
    assert has(text, "+" + to_persian(f"{actual - week_ago:.1f}"))  # +۲٫۵ this week


def test_the_brief_is_one_persian_page_with_jalali_dates_only(world):
    _b, data, text = render(world.plan)
    assert pdf_pages(data) == 1
    assert has_words(text, fa("Weekly brief for the governor"))
    assert has_words(text, fa("League table of agencies"))
    assert has(text, INDUSTRY) and has(text, TAX)
    assert has(text, to_persian("1405/04/24"))
    assert has_words(text, "۱۸ تیر ۱۴۰۵")  # the first of the seven days
    assert has(text, "فروردین") and has(text, "اسفند")  # the S-curve's Jalali months
    assert gregorian_dates(text) == []


def test_the_actions_that_cost_the_grade_d_agency_most_come_first(world):
    """The Excel keeps the five actions furthest behind; the page names Tax's costly actions:
    T-1 (P 100, A 0) costs 100 · ¼ · 1 / ½ = 50 points of progress, T-2 less."""
    b, _data, text = render(world.plan)
    assert [a.action.code for a in b.worst][:2] == ["T-1", "T-2"]  # gaps 100 and 33.3
    assert b.worst[0].fig.gap == pytest.approx(100)
    assert has_words(text, fa("Under-performing agencies and why"))
    assert text.index("T-1") < text.index("T-2")  # no other part of the page names codes
    assert has(text, "استرداد مالیات صادرکنندگان")
    assert has(text, "۵۰")


def test_overdue_obstacles_are_listed_only_when_there_are_some(world):
    b, _data, text = render(world.plan)
    assert b.obstacles["open"] == 0 and not b.show_obstacles
    assert not has_words(text, fa("Longest overdue obstacles"))
    Obstacle.objects.create(
        province=world.plan.province, category="banking", title="امتناع بانک از تمدید تسهیلات",
        severity=4, responsible_agency=world.tax, status="assigned", jobs_affected=120,
        assigned_on=dt.date(2026, 7, 1), due_date=dt.date(2026, 7, 8),
        registered_by=world.sec, registered_on=dt.date(2026, 7, 1),
    )  # fmt: skip
    b, data, text = render(world.plan)
    assert b.obstacles["open"] == 1 and b.obstacles["overdue"] == 1
    assert pdf_pages(data) == 1
    assert has_words(text, fa("Longest overdue obstacles"))
    assert has(text, "امتناع بانک از تمدید تسهیلات")
    assert has(text, to_persian("1405/04/17"))  # its due date
    assert gregorian_dates(text) == []
