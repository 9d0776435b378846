"""Reading a report message (SPEC 4.2.1), line by line — pure, no Django.

Each line is `ACTION_CODE PERCENT [note]` or `ACTION_CODE =` (unchanged) [note]. People type on
phones, so a line may use Persian or Arabic-Indic digits, the Persian decimal mark `٫` or a slash
between digits (`۴۵/۵`), a `%`, `٪` or the word «درصد» after the number, and a `:` or `=` between
the code and the number. Whether the number is allowed (0–100, one decimal, not a decrease) is the
reporting service's decision, not this module's: the same rules as the screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫", "01234567890123456789.")
_NUMBER = r"[+-]?\d+(?:[.,/]\d+)?"
_LINE = re.compile(
    rf"^(?P<code>[^\s=:]+?)\s*(?:(?P<sep>[:=])\s*|\s+)"
    rf"(?:(?P<number>{_NUMBER})\s*(?:%|٪|درصد)?(?=\s|$))?\s*(?P<note>.*)$",
    re.DOTALL,
)
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

FORMAT = "format"  # not CODE NUMBER or CODE =
NUMBER = "number"  # a number that is not one


@dataclass(frozen=True)
class Line:
    """One line of a message: what was typed, and what it says."""

    text: str
    code: str = ""
    percent: Decimal | None = None
    unchanged: bool = False
    note: str = ""
    problem: str | None = None


def clean(text: str) -> str:
    """Latin digits and the decimal point; direction marks and tatweel removed; single spaces."""
    text = _BIDI.sub("", str(text)).translate(_DIGITS).replace("\u0640", "")
    return " ".join(text.replace("\u200c", " ").split())


def parse_line(text: str) -> Line:
    raw = text.strip()
    match = _LINE.match(clean(raw) + " ")  # a trailing space lets `CODE =` meet the pattern
    if match is None:
        return Line(raw, problem=FORMAT)
    code, number, note = match["code"], match["number"], match["note"].strip()
    if number is None:
        if match["sep"] == "=" and not note.startswith(("=", ":")):
            return Line(raw, code=code, unchanged=True, note=note)
        return Line(raw, code=code, problem=FORMAT)
    try:
        percent = Decimal(re.sub(r"[,/]", ".", number))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return Line(raw, code=code, problem=NUMBER)
    return Line(raw, code=code, percent=percent, note=note)


def parse_message(text: str) -> list[Line]:
    """Every non-blank line of a message, in order."""
    return [parse_line(line) for line in str(text or "").splitlines() if line.strip()]
