"""Persian, Arabic-Indic and Latin digits: accept all on input, show Persian on screen."""

from decimal import Decimal, InvalidOperation

_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC = "٠١٢٣٤٥٦٧٨٩"
_TO_LATIN = str.maketrans(_PERSIAN + _ARABIC + "٫٬", "0123456789" * 2 + ".,")
_TO_PERSIAN = str.maketrans("0123456789", _PERSIAN)


def to_latin(text: str) -> str:
    """Any digits (Persian, Arabic-Indic, Latin) to Latin ones; the Arabic decimal and
    thousands separators become '.' and ','."""
    return str(text).translate(_TO_LATIN)


def to_persian(text) -> str:
    """Latin digits to Persian ones; '.' between digits becomes the Persian decimal mark."""
    out = str(text).translate(_TO_PERSIAN)
    chars = list(out)
    for i, ch in enumerate(chars):
        if (
            ch == "."
            and 0 < i < len(chars) - 1
            and chars[i - 1] in _PERSIAN
            and chars[i + 1] in _PERSIAN
        ):
            chars[i] = "٫"
    return "".join(chars)


def parse_decimal(text) -> Decimal | None:
    """A number typed in any digits ('۴۲٫۵', '42.5', '1,200'); None when it is not a number."""
    if text is None:
        return None
    if isinstance(text, int | float | Decimal):
        try:
            return Decimal(str(text))
        except InvalidOperation:
            return None
    cleaned = to_latin(str(text)).strip().replace(",", "").replace(" ", "").replace("\u200c", "")
    if cleaned in {"", "-", "."}:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
