"""What every `ronagh` command shares on the console (SPEC 7): one rule for digits and one
progress bar.

**Digits on the console are Latin.** A terminal does not shape right-to-left text, operators
copy dates and counts from it into the next command or a script, and logs are grepped; so
everything a command writes to the console — its lines, its errors, its progress bars — has its
Persian and Arabic-Indic digits turned Latin, the words staying Persian. What a command makes for
people to read in the app (notifications, emails, PDFs, workbooks) keeps the reader's digits: it
does not pass through the console.

**Shared arguments and outcomes**: a province named by its code (`province_from_code`, with a
suggestion for a typo), a workbook's problems written cell by cell to stderr with a non-zero exit
(`workbook_refused`), a file written or a clear error (`write_output`).

**Long work shows a progress bar**, drawn by tqdm on the command's stderr: `progress(items)`
around a loop, or `Bar(stream, label)` for work that reports `(done, total)` itself (the
workbook reader and importer, the demo's phases). Every command uses these two and nothing else;
`RONAGH_PROGRESS=0` silences them (e.g. for a cron job's mail).
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from ronagh.lib.digits import to_latin


class LatinDigits:
    """A text stream that writes Latin digits whatever digits it is given."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(to_latin(text))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def console_stream(stream) -> LatinDigits:
    return stream if isinstance(stream, LatinDigits) else LatinDigits(stream)


class Command(BaseCommand):
    """The base of every Ronagh management command: its stdout and stderr (and so its errors)
    follow the console's digit rule, and `self.progress(…)` draws the bar on its stderr."""

    def __init__(self, stdout=None, stderr=None, no_color=False, force_color=False):
        super().__init__(
            stdout=console_stream(stdout or sys.stdout),
            stderr=console_stream(stderr or sys.stderr),
            no_color=no_color,
            force_color=force_color,
        )

    def execute(self, *args, **options):
        for name in ("stdout", "stderr"):
            if options.get(name):
                options[name] = console_stream(options[name])
        return super().execute(*args, **options)

    def progress(self, items: Iterable, *, total: int | None = None, label: str = "") -> Iterator:
        return progress(items, total=total, label=label, stream=self.stderr._out)

    def bar(self, label: str) -> Bar:
        return Bar(self.stderr._out, label)


# On a stream that is not a terminal (a log, a cron job's mail, a test) a bar is drawn only for
# work this long: there a short job's bar would only stand between the reader and the errors.
LOG_MIN_TOTAL = 500


def _tqdm(stream, label: str, total: int | None) -> tqdm:
    stream = stream if stream is not None else sys.stderr
    terminal = bool(getattr(stream, "isatty", lambda: False)())
    shown = getattr(settings, "RONAGH_PROGRESS", True) and (
        terminal or (total or 0) >= LOG_MIN_TOTAL
    )
    return tqdm(
        total=total,
        desc=to_latin(label) if label else None,
        file=console_stream(stream),
        disable=not shown,
        leave=not terminal,
        dynamic_ncols=True,
        ascii=True,
        mininterval=0.2,
    )


def progress(
    items: Iterable, *, total: int | None = None, label: str = "", stream=None
) -> Iterator:
    """`items`, drawing a progress bar on `stream` (stderr by default) as they are consumed."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)
    bar = _tqdm(stream, label, total=total)
    for item in items:
        yield item
        bar.update(1)
    bar.close()


class Bar:
    """A progress bar driven by callbacks: `bar(done, total)` as work advances, `bar.finish()`
    at the end (also when the work failed). The callback shape the workbook reader, the importer
    and the demo builder take."""

    def __init__(self, stream, label: str):
        self.stream, self.label = stream, label
        self._bar: tqdm | None = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = _tqdm(self.stream, self.label, total=total)
        elif total != self._bar.total:
            self._bar.total = total
        self._bar.update(max(0, done - self._bar.n))

    def stages(self, total: int):
        """A callback for work told in stages (`say(message)` at the start of each): the bar
        counts the stages and shows the current one; where no bar is drawn (a log) each stage
        is a line."""
        state = {"done": 0}

        def say(message: str) -> None:
            self(state["done"], max(total, state["done"] + 1))
            state["done"] += 1
            if self._bar is not None and not self._bar.disable:
                self._bar.set_description_str(to_latin(f"{self.label}: {message}"))
            else:
                self.stream.write(to_latin(message) + "\n")

        return say

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.update(max(0, (self._bar.total or 0) - self._bar.n))
            self._bar.close()
            self._bar = None


# --- what the commands share besides the console -------------------------------------------------


def province_from_code(code: str):
    """The province of a code given on the command line, or a CommandError with the closest
    codes."""
    from ronagh.core.models import Province

    province = Province.objects.filter(code=code.strip().lower()).first()
    if province is None:
        codes = list(Province.objects.values_list("code", flat=True))
        close = difflib.get_close_matches(code.strip().lower(), codes, n=3, cutoff=0.5)
        hint = " " + _("Did you mean: %(codes)s?") % {"codes": ", ".join(close)} if close else ""
        raise CommandError(_("Unknown province code “%(code)s”.") % {"code": code} + hint)
    return province


def workbook_refused(stderr, exc, hints: Callable | None = None) -> CommandError:
    """Write every bad cell of a WorkbookError to stderr (and any hints), and return the
    CommandError to raise: one problem with the whole file (empty, not a workbook) is the
    message itself."""
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
    """Write a command's output file, or raise a CommandError that says why it cannot be."""
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise CommandError(
            _("The file “%(name)s” cannot be written: %(reason)s")
            % {"name": path, "reason": exc.strerror or exc}
        ) from exc
