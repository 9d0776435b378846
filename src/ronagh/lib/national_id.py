"""The national id of a legal person (شناسه ملی, SPEC 6): 11 digits, any digits accepted, stored
Latin, with a check digit. Framework-free."""

from __future__ import annotations

from .digits import to_latin

COEFFICIENTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)


def clean(text) -> str:
    """The id as stored: Latin digits, no spaces, dashes or invisible marks."""
    latin = to_latin(str(text or ""))
    return "".join(ch for ch in latin if not ch.isspace() and ch not in "-_\u200c\u200e\u200f")


def check_digit(first_ten: str) -> int:
    """The 11th digit for ten digits: with d = the 10th digit + 2, Σ (digit_i + d) · coef_i
    mod 11, where 10 counts as 0."""
    d = int(first_ten[9]) + 2
    total = sum((int(c) + d) * k for c, k in zip(first_ten, COEFFICIENTS, strict=True))
    rest = total % 11
    return 0 if rest == 10 else rest


def is_valid(text) -> bool:
    """Whether `text` (any digits) is a valid national id: 11 digits, digits 4–9 not all zero,
    the check digit right. `10380284790` is valid, `10380284791` is not."""
    value = clean(text)
    if len(value) != 11 or not (value.isascii() and value.isdigit()):
        return False
    if set(value[3:9]) == {"0"}:
        return False
    return check_digit(value[:10]) == int(value[10])


def make(serial_ten: str) -> str:
    """A valid id from its first ten digits (sample data and tests)."""
    return serial_ten + str(check_digit(serial_ten))
