"""`ronagh import-units` and `ronagh import-indicators` (SPEC 7): Persian headers or aliases,
any digits, all or nothing, every bad cell on stderr with its row, column and reason, a
non-zero exit; the indicators import rescores the months it touches."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ronagh.units.models import PreventiveCase, ProductionUnit, RiskScore, UnitIndicator
from ronagh.units.workbook import export_units, read_units

from .conftest import nid


def workbook(tmp_path, rows, name="book.xlsx"):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    path = tmp_path / name
    wb.save(path)
    return str(path)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return 1, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


UNIT_HEADER = ["شناسه ملی", "نام واحد", "کد آیسیک", "بخش", "شهرستان", "شهرک صنعتی", "وضعیت",
               "تعداد کارکنان", "ظرفیت اسمی", "مدیرعامل", "شماره پروانه بهره‌برداری", "تاریخ پروانه"]  # fmt: skip


def test_a_good_units_workbook_creates_units_and_parks(org, tmp_path):
    path = workbook(
        tmp_path,
        [
            UNIT_HEADER,
            [
                "۱۰۳۸۰۲۸۴۷۹۰",
                "چاپخانه نور",
                "۱۸۱۱",
                "چاپ و نشر",
                "قم",
                "شهرک صنعتی شکوهیه",
                "فعال",
                "۴۵",
                "1200",
                "زهرا قمی",
                "۱۳۰/۵۵",
                "1401/5/3",
            ],
            [
                nid(2),
                "لبنیات مهر",
                1050,
                "صنایع غذایی",
                "كهك",
                "ناحیه صنعتی کهک",
                "راکد",
                30,
                None,
                None,
                None,
                None,
            ],
        ],  # fmt: skip
    )
    code, out, err = run("import_units", path, "--province", "qom")
    assert code == 0, err
    printer = ProductionUnit.objects.get(national_id="10380284790")
    assert printer.isic == "1811" and printer.employees == 45 and printer.priority
    assert printer.licence_date.isoformat() == "2022-07-25" and printer.licence_no == "130/55"
    dairy = ProductionUnit.objects.get(national_id=nid(2))
    assert (
        dairy.county == org.kahak
        and dairy.status == "idle"
        and dairy.park.name == "ناحیه صنعتی کهک"
    )
    assert "2" in out


def test_aliases_work_and_blank_cells_keep_the_stored_values(org, make_unit, tmp_path):
    make_unit(3, employees=70, manager="حمید نوری")
    path = workbook(
        tmp_path, [["national_id", "name", "employees", "manager"], [nid(3), "", 65, ""]]
    )
    code, _out, err = run("import_units", path, "--province", "qom")
    assert code == 0, err
    unit = ProductionUnit.objects.get(national_id=nid(3))
    assert unit.employees == 65 and unit.manager == "حمید نوری" and unit.name == "واحد آزمایشی 3"
    assert ProductionUnit.objects.count() == 1


def test_a_hostile_units_workbook_saves_nothing_and_names_every_bad_cell(org, make_unit, tmp_path):
    path = workbook(
        tmp_path,
        [
            UNIT_HEADER[:8],
            ["10380284791", "غلط", None, None, None, None, None, None],
            [nid(4), "یک", None, None, "تهران‌نو", None, None, None],
            [nid(4), "دو", None, None, None, None, "نیمه‌فعال", "-5"],
            [nid(5), "", None, None, None, None, None, None],
        ],
    )
    code, _out, err = run("import_units", path, "--province", "qom")
    assert code == 1
    assert not ProductionUnit.objects.exists()
    lines = err.splitlines()
    assert any("2" in ln and "شناسه ملی" in ln for ln in lines)  # invalid id, row 2
    assert any("3" in ln and "شهرستان" in ln for ln in lines)  # unknown county, row 3
    assert any("4" in ln and "شناسه ملی" in ln for ln in lines)  # the same id twice
    assert any("4" in ln and "وضعیت" in ln for ln in lines)  # unknown status
    assert any("4" in ln and "تعداد کارکنان" in ln for ln in lines)  # a negative number
    assert any("5" in ln and "نام واحد" in ln for ln in lines)  # a new unit needs a name


def test_a_dry_run_checks_and_saves_nothing(org, tmp_path):
    path = workbook(tmp_path, [UNIT_HEADER[:2], [nid(6), "واحد"]])
    code, out, _err = run("import_units", path, "--province", "qom", "--dry-run")
    assert code == 0 and not ProductionUnit.objects.exists()


def test_export_reads_back_unchanged(org, make_unit):
    make_unit(7, capacity=1500, manager="=HYPERLINK()", isic="1811")
    parsed = read_units(export_units(ProductionUnit.objects.all()))
    assert parsed.ok
    row = parsed.rows[0]
    assert row.national_id == nid(7) and row.isic == "1811" and row.manager == "=HYPERLINK()"
    assert row.capacity == 1500 and row.status == "فعال"


INDICATOR_HEADER = ["شناسه ملی", "ماه", "تعداد کارکنان", "درصد بهره‌برداری", "فروش", "مصرف انرژی",
                    "معوقه مالیاتی (ماه)", "معوقه بیمه (ماه)", "معوقه بانکی (ماه)", "چک برگشتی",
                    "قطع انشعاب"]  # fmt: skip


@pytest.fixture
def today(monkeypatch):
    import datetime as dt

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 11, 6))


def test_indicators_are_imported_and_rescored_with_their_preventive_case(
    org, make_unit, tmp_path, today
):
    unit = make_unit(8)
    path = workbook(
        tmp_path,
        [
            INDICATOR_HEADER,
            [nid(8), "1405/05", 100, 80, 5000, 300, 0, 0, 0, 0, 0],
            [nid(8), "۱۴۰۵-۶", "۶۰", "۵", "۵۰۰", 30, 8, 8, 8, 6, 3],
        ],
    )
    code, out, err = run("import_indicators", path)
    assert code == 0, err
    assert UnitIndicator.objects.filter(unit=unit).count() == 2
    assert RiskScore.objects.filter(unit=unit).count() == 2
    assert PreventiveCase.objects.filter(unit=unit).count() == 1
    assert "1" in out


def test_a_hostile_indicators_workbook_saves_nothing(org, make_unit, tmp_path, today):
    make_unit(9)
    path = workbook(
        tmp_path,
        [
            INDICATOR_HEADER[:4],
            ["10380284790", "1405/05", 10, 50],  # no such unit
            [nid(9), "1405/12", 10, 50],  # a month not begun
            [nid(9), "1405/04", 10, 150],  # utilisation out of range
            [nid(9), "1405/03", 10, 50],
            [nid(9), "۱۴۰۵/۰۳", 10, 50],  # the same unit-month twice
            [nid(9), "اسفند", 10, 50],  # not a month
        ],
    )
    code, _out, err = run("import_indicators", path)
    assert code == 1
    assert not UnitIndicator.objects.exists() and not RiskScore.objects.exists()
    for row, column in (
        (2, "شناسه ملی"),
        (3, "ماه"),
        (4, "درصد بهره‌برداری"),
        (6, "ماه"),
        (7, "ماه"),
    ):
        assert any(str(row) in ln and column in ln for ln in err.splitlines()), (row, column)


def test_a_file_that_is_not_a_workbook_is_one_clear_error(org, tmp_path):
    path = tmp_path / "not.xlsx"
    path.write_bytes(b"hello")
    code, _out, err = run("import_indicators", str(path))
    assert code == 1 and ".xlsx" in err
