"""`ronagh report accountability|brief --as-of YYYY/MM/DD --format pdf|xlsx -o FILE` (SPEC 7)."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ronagh.lib.digits import to_latin

from .conftest import INDUSTRY, pdf_pages

pytestmark = pytest.mark.django_db


def ronagh_report(*args):
    """Run the command as the console script would; (stdout, error or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("report", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_writes_the_accountability_report_as_pdf(world, tmp_path):
    path = tmp_path / "accountability.pdf"
    out, error = ronagh_report(
        "accountability", "--as-of", "1405/04/24", "--format", "pdf", "-o", str(path)
    )
    assert error is None
    assert path.read_bytes().startswith(b"%PDF") and pdf_pages(path.read_bytes()) >= 1
    assert str(path) in out


def test_writes_the_brief_as_excel_from_a_date_in_persian_digits(world, tmp_path):
    path = tmp_path / "brief.xlsx"
    _out, error = ronagh_report(
        "brief", "--as-of", "۱۴۰۵/۰۴/۲۴", "--format", "xlsx", "-o", str(path), "--province", "qom"
    )
    assert error is None
    wb = openpyxl.load_workbook(path)
    assert any(c.value == INDUSTRY for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_the_format_may_come_from_the_file_name_and_the_plan_from_its_id(world, tmp_path):
    path = tmp_path / "report.xlsx"
    _out, error = ronagh_report(
        "accountability", "--as-of", "1405/04/24", "--plan", str(world.plan.pk), "-o", str(path)
    )
    assert error is None
    openpyxl.load_workbook(path)


@pytest.mark.parametrize("as_of", ["1405/13/01", "2026-07-15x", "فردا"])
def test_a_bad_date_fails_with_a_message_and_writes_nothing(world, tmp_path, as_of):
    path = tmp_path / "report.pdf"
    _out, error = ronagh_report("accountability", "--as-of", as_of, "-o", str(path))
    assert error is not None and error.returncode != 0
    assert as_of in str(error)
    assert not path.exists()


def test_a_missing_date_fails(world, tmp_path):
    _out, error = ronagh_report("brief", "-o", str(tmp_path / "b.pdf"))
    assert error is not None and error.returncode != 0


def test_a_year_without_a_plan_names_the_years_that_have_one(world, tmp_path):
    _out, error = ronagh_report("brief", "--as-of", "1403/05/01", "-o", str(tmp_path / "b.pdf"))
    assert error is not None and "1405" in to_latin(str(error))


@pytest.mark.parametrize(
    "args",
    [
        ("yearly", "--as-of", "1405/04/24", "-o", "x.pdf"),  # no such report
        ("brief", "--as-of", "1405/04/24", "--format", "docx", "-o", "x.docx"),
        ("brief", "--as-of", "1405/04/24"),  # no -o
        ("brief", "--as-of", "1405/04/24", "--province", "atlantis", "-o", "x.pdf"),
    ],
)
def test_bad_arguments_fail_with_a_message(world, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    _out, error = ronagh_report(*args)
    assert error is not None and error.returncode != 0 and str(error)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_file_is_an_error(world, tmp_path):
    path = tmp_path / "missing-dir" / "b.pdf"
    _out, error = ronagh_report("brief", "--as-of", "1405/04/24", "-o", str(path))
    assert error is not None and str(path) in str(error)


def test_a_plan_without_reports_or_agencies_still_makes_both_documents(db, tmp_path):
    """A draft with one action and nobody's figures yet: every table says so, nothing fails."""
    from tests.factories import ActionFactory

    ActionFactory(lead_agency=None)
    for kind in ("accountability", "brief"):
        for fmt in ("pdf", "xlsx"):
            path = tmp_path / f"{kind}.{fmt}"
            _out, error = ronagh_report(kind, "--as-of", "1405/12/29", "-o", str(path))
            assert error is None, error
            assert path.stat().st_size > 0
