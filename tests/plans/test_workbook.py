"""The plan workbook of SPEC 7: reading, checking, importing and exporting."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from ronagh.core.errors import Conflict
from ronagh.core.models import Agency
from ronagh.plans.models import Action, Axis, Plan
from ronagh.plans.quality import blocking_gaps
from ronagh.plans.workbook import (
    COLUMNS,
    CellError,
    WorkbookError,
    export_plan,
    import_plan,
    read_workbook,
    split_partners,
    template_workbook,
)
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    communicated,
    qom,
    reporter,
    secretariat,
)

PERSIAN = {
    "axis_no": "کد محور",
    "axis_title": "عنوان محور",
    "axis_weight": "وزن محور",
    "action_code": "کد اقدام",
    "action_title": "عنوان اقدام",
    "lead_agency": "دستگاه مسئول",
    "partner_agencies": "دستگاه‌های همکار",
    "weight": "وزن",
    "start": "تاریخ شروع",
    "end": "تاریخ پایان",
    "indicator": "شاخص",
    "target": "مقدار هدف",
    "unit": "واحد سنجش",
    "milestones": "نقاط کنترل",
}
INDUSTRY = "سازمان صنعت، معدن و تجارت"
GOVERNORATE = "استانداری قم"


def book(rows, headers=None, merge=()) -> bytes:
    """An .xlsx whose first sheet has `headers` (alias → header text) in row 1 and one row per
    dict of `rows` (alias → value; None leaves a blank row)."""
    headers = headers or PERSIAN
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(headers.values()))
    for row in rows:
        ws.append([None] * len(headers) if row is None else [row.get(k) for k in headers])
    for cells in merge:
        ws.merge_cells(cells)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def action_row(code="1-1", axis=1, **kw):
    row = {
        "axis_no": axis,
        "axis_title": f"محور {axis}",
        "axis_weight": 1,
        "action_code": code,
        "action_title": f"اقدام {code}",
        "lead_agency": INDUSTRY,
        "weight": 1,
        "start": "1405/01/15",
        "end": "1405/06/31",
        "indicator": "تعداد واحد",
        "target": 10,
        "unit": "واحد",
    }
    row.update(kw)
    return row


@pytest.fixture
def agencies(db):
    return {name: AgencyFactory(name=name) for name in (INDUSTRY, GOVERNORATE, "بانک ملی")}


def run(data, year=1405, **kw):
    return import_plan(parsed=read_workbook(data), province=qom(), year=year, **kw)


def counts():
    return (Plan.objects.count(), Axis.objects.count(), Action.objects.count(),
            Agency.objects.count())  # fmt: skip


def refused(data, **kw) -> list[CellError]:
    """Import expecting a refusal: the problems, after checking that nothing was saved."""
    before = counts()
    with pytest.raises(WorkbookError) as info:
        run(data, **kw)
    assert counts() == before
    return info.value.cell_errors


def at(error: CellError) -> tuple:
    """Where a problem is, checked against what the user reads."""
    shown = str(error)
    if error.row is not None:
        assert str(error.row) in shown
    if error.column:
        assert error.column in shown
    return error.row, error.column


# --- what is imported ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_workbook_with_persian_headers_becomes_a_draft_plan(agencies):
    data = book([
        action_row("1-1", partner_agencies=f"{GOVERNORATE}؛ بانک ملی", weight=2, target="1200.5"),
        action_row("1-2", lead_agency=GOVERNORATE, indicator="", target=None, unit=""),
        action_row("2-1", axis=2, axis_title="محور صادرات", axis_weight=3),
    ])  # fmt: skip

    result = run(data)

    plan = Plan.objects.get(province=qom(), year=1405)
    assert result.plan == plan and result.created and not result.replaced
    assert plan.status == Plan.Status.DRAFT
    assert [(a.number, a.title, a.weight) for a in plan.axes.order_by("number")] == [
        (1, "محور 1", Decimal(1)),
        (2, "محور صادرات", Decimal(3)),
    ]
    first = plan.actions.get(code="1-1")
    assert first.title == "اقدام 1-1"
    assert first.lead_agency.name == INDUSTRY
    assert sorted(p.name for p in first.partners.all()) == sorted([GOVERNORATE, "بانک ملی"])
    assert first.weight == 2
    assert first.start == dt.date(2026, 4, 4)  # 1405/01/15
    assert first.end == dt.date(2026, 9, 22)  # 1405/06/31
    assert (first.indicator, first.target, first.unit) == ("تعداد واحد", Decimal("1200.50"), "واحد")
    second = plan.actions.get(code="1-2")
    assert second.lead_agency.name == GOVERNORATE
    assert second.target is None and second.indicator == ""
    assert plan.actions.get(code="2-1").axis.number == 2


@pytest.mark.django_db
def test_english_aliases_and_other_spellings_of_the_headers_are_found(agencies):
    english = {c.key: c.key for c in COLUMNS}
    run(book([action_row("1-1")], headers=english))
    assert Action.objects.filter(code="1-1", plan__year=1405).exists()

    variants = dict(PERSIAN)
    variants["partner_agencies"] = "دستگاه های  همکار"  # a space for the ZWNJ
    variants["end"] = "تاريخ پايان"  # Arabic yeh
    variants["lead_agency"] = " دستگاه‌مسئول "
    run(book([action_row("1-1", partner_agencies="بانک ملی")], headers=variants), year=1406)
    action = Action.objects.get(plan__year=1406, code="1-1")
    assert action.end == dt.date(2026, 9, 22)
    assert action.lead_agency.name == INDUSTRY
    assert [p.name for p in action.partners.all()] == ["بانک ملی"]


@pytest.mark.django_db
def test_persian_and_arabic_digits_are_read_in_numbers_and_dates(agencies):
    data = book([
        action_row("۱-۱", axis="۱", axis_weight="٢", weight="۱٫۵", target="۱۲۰۰",
                   start="۱۴۰۵/۰۲/۰۳", end="1405-3-1"),
    ])  # fmt: skip
    run(data)
    action = Action.objects.get()
    assert action.code == "1-1"
    assert action.axis.number == 1 and action.axis.weight == 2
    assert action.weight == Decimal("1.5")
    assert action.target == 1200
    assert action.start == dt.date(2026, 4, 23)  # 1405/02/03
    assert action.end == dt.date(2026, 5, 22)  # 1405/03/01


@pytest.mark.django_db
def test_real_date_cells_are_taken_as_gregorian_dates(agencies):
    data = book([action_row(start=dt.datetime(2026, 4, 4), end=dt.date(2026, 12, 1))])
    run(data)
    action = Action.objects.get()
    assert (action.start, action.end) == (dt.date(2026, 4, 4), dt.date(2026, 12, 1))


@pytest.mark.django_db
def test_merged_axis_cells_repeat_the_axis_for_every_row(agencies):
    rows = [
        action_row("1-1", axis_title="محور تولید", axis_weight=2),
        action_row("1-2", axis=None, axis_title=None, axis_weight=None),
        action_row("1-3", axis=None, axis_title=None, axis_weight=None),
        action_row("2-1", axis=2, axis_title="محور دوم", axis_weight=None),
        action_row("2-2", axis=2, axis_title=None, axis_weight=None),
    ]
    run(book(rows, merge=["A2:A4", "B2:B4", "C2:C4"]))

    plan = Plan.objects.get()
    assert [(a.number, a.title, a.weight) for a in plan.axes.order_by("number")] == [
        (1, "محور تولید", 2),
        (2, "محور دوم", 1),
    ]
    assert sorted(plan.actions.filter(axis__number=1).values_list("code", flat=True)) == [
        "1-1", "1-2", "1-3",
    ]  # fmt: skip


@pytest.mark.django_db
def test_partner_names_containing_the_persian_comma_are_kept_whole(agencies):
    new_lead = "اداره کل تعاون، کار و رفاه اجتماعی"
    data = book([
        action_row("1-1", partner_agencies=f"{INDUSTRY}، {GOVERNORATE}، بانک ملی"),
        action_row("1-2", lead_agency=new_lead, partner_agencies=f"بانک ملی, {new_lead}; {INDUSTRY}"),
        action_row("1-3", lead_agency=GOVERNORATE, partner_agencies=f"{new_lead}، اتاق بازرگانی"),
    ])  # fmt: skip
    run(data, create_agencies=True)

    def partners(code):
        return sorted(a.name for a in Action.objects.get(code=code).partners.all())

    assert partners("1-1") == sorted([GOVERNORATE, "بانک ملی"])  # the lead is not its own partner
    assert partners("1-2") == sorted(["بانک ملی", INDUSTRY])
    assert partners("1-3") == sorted([new_lead, "اتاق بازرگانی"])
    assert Agency.objects.filter(name__in=[new_lead, "اتاق بازرگانی"]).count() == 2


@pytest.mark.django_db
def test_arabic_yeh_and_kaf_extra_spaces_and_zwnj_match_the_stored_agency(db):
    stored = AgencyFactory(name="اداره کل راه و شهرسازی")
    bank = AgencyFactory(name="بانک کشاورزی")
    data = book([
        action_row(lead_agency="اداره  كل راه و شهرسازي", partner_agencies="بانك\u200cكشاورزي"),
    ])  # fmt: skip
    before = Agency.objects.count()
    run(data)
    action = Action.objects.get()
    assert action.lead_agency == stored
    assert list(action.partners.all()) == [bank]
    assert Agency.objects.count() == before


@pytest.mark.django_db
def test_new_agencies_are_created_only_when_asked_with_clean_names(agencies):
    data = book([action_row(lead_agency="اداره كل  منابع طبيعي")])
    assert "اداره کل منابع طبیعی" in str(refused(data)[0])

    result = run(data, create_agencies=True)
    created = Agency.objects.get(name="اداره کل منابع طبیعی")
    assert created.kind == Agency.Kind.OTHER and created.province == qom()
    assert result.new_agencies == ["اداره کل منابع طبیعی"]


@pytest.mark.django_db
def test_unknown_columns_are_ignored_with_a_warning_and_blank_rows_skipped(agencies):
    headers = {**PERSIAN, "note": "ملاحظات"}
    data = book([action_row("1-1", note="x"), None, {"note": "فقط یادداشت"},
                 action_row("1-2", start="1405/13/01")], headers=headers)  # fmt: skip
    parsed = read_workbook(data)
    assert any("ملاحظات" in w for w in parsed.warnings)
    # Blank rows do not shift the row numbers: the bad date is in the spreadsheet's row 5.
    assert [(e.row, e.column) for e in parsed.errors] == [(5, "تاریخ شروع")]


@pytest.mark.django_db
def test_blank_lead_blank_dates_and_dates_outside_the_year_are_imported_as_blocking_gaps(
    agencies,
):
    data = book([
        action_row("1-1", lead_agency=None),
        action_row("1-2", start=None, end=None),
        action_row("1-3", start="1404/12/01", end="1405/02/01"),
    ])  # fmt: skip
    run(data)
    plan = Plan.objects.get()
    assert plan.actions.count() == 3
    assert {g.code for g in blocking_gaps(plan)} == {"no_lead", "no_dates", "outside_year"}


# --- what is refused, with every bad cell named -------------------------------------------------


@pytest.mark.django_db
def test_a_missing_required_column_is_named(agencies):
    headers = {k: v for k, v in PERSIAN.items() if k not in ("action_code", "axis_no")}
    errors = refused(book([action_row()], headers=headers))
    assert [at(e) for e in errors] == [(1, "کد محور"), (1, "کد اقدام")]
    assert "action_code" in str(errors[1])


@pytest.mark.django_db
def test_a_column_given_twice_is_refused(agencies):
    headers = {**PERSIAN, "again": "action_code"}
    (error,) = refused(book([action_row()], headers=headers))
    assert at(error) == (1, "action_code") and "کد اقدام" in error.message


@pytest.mark.django_db
def test_an_unreadable_date_is_refused_with_its_row_and_column(agencies):
    data = book([action_row("1-1"), action_row("1-2", end="1405/13/40"), action_row("1-3")])
    (error,) = refused(data)
    assert at(error) == (3, "تاریخ پایان")
    assert "1405/13/40" in str(error)


@pytest.mark.django_db
def test_an_unreadable_number_is_refused(agencies):
    (error,) = refused(book([action_row(target="ده تا")]))
    assert at(error) == (2, "مقدار هدف")
    assert "ده تا" in str(error)


@pytest.mark.django_db
def test_an_end_before_the_start_is_refused(agencies):
    (error,) = refused(book([action_row(start="1405/05/01", end="1405/04/01")]))
    assert at(error) == (2, "تاریخ پایان")
    assert "1405/04/01" in str(error) and "1405/05/01" in str(error)


@pytest.mark.django_db
def test_an_unknown_agency_is_refused_naming_the_closest_known_names(agencies):
    data = book([action_row(lead_agency="سازمان صنعت معدن تجارت", partner_agencies="بانک ملت")])
    lead, partner = refused(data)
    assert at(lead) == (2, "دستگاه مسئول")
    assert "سازمان صنعت معدن تجارت" in str(lead) and INDUSTRY in str(lead)
    assert at(partner) == (2, "دستگاه‌های همکار")
    assert "بانک ملت" in str(partner) and "بانک ملی" in str(partner)


@pytest.mark.django_db
@pytest.mark.parametrize("weight", [-1, 0, "۰", "-۲", "0.0001"])
def test_a_weight_of_zero_or_less_is_refused(agencies, weight):
    (error,) = refused(book([action_row(weight=weight)]))
    assert at(error) == (2, "وزن")


@pytest.mark.django_db
def test_a_negative_axis_weight_is_refused(agencies):
    (error,) = refused(book([action_row(axis_weight=-3)]))
    assert at(error) == (2, "وزن محور")


@pytest.mark.django_db
def test_a_duplicate_action_code_is_refused_naming_the_first_row(agencies):
    data = book([action_row("1-1"), action_row("1-2"), action_row("۱-۱")])
    (error,) = refused(data)
    assert at(error) == (4, "کد اقدام")
    assert "1-1" in error.message and "2" in error.message  # the code and where it was first used


@pytest.mark.django_db
def test_one_axis_with_two_titles_or_two_weights_is_refused(agencies):
    data = book([
        action_row("1-1", axis_title="محور تولید", axis_weight=2),
        action_row("1-2", axis_title="محور  توليد", axis_weight="2.0"),  # the same, spelt otherwise
        action_row("1-3", axis_title="محور صادرات", axis_weight=3),
    ])  # fmt: skip
    title, weight = refused(data)
    assert at(title) == (4, "عنوان محور") and "محور تولید" in title.message
    assert at(weight) == (4, "وزن محور")


@pytest.mark.django_db
def test_every_bad_cell_is_reported_not_only_the_first(agencies):
    data = book([
        action_row("1-1", start="فردا"),
        action_row("", weight="zero"),
        action_row("1-3", axis="یک", lead_agency="دستگاه خیالی"),
    ])  # fmt: skip
    assert [at(e) for e in refused(data)] == [
        (2, "تاریخ شروع"),
        (3, "کد اقدام"),
        (3, "وزن"),
        (4, "کد محور"),
        (4, "دستگاه مسئول"),
    ]


@pytest.mark.django_db
def test_a_workbook_without_data_rows_is_refused(agencies):
    (error,) = refused(book([None, None]))
    assert error.code == "no_rows" and error.message
    assert [e.code for e in read_workbook(template_workbook()).errors] == ["no_rows"]


@pytest.mark.django_db
def test_an_empty_file_is_refused_with_a_message(agencies, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"")
    (error,) = refused(path)
    assert error.code == "file" and error.message


@pytest.mark.django_db
def test_a_sheet_without_anything_in_it_is_refused(agencies):
    wb = openpyxl.Workbook()
    buffer = io.BytesIO()
    wb.save(buffer)
    (error,) = refused(buffer.getvalue())
    assert error.code == "no_header"


@pytest.mark.django_db
def test_a_file_that_is_not_an_xlsx_workbook_is_refused_with_a_message(agencies, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("کد محور,عنوان اقدام\n1,x\n", encoding="utf-8")
    (error,) = refused(path)
    assert error.code == "file" and ".xlsx" in error.message
    (damaged,) = refused(b"PK\x03\x04 broken zip")
    assert damaged.code == "file" and ".xlsx" in damaged.message
    (old_excel,) = refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert ".xls" in old_excel.message


@pytest.mark.django_db
def test_a_missing_file_is_a_message(agencies, tmp_path):
    (error,) = refused(tmp_path / "nowhere.xlsx")
    assert "nowhere.xlsx" in error.message


# --- replacing, refusing, dry run ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_draft_plan_of_the_same_year_is_replaced_whole(agencies):
    old = PlanFactory(title="برنامه قدیمی")
    ActionFactory(axis=AxisFactory(plan=old, number=7), code="OLD-1")
    result = run(book([action_row("1-1"), action_row("1-2")]))

    assert result.replaced and not result.created
    plan = Plan.objects.get()
    assert plan.pk == old.pk and plan.title == "برنامه قدیمی"
    assert sorted(plan.actions.values_list("code", flat=True)) == ["1-1", "1-2"]
    assert list(plan.axes.values_list("number", flat=True)) == [1]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Plan.Status.COMMUNICATED, Plan.Status.CLOSED])
def test_a_communicated_or_closed_plan_is_not_replaced(agencies, status):
    plan = PlanFactory()
    ActionFactory(axis=AxisFactory(plan=plan), code="KEEP")
    communicated(plan)
    plan.status = status
    plan.save()
    before = counts()
    with pytest.raises(Conflict):
        run(book([action_row("1-1")]))
    assert counts() == before
    assert list(Action.objects.values_list("code", flat=True)) == ["KEEP"]


@pytest.mark.django_db
def test_a_dry_run_tells_what_would_be_created_and_saves_nothing(agencies):
    data = book([action_row("1-1", lead_agency="دستگاه تازه"), action_row("2-1", axis=2)])
    before = counts()
    result = run(data, dry_run=True, create_agencies=True)
    assert counts() == before
    assert (result.axes, result.actions, result.new_agencies) == (2, 2, ["دستگاه تازه"])
    assert result.created and result.plan is None and result.dry_run


@pytest.mark.django_db
def test_only_the_secretariat_of_the_province_may_import(agencies):
    parsed = read_workbook(book([action_row()]))
    with pytest.raises(PermissionDenied):
        import_plan(parsed=parsed, province=qom(), year=1405, actor=reporter(agencies[INDUSTRY]))
    from ronagh.core.models import Province

    tehran = Province.objects.get(code="tehran")
    with pytest.raises(PermissionDenied):
        import_plan(parsed=parsed, province=tehran, year=1405, actor=secretariat())
    import_plan(parsed=parsed, province=qom(), year=1405, actor=secretariat())
    assert Plan.objects.count() == 1


# --- export -------------------------------------------------------------------------------------


def sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def snapshot(plan):
    axes = [(a.number, a.title, a.weight) for a in plan.axes.order_by("number")]
    actions = [
        (a.axis.number, a.code, a.title, a.lead_agency and a.lead_agency.name,
         sorted(p.name for p in a.partners.all()), a.weight, a.start, a.end, a.indicator,
         a.target, a.unit)
        for a in plan.actions.order_by("code")
    ]  # fmt: skip
    return axes, actions


@pytest.mark.django_db
def test_export_writes_the_import_layout_right_to_left_with_jalali_text_dates(agencies):
    run(book([
        action_row("1-1", partner_agencies=f"{GOVERNORATE}، بانک ملی", weight="2.5",
                   target="12.25", axis_weight=3),
    ]))  # fmt: skip
    ws = sheet(export_plan(Plan.objects.get()))

    assert ws.sheet_view.rightToLeft
    assert [c.value for c in ws[1]] == list(PERSIAN.values())
    row = {key: cell.value for key, cell in zip(PERSIAN, ws[2], strict=True)}
    assert row["start"] == "1405/01/15" and row["end"] == "1405/06/31"
    assert row["weight"] == 2.5 and row["axis_weight"] == 3 and row["target"] == 12.25
    assert row["axis_no"] == 1
    assert (
        row["partner_agencies"] == f"{GOVERNORATE}، بانک ملی"
        or row["partner_agencies"] == f"بانک ملی، {GOVERNORATE}"
    )
    assert ws.max_row == 2


@pytest.mark.django_db
def test_exported_text_cannot_run_as_a_formula_and_still_round_trips(agencies):
    axis = AxisFactory(plan=PlanFactory(), title="-محور")
    ActionFactory(axis=axis, code="1-1", title='=HYPERLINK("http://x")', indicator="+10 درصد",
                  unit="@واحد", target=-5, lead_agency=agencies[INDUSTRY])  # fmt: skip
    exported = export_plan(Plan.objects.get())
    row = dict(zip(PERSIAN, sheet(exported)[2], strict=True))

    assert row["action_title"].data_type == "s"
    assert row["action_title"].value == '\'=HYPERLINK("http://x")'
    assert row["axis_title"].value == "'-محور"
    assert row["indicator"].value == "'+10 درصد" and row["unit"].value == "'@واحد"
    assert row["target"].value == -5  # a number stays a number

    original = snapshot(Plan.objects.get())
    run(exported, year=1406)
    assert snapshot(Plan.objects.get(year=1406)) == original


@pytest.mark.django_db
def test_export_then_import_gives_back_the_same_plan(agencies):
    rows = [
        action_row("1-1", partner_agencies=f"{INDUSTRY}؛ {GOVERNORATE}", lead_agency="بانک ملی",
                   axis_title="بهبود  فضای كسب و كار", axis_weight="1.5", weight="0.333"),
        action_row("1-2", axis=None, axis_title=None, axis_weight=None, lead_agency=None,
                   start=None, end=None, indicator=None, target=None, unit=None),
        action_row("1-10", axis=None, axis_title=None, axis_weight=None,
                   partner_agencies="اداره کل تعاون، کار و رفاه اجتماعی",
                   start=dt.date(2026, 5, 1), target="۹۸۷۶۵۴۳۲۱٫۲۵"),
        action_row("2-1", axis=2, axis_title="محور دوم", axis_weight=2, start="1404/12/20"),
    ]  # fmt: skip
    run(book(rows, merge=["A2:A4", "B2:B4", "C2:C4"]), create_agencies=True)
    plan = Plan.objects.get()
    original = snapshot(plan)
    exported = export_plan(plan)
    codes = [ws_row[3].value for ws_row in sheet(exported).iter_rows(min_row=2)]
    assert codes == ["1-1", "1-2", "1-10", "2-1"]

    plan.delete()
    before = Agency.objects.count()
    run(exported)  # the same year, after deleting: no new agency is needed
    assert snapshot(Plan.objects.get()) == original
    assert Agency.objects.count() == before


@pytest.mark.django_db
def test_the_blank_template_has_the_headers_and_a_guide(db):
    wb = openpyxl.load_workbook(io.BytesIO(template_workbook()))
    ws = wb.worksheets[0]
    assert ws.sheet_view.rightToLeft
    assert [c.value for c in ws[1]] == list(PERSIAN.values())
    assert ws.max_row == 1 or all(c.value is None for r in ws.iter_rows(min_row=2) for c in r)
    assert len(wb.worksheets) == 2
    guide = [r[1] for r in wb.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert set(PERSIAN) <= set(guide)


# --- partner splitting (pure) --------------------------------------------------------------------


def test_partners_split_at_every_separator():
    assert split_partners("الف؛ ب; ج، د,ه\nو") == ["الف", "ب", "ج", "د", "ه", "و"]
    assert split_partners("") == [] and split_partners(" ، ؛ ") == []


def test_known_names_with_a_comma_are_matched_longest_first():
    known = {"سازمان صنعت، معدن و تجارت", "سازمان صنعت", "بانک ملی"}
    assert split_partners("سازمان صنعت، معدن و تجارت، بانک ملی", known) == [
        "سازمان صنعت، معدن و تجارت",
        "بانک ملی",
    ]
    # another spelling of the separator inside the name still matches the known name
    assert split_partners("بانک ملی؛ سازمان صنعت ,معدن و تجارت", known) == [
        "بانک ملی",
        "سازمان صنعت ,معدن و تجارت",
    ]
    assert split_partners("سازمان صنعت، بانک ملی", known) == ["سازمان صنعت", "بانک ملی"]


@pytest.mark.django_db
def test_milestones_are_read_checked_and_kept_by_export_then_import(agencies):
    # SPEC 7: DATE:PERCENT pairs separated by ؛ or ;, any digits, dates in the span, rising.
    run(book([action_row("1-1", start="1405/01/15", end="1405/12/20",
                         milestones="1405/03/31:25؛ ۱۴۰۵/۰۶/۳۱:۶۰٪")]))  # fmt: skip
    action = Action.objects.get()
    assert [(m.date, m.percent) for m in action.milestones.order_by("date")] == [
        (dt.date(2026, 6, 21), Decimal("25.0")),
        (dt.date(2026, 9, 22), Decimal("60.0")),
    ]
    exported = export_plan(action.plan)
    run(exported, year=1406)
    again = Action.objects.get(plan__year=1406)
    assert [(m.date, m.percent) for m in again.milestones.order_by("date")] == [
        (dt.date(2026, 6, 21), Decimal("25.0")),
        (dt.date(2026, 9, 22), Decimal("60.0")),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cell",
    ["1405/03/31", "فردا:20", "1405/03/31:120", "1405/08/01:60؛ 1405/03/31:70", "1404/01/01:10"],
)
def test_a_bad_milestone_is_refused_at_its_cell(agencies, cell):
    (error,) = refused(book([action_row("1-1", start="1405/01/15", end="1405/12/20",
                                        milestones=cell)]))  # fmt: skip
    assert at(error) == (2, "نقاط کنترل")
