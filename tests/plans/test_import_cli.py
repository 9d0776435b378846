"""`ronagh import-plan` and `ronagh export-plan` (SPEC 7)."""

import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ronagh.core.models import Agency
from ronagh.lib.digits import to_latin
from ronagh.plans.models import Action, Plan
from tests.factories import ActionFactory, AgencyFactory, AxisFactory, PlanFactory, communicated

HEADERS = ["کد محور", "عنوان محور", "کد اقدام", "عنوان اقدام", "دستگاه مسئول", "تاریخ شروع",
           "تاریخ پایان"]  # fmt: skip
INDUSTRY = "سازمان صنعت، معدن و تجارت"


def workbook(path: Path, rows, headers=HEADERS) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def good_rows(n=2):
    return [[1, "محور یک", f"1-{i}", f"اقدام {i}", INDUSTRY, "1405/01/15", "1405/06/31"]
            for i in range(1, n + 1)]  # fmt: skip


def ronagh(*args):
    """Run a command as the console script would; (stdout, stderr, error or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


@pytest.fixture
def industry(db):
    return AgencyFactory(name=INDUSTRY)


@pytest.mark.django_db
def test_import_creates_the_draft_plan_and_prints_a_summary(industry, tmp_path):
    path = workbook(tmp_path / "plan.xlsx", good_rows(3))
    out, err, error = ronagh("import_plan", str(path), "--province", "qom", "--year", "1405")
    assert error is None, err
    plan = Plan.objects.get(province__code="qom", year=1405)
    assert plan.status == Plan.Status.DRAFT and plan.actions.count() == 3
    assert to_latin(plan.title) in out and "3" in out  # the console's digits are Latin
    assert "قم" in plan.title


@pytest.mark.django_db
def test_import_accepts_a_year_in_persian_digits(industry, tmp_path):
    path = workbook(tmp_path / "plan.xlsx", good_rows())
    out, err, error = ronagh("import_plan", str(path), "--province", "qom", "--year", "۱۴۰۵")
    assert error is None, err
    assert Plan.objects.filter(year=1405).exists()


@pytest.mark.django_db
def test_a_bad_workbook_lists_every_problem_on_stderr_and_fails(industry, tmp_path):
    rows = good_rows(3)
    rows[0][5] = "1405/14/01"
    rows[2][6] = "1405/01/01"
    path = workbook(tmp_path / "plan.xlsx", rows)
    out, err, error = ronagh("import_plan", str(path), "--province", "qom", "--year", "1405")
    assert error is not None and error.returncode != 0
    lines = err.strip().splitlines()
    assert "2" in lines[0] and "تاریخ شروع" in lines[0] and "1405/14/01" in lines[0]
    assert "4" in lines[1] and "تاریخ پایان" in lines[1]
    assert "2" in str(error)  # two problems
    assert out == ""
    assert Plan.objects.count() == 0 and Action.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_agency_names_the_closest_and_suggests_create_agencies(industry, tmp_path):
    rows = good_rows(1)
    rows[0][4] = "سازمان صنعت معدن"
    path = workbook(tmp_path / "plan.xlsx", rows)
    out, err, error = ronagh("import_plan", str(path), "--province", "qom", "--year", "1405")
    assert error is not None
    assert "سازمان صنعت معدن" in err and INDUSTRY in err and "--create-agencies" in err
    assert Plan.objects.count() == 0

    out, err, error = ronagh(
        "import_plan", str(path), "--province", "qom", "--year", "1405", "--create-agencies"
    )
    assert error is None, err
    assert Agency.objects.filter(name="سازمان صنعت معدن", kind=Agency.Kind.OTHER).exists()
    assert "سازمان صنعت معدن" in out


@pytest.mark.django_db
def test_an_empty_file_and_a_file_that_is_not_a_workbook_are_clear_messages(industry, tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    text = tmp_path / "text.xlsx"
    text.write_text("not a workbook")
    for path in (empty, text):
        out, err, error = ronagh("import_plan", str(path), "--province", "qom", "--year", "1405")
        assert error is not None and str(error)
        assert "Traceback" not in err
    assert Plan.objects.count() == 0


@pytest.mark.django_db
def test_unknown_columns_are_warned_about_on_stderr(industry, tmp_path):
    rows = [r + ["یادداشت"] for r in good_rows()]
    path = workbook(tmp_path / "plan.xlsx", rows, headers=[*HEADERS, "ملاحظات"])
    out, err, error = ronagh("import_plan", str(path), "--province", "qom", "--year", "1405")
    assert error is None
    assert "ملاحظات" in err


@pytest.mark.django_db
def test_dry_run_tells_what_would_be_created_and_saves_nothing(industry, tmp_path):
    rows = good_rows(2) + [[2, "محور دو", "2-1", "اقدام تازه", "دستگاه تازه", None, None]]
    path = workbook(tmp_path / "plan.xlsx", rows)
    agencies = Agency.objects.count()
    out, err, error = ronagh(
        "import_plan", str(path), "--province", "qom", "--year", "1405", "--dry-run",
        "--create-agencies",
    )  # fmt: skip
    assert error is None, err
    assert "2" in out and "3" in out and "دستگاه تازه" in out
    assert Plan.objects.count() == 0 and Agency.objects.count() == agencies


@pytest.mark.django_db
def test_importing_again_replaces_the_draft(industry, tmp_path):
    first = workbook(tmp_path / "first.xlsx", good_rows(3))
    second = workbook(tmp_path / "second.xlsx", good_rows(1))
    ronagh("import_plan", str(first), "--province", "qom", "--year", "1405")
    out, err, error = ronagh("import_plan", str(second), "--province", "qom", "--year", "1405")
    assert error is None, err
    assert Plan.objects.count() == 1
    assert list(Action.objects.values_list("code", flat=True)) == ["1-1"]


@pytest.mark.django_db
def test_a_communicated_plan_is_refused(industry, tmp_path):
    plan = PlanFactory()
    ActionFactory(axis=AxisFactory(plan=plan), code="KEEP", lead_agency=industry)
    communicated(plan)
    path = workbook(tmp_path / "plan.xlsx", good_rows())
    out, err, error = ronagh("import_plan", str(path), "--province", "qom", "--year", "1405")
    assert error is not None and "1405" in str(error)
    assert list(Action.objects.values_list("code", flat=True)) == ["KEEP"]


@pytest.mark.django_db
def test_an_unknown_province_is_refused_with_a_suggestion(industry, tmp_path):
    path = workbook(tmp_path / "plan.xlsx", good_rows())
    out, err, error = ronagh("import_plan", str(path), "--province", "qum", "--year", "1405")
    assert error is not None and "qum" in str(error) and "qom" in str(error)


@pytest.mark.django_db
def test_a_large_workbook_shows_a_progress_bar_on_stderr(industry, tmp_path):
    path = workbook(tmp_path / "plan.xlsx", good_rows(600))
    out, err, error = ronagh("import_plan", str(path), "--province", "qom", "--year", "1405")
    assert error is None
    assert "100%" in err and "600/600" in err
    assert Action.objects.count() == 600


@pytest.mark.django_db
def test_export_plan_writes_a_workbook_that_imports_again(industry, tmp_path):
    path = workbook(tmp_path / "plan.xlsx", good_rows(2))
    ronagh("import_plan", str(path), "--province", "qom", "--year", "1405")
    exported = tmp_path / "exported.xlsx"
    out, err, error = ronagh(
        "export_plan", "--province", "qom", "--year", "1405", "-o", str(exported)
    )
    assert error is None, err
    assert str(exported) in out
    out, err, error = ronagh("import_plan", str(exported), "--province", "qom", "--year", "1406")
    assert error is None, err
    codes = list(Action.objects.filter(plan__year=1406).values_list("code", flat=True))
    assert sorted(codes) == ["1-1", "1-2"]


@pytest.mark.django_db
def test_export_of_a_year_without_a_plan_fails(db, tmp_path):
    out, err, error = ronagh(
        "export_plan", "--province", "qom", "--year", "1405", "-o", str(tmp_path / "x.xlsx")
    )
    assert error is not None and not (tmp_path / "x.xlsx").exists()


def test_the_console_script_exits_non_zero_with_the_problems_on_stderr(tmp_path):
    """The real `ronagh` in a fresh data directory: errors on stderr, exit status 1, no
    traceback."""
    script = Path(sys.executable).with_name("ronagh")
    (tmp_path / "data").mkdir()
    env = {**os.environ, "RONAGH_TESTING": "1", "RONAGH_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    env["RONAGH_LANGUAGE"] = "en"
    migrate = subprocess.run([script, "manage", "migrate", "-v", "0"], env=env,
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    rows = good_rows(1)
    rows[0][0] = "یک"
    path = workbook(tmp_path / "plan.xlsx", rows)
    done = subprocess.run(
        [script, "import-plan", str(path), "--province", "qom", "--year", "1405"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Row 2" in done.stderr and "کد محور" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
