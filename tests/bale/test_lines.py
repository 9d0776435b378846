"""Reading a report message (bale/lines.py): hand-written examples of what people type on a
phone, and properties that hold for any code and number."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ronagh.bale.lines import FORMAT, parse_line, parse_message

FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def test_what_people_type():
    cases = {
        "A-01 45": ("A-01", Decimal("45"), False, ""),
        "A-01 ۴۵٫۵٪ بازدید انجام شد": ("A-01", Decimal("45.5"), False, "بازدید انجام شد"),
        "A-01 ۴۵/۵": ("A-01", Decimal("45.5"), False, ""),
        "A-01: 30%": ("A-01", Decimal("30"), False, ""),
        "A-01 30 درصد": ("A-01", Decimal("30"), False, ""),
        "A-01 =": ("A-01", None, True, ""),
        "A-01=": ("A-01", None, True, ""),
        "A-01 = بدون تغییر": ("A-01", None, True, "بدون تغییر"),
        "ب-۱۲ ۱۰۰": ("ب-12", Decimal("100"), False, ""),
        "\u200fA-01 12": ("A-01", Decimal("12"), False, ""),
    }
    for text, (code, percent, unchanged, note) in cases.items():
        line = parse_line(text)
        assert (line.code, line.percent, line.unchanged, line.note, line.problem) == (
            code, percent, unchanged, note, None,
        ), text  # fmt: skip


def test_what_is_not_a_report_line():
    for text in ("A-01", "سلام", "A-01 abc", "A-01 45x", "45"):
        assert parse_line(text).problem == FORMAT, text


def test_blank_lines_are_skipped_and_the_rest_kept_in_order():
    lines = parse_message("A-01 10\n\n  \nB-02 =\nچیز")
    assert [(x.code, x.problem) for x in lines] == [("A-01", None), ("B-02", None), ("چیز", FORMAT)]


codes = st.from_regex(r"[A-Z]{1,3}-[0-9]{1,3}", fullmatch=True)
numbers = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)


@given(
    code=codes, number=numbers, persian=st.booleans(), sign=st.sampled_from(["", "%", "٪", " ٪"])
)
def test_any_digits_and_sign_give_the_same_report(code, number, persian, sign):
    text = f"{code} {number}{sign}"
    if persian:
        text = text.translate(FA).replace(".", "٫")
    line = parse_line(text)
    assert line.problem is None
    assert line.percent == number and line.code == code and not line.unchanged


@given(code=codes, note=st.text(alphabet="ابپتثجچ کگ", min_size=1, max_size=20).filter(str.strip))
def test_a_note_after_the_number_is_kept(code, note):
    line = parse_line(f"{code} 12 {note}")
    assert line.percent == 12 and line.note == " ".join(note.split())
