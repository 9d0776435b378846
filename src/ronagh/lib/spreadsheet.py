"""What every Excel file Ronagh writes shares: right-to-left sheets, a bold header row, and text
that a spreadsheet shows but never runs (formula injection neutralised)."""

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

# A cell starting with one of these is read as a formula by Excel and LibreOffice.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")


def safe_text(value) -> str:
    """Text as a spreadsheet will show it and never run: a leading apostrophe on anything that
    looks like a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def rtl_sheet(ws, title: str, widths: list[int]):
    """Name a sheet (at most 31 characters), turn it right to left and set its column widths."""
    ws.title = title[:31]
    ws.sheet_view.rightToLeft = True
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    return ws


def header_row(ws, headers: list[str]) -> None:
    """Append the header row, bold on a pale fill, and keep it in view while scrolling."""
    ws.append(headers)
    bold = Font(bold=True)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = bold, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if ws.max_row == 1:
        ws.freeze_panes = "A2"
