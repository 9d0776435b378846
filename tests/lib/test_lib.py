import datetime as dt
from decimal import Decimal

import pytest

from ronagh.lib import jalali
from ronagh.lib.digits import parse_decimal, to_latin, to_persian
from ronagh.lib.text import clean_name, normalize
from ronagh.lib.workdays import Calendar


@pytest.mark.parametrize(
    "text", ["1398/2/3", "۱۳۹۸/۰۲/۰۳", "1398-02-03", "١٣٩٨/٢/٣", " 1398 / 02 / 03 "]
)
def test_jalali_text_in_any_digits_and_separator(text):
    assert jalali.parse(text) == dt.date(2019, 4, 23)  # the seed's meeting, Tuesday 23 April 2019


@pytest.mark.parametrize("text", ["1398/13/01", "1398/12/31", "hello", "", "1398/02"])
def test_bad_jalali_dates_are_refused(text):
    # 1398 is not a leap year: Esfand has 29 days.
    with pytest.raises(jalali.JalaliDateError):
        jalali.parse(text)


def test_format_and_year_bounds():
    assert jalali.format_date(dt.date(2026, 11, 22)) == "1405/09/01"
    assert jalali.format_date(dt.date(2026, 11, 22), persian_digits=True) == "۱۴۰۵/۰۹/۰۱"
    assert jalali.year_bounds(1405) == (dt.date(2026, 3, 21), dt.date(2027, 3, 20))
    assert jalali.parse_any("2026-11-22") == dt.date(2026, 11, 22)
    assert jalali.parse_any("1405/09/01") == dt.date(2026, 11, 22)


def test_digits():
    assert to_latin("۱۲۳٫۵") == "123.5"
    assert to_persian("42.5") == "۴۲٫۵"
    assert parse_decimal("۴۲٫۵") == Decimal("42.5")
    assert parse_decimal("٤٢") == Decimal("42")
    assert parse_decimal("1,200") == Decimal("1200")
    assert parse_decimal("abc") is None
    assert parse_decimal("") is None


def test_names_normalise_yeh_kaf_zwnj_and_spaces():
    assert normalize("اداره كل  امور مالياتي") == normalize("اداره کل امور مالیاتی")
    assert normalize("شهرک\u200cهای صنعتی") == normalize("شهرک های صنعتی")
    assert clean_name("  سازمان   صنعت،  معدن ") == "سازمان صنعت، معدن"
    assert clean_name("بانك ملي") == "بانک ملی"


def test_working_days_skip_friday_thursday_option_and_holidays():
    cal = Calendar()
    wed = dt.date(2026, 4, 8)
    assert cal.add_working_days(wed, 3) == dt.date(2026, 4, 12)  # Thu, Sat, Sun
    assert Calendar(thursday_weekend=True).add_working_days(wed, 3) == dt.date(2026, 4, 13)
    assert Calendar(holidays=[dt.date(2026, 4, 11)]).add_working_days(wed, 3) == dt.date(
        2026, 4, 13
    )
    assert cal.working_days_between(wed, dt.date(2026, 4, 12)) == 3


def test_long_dates_are_jalali_in_both_languages():
    assert jalali.format_long(dt.date(2026, 11, 25)) == "۴ آذر ۱۴۰۵"
    assert jalali.format_long(dt.date(2026, 11, 25), persian_digits=False) == "4 Azar 1405"


def test_persian_names_sort_in_dictionary_order():
    from ronagh.lib.text import sort_key

    names = [
        "یزد",
        "گیلان",
        "کرمان",
        "چهارمحال و بختیاری",
        "تهران",
        "پاسارگاد",
        "البرز",
        "آذربایجان شرقی",
        "ایلام",
        "قم",
        "لرستان",
        "زنجان",
        "ژاندارمری",
    ]
    assert sorted(names, key=sort_key) == [
        "آذربایجان شرقی", "البرز", "ایلام", "پاسارگاد", "تهران", "چهارمحال و بختیاری", "زنجان",
        "ژاندارمری", "قم", "کرمان", "گیلان", "لرستان", "یزد",
    ]  # fmt: skip
