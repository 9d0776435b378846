"""The year-end accountability report (SPEC 4.4): the ranking with its components and grades,
both baselines side by side, and the evidence behind every grade D — as a Persian PDF."""

import datetime as dt

import pytest
from django.utils import translation

from ronagh.lib import jalali
from ronagh.lib.digits import to_persian
from ronagh.obstacles.models import Obstacle
from ronagh.plans.services import decide_replan, request_replan
from ronagh.reports import accountability
from ronagh.scorecards.selectors import league_table

from .conftest import (
    AS_OF,
    END,
    INDUSTRY,
    START,
    TAX,
    fa,
    gregorian_dates,
    has,
    has_words,
    page_texts,
    pdf_text,
)

pytestmark = pytest.mark.django_db


def figure(value: float, places: int = 1) -> str:
    """A figure as the PDF prints it: rounded, trailing zeros dropped, Persian digits."""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return to_persian(text)


def render(plan, as_of=AS_OF, pages=False):
    with translation.override("fa"):
        report = accountability.build(plan=plan, as_of=as_of)
        data = accountability.to_pdf(report)
    return report, page_texts(data) if pages else pdf_text(data)


EVIDENCE = "Under-performing agencies (grade D) and their evidence"


def test_the_report_ranks_every_agency_with_the_scorecard_figures(world):
    report = accountability.build(plan=world.plan, as_of=AS_OF)
    expected = league_table(plan=world.plan, as_of=AS_OF)
    assert [r.agency.name for r in report.rows] == [s.agency.name for s in expected]
    assert [r.score.score for r in report.rows] == [s.score for s in expected]
    industry, tax, formula = report.rows
    assert industry.agency.name == INDUSTRY and industry.score.rank == 1
    assert tax.agency.name == TAX and tax.score.grade == "D"
    assert formula.score.rank is None  # no action, no obstacle: no score, listed last
    assert report.grade_counts["D"] == 1
    assert [r.agency.name for r in report.under_performing] == [TAX]


def test_the_pdf_is_persian_with_jalali_dates_and_no_gregorian_one(world):
    report, text = render(world.plan)
    assert has_words(text, fa("Year-end accountability report"))
    assert has_words(text, fa(EVIDENCE))
    assert has(text, INDUSTRY) and has(text, TAX)
    assert has_words(text, world.plan.title)
    assert has(text, to_persian("1405/04/24"))  # the as-of date in the page header
    assert has_words(text, "۲۴ تیر ۱۴۰۵")  # and in words
    assert has(text, to_persian(f"{report.rows[0].score.score:.2f}"))
    assert gregorian_dates(text) == []


def test_every_grade_d_agency_comes_with_its_evidence(world):
    Obstacle.objects.create(
        province=world.plan.province, category="tax", title="تأخیر در استرداد مالیات یک کارخانه",
        severity=3, responsible_agency=world.tax, status="assigned",
        assigned_on=dt.date(2026, 6, 1), due_date=dt.date(2026, 6, 15),
        registered_by=world.sec, registered_on=dt.date(2026, 6, 1),
    )  # fmt: skip
    report, pages = render(world.plan, pages=True)
    tax = report.under_performing[0]
    assert [a.code for a in tax.score.stalled_actions] == ["T-1"]
    assert [a.code for a in tax.score.critical_actions] == ["T-2"]
    assert tax.overdue_rows[0][1] == 30  # 1405/03/25 → 1405/04/24
    # The evidence starts on a page of its own.
    first = next(i for i, page in enumerate(pages) if has_words(page, fa(EVIDENCE)))
    evidence = "\n".join(pages[first:])
    assert has_words(evidence, TAX)
    assert has(evidence, "استرداد مالیات صادرکنندگان")  # stalled
    assert has(evidence, "تقسیط بدهی مالیاتی واحدهای تولیدی")  # critical
    assert has(evidence, "تأخیر در استرداد مالیات یک کارخانه")  # overdue obstacle
    assert has(evidence, to_persian(str(tax.score.missed_reports)))
    assert not has(evidence, "ساماندهی شهرک‌های صنعتی")  # the diligent agency is not there


def test_both_baselines_side_by_side_after_a_replan(world):
    """S-1 re-planned to end on 1405/12/09: on 1405/04/24 (105 days in) the baseline plans
    100·105/274 = 38.3 %, the approved schedule 100·105/333 = 31.5 %."""
    new_end = dt.date(2027, 2, 28)
    replan = request_replan(
        actor=world.sec, action=world.s1, start=START, end=new_end, reason="کمبود اعتبار"
    )
    decide_replan(actor=world.sec, request=replan, approve=True, reason="تأیید شد")
    report, text = render(world.plan)
    industry = report.rows[0]
    assert industry.baseline_planned == pytest.approx(100 * 105 / 274)
    assert industry.planned == pytest.approx(100 * 105 / 333)
    assert [a.action.code for a in report.replanned] == ["S-1"]
    line = report.replanned[0]
    assert (line.baseline_start, line.baseline_end) == (START, END)
    assert has(text, figure(100 * 105 / 274)) and has(text, figure(100 * 105 / 333))
    assert has(text, to_persian(jalali.format_date(new_end)))  # the approved end, in Jalali
    assert gregorian_dates(text) == []


def test_without_a_replan_the_report_says_the_schedule_is_the_baseline(world):
    report, text = render(world.plan)
    assert report.replanned == []
    industry = report.rows[0]
    assert industry.baseline_planned == pytest.approx(industry.planned)
    assert has_words(
        text,
        fa("No action has been re-planned: the approved schedule is the communicated baseline."),
    )
