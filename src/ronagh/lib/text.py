"""Normalisation of Persian text for names and search: ي→ی, ك→ک, ZWNJ and spaces."""

import re

_CHARS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه", "\u0640": ""})
_SPACES = re.compile(r"[\s\u200c\u200f\u200e\u00a0]+")


def clean_name(text: str) -> str:
    """The form a name is stored in: Persian ی/ک, single spaces, ZWNJ kept where it joins words."""
    text = str(text or "").translate({ord("ي"): "ی", ord("ى"): "ی", ord("ك"): "ک"})
    text = re.sub(r"[ \t\r\n\u00a0]+", " ", text)
    text = re.sub(r" ?\u200c ?", "\u200c", text)
    return text.strip(" \u200c")


def normalize(text: str) -> str:
    """The key two spellings of the same name share: no ZWNJ, no double spaces, ی/ک, lower case."""
    text = str(text or "").translate(_CHARS)
    text = _SPACES.sub(" ", text)
    return text.strip().lower()


def squash(text: str) -> str:
    """normalize() without any spaces: 'سازمان  صنعت' and 'سازمان‌صنعت' meet here."""
    return normalize(text).replace(" ", "")


# The Persian alphabet in dictionary order (آ with ا; the Arabic forms with their Persian twins).
_ALPHABET = "آاأإءبپتثجچحخدذرزژسشصضطظعغفقکكگلمنوؤهۀةیيئ"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_RANK.update({"ك": _RANK["ک"], "ي": _RANK["ی"], "ئ": _RANK["ی"], "أ": _RANK["ا"], "إ": _RANK["ا"]})
_RANK["آ"] = _RANK["ا"]


def sort_key(text: str) -> tuple:
    """A key that sorts Persian names in dictionary order (پ after ب, چ after ج, ژ after ز, ک and
    گ before ل), which the code-point order of a database does not: spaces and ZWNJ first."""
    out = []
    for ch in normalize(text):
        if ch in _RANK:
            out.append(_RANK[ch])
        elif ch == " ":
            out.append(-1)
        else:
            out.append(1000 + ord(ch))
    return tuple(out)
