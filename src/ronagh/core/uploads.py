"""What an uploaded file may be (SPEC 10): the size caps and type checks of every upload, in one
place that the forms, the API and the services all call. A file's type is judged by its name
and by its first bytes, so that a page or a program renamed to .pdf is still refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .i18n import local_digits

Sniff = Callable[[bytes], bool]


def _starts(*signatures: bytes) -> Sniff:
    return lambda head: any(head.startswith(s) for s in signatures)


_zip = _starts(b"PK\x03\x04")  # office files of 2007 and later
_ole = _starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # the older office files


def _webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _heic(head: bytes) -> bool:
    return head[4:8] == b"ftyp"


EVIDENCE_KINDS: dict[str, Sniff] = {
    "pdf": _starts(b"%PDF-"),
    "jpg": _starts(b"\xff\xd8\xff"),
    "jpeg": _starts(b"\xff\xd8\xff"),
    "png": _starts(b"\x89PNG\r\n\x1a\n"),
    "webp": _webp,
    "heic": _heic,
    "docx": _zip,
    "xlsx": _zip,
    "doc": _ole,
    "xls": _ole,
}
EVIDENCE_EXTENSIONS = tuple(EVIDENCE_KINDS)
WORKBOOK_KINDS: dict[str, Sniff] = {"xlsx": _zip}


def evidence_max_bytes() -> int:
    return settings.RONAGH_UPLOADS["EVIDENCE_MAX_BYTES"]


def workbook_max_bytes() -> int:
    return settings.RONAGH_UPLOADS["WORKBOOK_MAX_BYTES"]


def _megabytes(n: int) -> str:
    return local_digits(f"{n / (1024 * 1024):g}")


def _head(upload) -> bytes:
    if not (hasattr(upload, "seek") and hasattr(upload, "read")):
        return b""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    return head or b""


def _check(upload, kinds: dict[str, Sniff], max_bytes: int, messages: dict[str, str]) -> None:
    name = PurePath(getattr(upload, "name", "") or "").name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(messages["size"] % {"mb": _megabytes(max_bytes)}, code="too_large")
    if ext not in kinds:
        raise ValidationError(messages["type"] % {"kinds": "، ".join(kinds)}, code="bad_type")
    if not kinds[ext](_head(upload)):
        message = messages.get("content") or _("The file “%(name)s” is not really a .%(ext)s file.")
        raise ValidationError(message % {"name": name, "ext": ext}, code="bad_content")


def check_evidence(upload) -> None:
    """An evidence file of a progress report: a photo, a PDF or an office document, within the
    size cap. ValidationError with a Persian message otherwise."""
    _check(
        upload,
        EVIDENCE_KINDS,
        evidence_max_bytes(),
        {
            "size": _("The evidence file may be at most %(mb)s MB."),
            "type": _("An evidence file must be a photo, a PDF or an office document (%(kinds)s)."),
        },
    )


def check_workbook(upload) -> None:
    """An uploaded .xlsx workbook, within the size cap."""
    _check(
        upload,
        WORKBOOK_KINDS,
        workbook_max_bytes(),
        {
            "size": _("The workbook may be at most %(mb)s MB."),
            "type": _("The workbook must be an Excel file (%(kinds)s)."),
            "content": _("The file is not an Excel workbook (.xlsx), or it is damaged."),
        },
    )
