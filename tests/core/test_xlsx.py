"""Workbooks are read safely (SPEC 10): a far cell or a compressed bomb is refused at once with a
Persian message, before it can use up the server; a real workbook reads fast with its merged
cells."""

import io
import zipfile

import openpyxl
import pytest

from ronagh.core.xlsx import UnreadableWorkbook, UnsafeWorkbook, read_sheet


def workbook(fill) -> bytes:
    wb = openpyxl.Workbook()
    fill(wb.active)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_real_sheet_reads_with_its_header_rows_and_merged_cells():
    def fill(ws):
        ws.append(["a", "b"])
        ws.append([1, "x"])
        ws.append([None, "y"])
        ws.merge_cells("A2:A3")

    sheet = read_sheet(workbook(fill), max_columns=10, max_rows=100)
    assert sheet.header == ("a", "b")
    assert sheet.rows == [(2, (1, "x")), (3, (None, "y"))]
    assert sheet.merged == [(0, 2, 3)]


def test_one_cell_at_the_far_corner_is_refused_without_filling_the_sheet():
    def fill(ws):
        ws.append(["a", "b"])
        ws["XFD1048576"] = "boom"

    data = workbook(fill)
    assert len(data) < 10_000  # a tiny file …
    with pytest.raises(UnsafeWorkbook, match="بیش از|more than"):
        read_sheet(data, max_columns=200, max_rows=100_000)  # … refused at once


def test_a_far_column_in_the_header_row_is_refused():
    with pytest.raises(UnsafeWorkbook):
        read_sheet(workbook(lambda ws: ws.__setitem__("ZZ1", "x")), max_columns=200, max_rows=10)


def test_a_compressed_bomb_is_refused_before_it_is_parsed():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/sharedStrings.xml", b"<sst>" + b"A" * (20 * 1024 * 1024) + b"</sst>")
    assert len(data.getvalue()) < 200_000
    with pytest.raises(UnsafeWorkbook):
        read_sheet(data.getvalue(), max_columns=20, max_rows=100)


@pytest.mark.parametrize(
    "data", [b"", b"not a zip at all", b"\xd0\xcf\x11\xe0 an old xls", b"PK\x03\x04 broken"]
)
def test_what_is_not_a_workbook_says_so(data):
    with pytest.raises(UnreadableWorkbook):
        read_sheet(data, max_columns=20, max_rows=100)
