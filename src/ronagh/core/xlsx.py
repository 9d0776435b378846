"""Reading the first sheet of an uploaded .xlsx safely and fast: every workbook Ronagh imports
(the plan, production units, monthly indicators) comes through `read_sheet`.

Safe (SPEC 10): a workbook is a zip of XML, and a small file can hide a huge one. Before anything
is parsed the archive is checked — how many entries, how large they become uncompressed, how far
they expand (a zip bomb) — and while the sheet is read, a cell beyond the columns or rows a layout
can use (e.g. one cell at XFD1048576, which makes a naive reader fill a million rows of sixteen
thousand cells) stops the reading at once. Each refusal is an `UnsafeWorkbook` with a Persian
message, raised within seconds and under a small memory bound.

Fast: the sheet is streamed with openpyxl's own worksheet parser (read-only mode), one row at a
time, keeping only the cells that exist; merged ranges (a vertically merged axis cell) come from
the same pass. A full load of a 5,000-row workbook builds every cell object and takes seconds;
this reads it in a fraction of that.
"""

from __future__ import annotations

import io
import os
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

# What a workbook of Ronagh's layouts may be (generous for real files, far below a bomb).
MAX_ENTRIES = 5_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all entries together
MAX_ENTRY = 120 * 1024 * 1024  # any one entry (a sheet or the shared strings)
MAX_RATIO = 400  # uncompressed ÷ compressed size of an entry above 1 MB uncompressed
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0"


class UnreadableWorkbook(ValueError):
    """Not an .xlsx workbook, or a damaged one; the message says which, in Persian."""


class UnsafeWorkbook(UnreadableWorkbook):
    """A workbook refused before it could use up the server: a zip bomb, a cell far outside the
    layout, too many rows."""


@dataclass
class Sheet:
    """The first sheet: its header row (row 1) and data rows (row number as the spreadsheet
    numbers it, values by column index from 0), and the vertically merged ranges as
    (column index, first row, last row)."""

    header: tuple = ()
    rows: list[tuple[int, tuple]] = field(default_factory=list)
    merged: list[tuple[int, int, int]] = field(default_factory=list)
    last_row: int = 1


def _bytes(source) -> bytes:
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise UnreadableWorkbook(
                _("The file “%(name)s” cannot be read: %(reason)s")
                % {"name": source, "reason": exc.strerror or exc}
            ) from exc
    return source.read()


def _check_archive(data: bytes) -> zipfile.ZipFile:
    not_xlsx = _("The file is not an Excel workbook (.xlsx), or it is damaged.")
    if not data:
        raise UnreadableWorkbook(_("The file is empty."))
    if data.startswith(XLS_SIGNATURE):
        raise UnreadableWorkbook(
            _(
                "This is an old Excel 97–2003 (.xls) file; save it as an .xlsx workbook and try again."
            )
        )
    if not data.startswith(b"PK"):
        raise UnreadableWorkbook(not_xlsx)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableWorkbook(not_xlsx) from exc
    bomb = _(
        "The workbook expands to far more data than a plan or register can hold (a compressed "
        "bomb); it was refused. Save the data again in a new workbook."
    )
    if len(entries) > MAX_ENTRIES:
        raise UnsafeWorkbook(bomb)
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > MAX_ENTRY or total > MAX_UNCOMPRESSED:
            raise UnsafeWorkbook(bomb)
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise UnsafeWorkbook(bomb)
    return archive


def read_sheet(
    source: str | os.PathLike | bytes | IO[bytes], *, max_columns: int, max_rows: int
) -> Sheet:
    """The first sheet of a workbook (a path, the bytes, or an open binary file), values only.

    Raises UnreadableWorkbook for a file that is not an .xlsx workbook, and UnsafeWorkbook for
    one that would take far more memory or time than its layout can need: a cell beyond
    `max_columns` columns or `max_rows` rows (the header is row 1), or a compressed bomb."""
    import openpyxl
    from openpyxl.worksheet._reader import WorkSheetParser  # streams cells, no padding

    data = _bytes(source)
    _check_archive(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on styles it does not support
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook fails in many ways; all mean the same
        raise UnreadableWorkbook(
            _("The file is not an Excel workbook (.xlsx), or it is damaged.")
        ) from exc
    try:
        if not wb.worksheets:
            raise UnreadableWorkbook(_("The workbook has no sheet."))
        ws = wb.worksheets[0]
        sheet = Sheet()
        with ws._get_source() as src:
            parser = WorkSheetParser(
                src,
                ws._shared_strings,
                data_only=True,
                epoch=wb.epoch,
                date_formats=wb._date_formats,
                timedelta_formats=wb._timedelta_formats,
            )
            for number, cells in _rows(parser, max_columns, max_rows):
                if number == 1:
                    sheet.header = cells
                else:
                    sheet.rows.append((number, cells))
                sheet.last_row = number
            merged = parser.merged_cells.mergeCell if parser.merged_cells else []
        for cell_range in merged:
            sheet.merged += _vertical(cell_range.ref, max_columns, max_rows)
        return sheet
    except UnreadableWorkbook:
        raise
    except Exception as exc:
        raise UnreadableWorkbook(
            _("The file is not an Excel workbook (.xlsx), or it is damaged.")
        ) from exc
    finally:
        wb.close()


def _far(max_columns: int, max_rows: int) -> UnsafeWorkbook:
    return UnsafeWorkbook(
        _(
            "The first sheet has data beyond what this layout can hold (more than %(rows)s rows "
            "or %(cols)s columns); it was refused. Copy only the table into a new workbook."
        )
        % {"rows": max_rows, "cols": max_columns}
    )


def _rows(parser, max_columns: int, max_rows: int) -> Iterator[tuple[int, tuple]]:
    for number, cells in parser.parse():
        if number > max_rows:
            if any(c["value"] not in (None, "") for c in cells):
                raise _far(max_columns, max_rows)
            continue
        width = 0
        for c in cells:
            if c["column"] > max_columns:
                if c["value"] not in (None, ""):
                    raise _far(max_columns, max_rows)
                continue
            width = max(width, c["column"])
        values = [None] * width
        for c in cells:
            if c["column"] <= max_columns:
                values[c["column"] - 1] = c["value"]
        yield number, tuple(values)


def _vertical(ref: str, max_columns: int, max_rows: int) -> list[tuple[int, int, int]]:
    """A merged range as (column index, first row, last row) when it spans one column and more
    than one row inside the limits; nothing otherwise."""
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(ref)
    if min_col != max_col or min_row == max_row or min_col > max_columns:
        return []
    return [(min_col - 1, min_row, min(max_row, max_rows))]
