"""What the `ronagh` commands share (SPEC 7): a province named by its code, a progress bar on
stderr for long work, a workbook's problems written to stderr cell by cell with a non-zero exit,
and a file written or a clear error."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ronagh.core.models import Province
from ronagh.core.workbook import WorkbookError


def province_from_code(code: str) -> Province:
    province = Province.objects.filter(code=code.strip().lower()).first()
    if province is None:
        codes = list(Province.objects.values_list("code", flat=True))
        close = difflib.get_close_matches(code.strip().lower(), codes, n=3, cutoff=0.5)
        hint = " " + _("Did you mean: %(codes)s?") % {"codes": ", ".join(close)} if close else ""
        raise CommandError(_("Unknown province code “%(code)s”.") % {"code": code} + hint)
    return province


class ProgressBar:
    """`label [########----------]  40% 400/1000` on stderr, redrawn in place; silent for small
    jobs, where it would only flicker."""

    def __init__(self, stream, label: str, min_total: int = 500, width: int = 30):
        self.stream, self.label, self.min_total, self.width = stream, label, min_total, width
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        if total < self.min_total:
            return
        percent = min(100, done * 100 // total)
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.width * percent // 100
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {percent:3d}% {done}/{total}",
            style_func=lambda text: text,
            ending="",
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.shown >= 0:
            self.stream.write("", style_func=lambda text: text)
            self.shown = -1


def workbook_refused(
    stderr, exc: WorkbookError, hints: Callable[[WorkbookError], list[str]] | None = None
) -> CommandError:
    """Write every bad cell to stderr (and any hints), and return the CommandError to raise: one
    problem with the whole file (empty, not a workbook) is the message itself."""
    if len(exc.cell_errors) == 1 and exc.cell_errors[0].row is None:
        return CommandError(exc.cell_errors[0].message)
    for error in exc.cell_errors:
        stderr.write(str(error))
    for line in hints(exc) if hints else []:
        stderr.write(line)
    count = len(exc.cell_errors)
    return CommandError(
        ngettext(
            "Nothing was imported: the workbook has %(count)s problem.",
            "Nothing was imported: the workbook has %(count)s problems.",
            count,
        )
        % {"count": count}
    )


def write_output(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise CommandError(
            _("The file “%(name)s” cannot be written: %(reason)s")
            % {"name": path, "reason": exc.strerror or exc}
        ) from exc
