"""Both reports as Excel: right-to-left sheets with Persian headers, real numbers in number
cells, Jalali dates as text, and nothing a spreadsheet would run as a formula."""

import io

import openpyxl
import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from ronagh.reports import accountability, brief
from ronagh.reports.excel import FORMULA_START, safe_text

from .conftest import AS_OF, AS_OF_TEXT, FORMULA, INDUSTRY, TAX, fa

pytestmark = pytest.mark.django_db


def workbook(module, plan) -> openpyxl.Workbook:
    with translation.override("fa"):
        data = module.to_xlsx(module.build(plan=plan, as_of=AS_OF))
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(ws) -> list[dict]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2)]


def test_the_accountability_workbook_ranks_agencies_with_numbers_in_number_cells(world):
    wb = workbook(accountability, world.plan)
    assert all(ws.sheet_view.rightToLeft for ws in wb.worksheets)
    ranking = rows(wb[fa("Ranking")])
    first = ranking[0]
    assert first[fa("Agency")].value == INDUSTRY
    assert first[fa("Rank")].value == 1 and first[fa("Rank")].data_type == "n"
    score = first[fa("Score")]
    assert isinstance(score.value, float) and score.number_format == "0.0"
    assert ranking[1][fa("Agency")].value == TAX and ranking[1][fa("Grade")].value == "D"
    assert ranking[1][fa("Stalled actions")].value == 1


def test_a_formula_looking_agency_name_is_written_as_text(world):
    wb = workbook(accountability, world.plan)
    names = [r[fa("Agency")] for r in rows(wb[fa("Ranking")])]
    cell = next(c for c in names if FORMULA in str(c.value))
    assert cell.value == "'" + FORMULA
    assert cell.data_type == "s"
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row), ws.title


def test_dates_are_jalali_text_and_both_baselines_are_there(world):
    wb = workbook(accountability, world.plan)
    actions = {r[fa("Code")].value: r for r in rows(wb[fa("Actions, both baselines")])}
    s1 = actions["S-1"]
    assert s1[fa("Start, approved")].value == "1405/01/12"
    assert s1[fa("End, baseline")].value == "1405/10/10"
    assert s1[fa("Status, baseline")].data_type == "s"
    assert isinstance(s1[fa("Planned, baseline (%)")].value, float)
    facts = {r[0].value: r[1].value for r in wb[fa("Report")].iter_rows(min_row=3) if r[0].value}
    assert facts[fa("As of")] == AS_OF_TEXT
    assert facts[fa("Communicated on")] == "1405/01/11"


def test_the_evidence_sheet_lists_the_grade_d_agency_only(world):
    wb = workbook(accountability, world.plan)
    evidence = rows(wb[fa("Evidence of grade D")])
    assert {r[fa("Agency")].value for r in evidence} == {TAX}
    kinds = {(r[fa("Evidence")].value, r[fa("Code")].value) for r in evidence}
    assert (fa("Stalled action"), "T-1") in kinds and (fa("Critical action"), "T-2") in kinds


def test_the_brief_workbook(world):
    wb = workbook(brief, world.plan)
    assert all(ws.sheet_view.rightToLeft for ws in wb.worksheets)
    worst = rows(wb[fa("Furthest behind")])
    assert [r[fa("Code")].value for r in worst][:2] == ["T-1", "T-2"]
    assert worst[0][fa("Gap (points)")].value == pytest.approx(100)
    league = rows(wb[fa("League table")])
    assert [r[fa("Agency")].value for r in league] == [INDUSTRY, TAX]  # ranked ones only
    curve = rows(wb[fa("S-curve")])
    assert curve[0][fa("Date")].value == "1405/01/01"
    year_end = curve[-1][fa("Planned progress (%)")]
    assert year_end.data_type == "n" and year_end.value == 100
    assert curve[-1][fa("Actual progress (%)")].value is None  # the year's end is not known yet


@given(st.text(max_size=30))
def test_neutralised_text_never_starts_a_formula_and_keeps_the_words(text):
    safe = safe_text(text)
    assert not safe.startswith(FORMULA_START)
    assert safe == text or safe == "'" + text
