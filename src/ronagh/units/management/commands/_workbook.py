"""What the units' import commands share: reading with a progress bar, and a WorkbookError
written to stderr cell by cell with a non-zero exit (as `ronagh import-plan` does)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ronagh.core import console
from ronagh.core.errors import Conflict
from ronagh.core.workbook import WorkbookError


def read(command, reader, path):
    bar = command.bar(_("Reading"))
    parsed = reader(path, progress=bar)
    bar.finish()
    for warning in parsed.warnings:
        command.stderr.write(_("Warning: %(warning)s") % {"warning": warning})
    return parsed


def run(command, work):
    """`work()` with the services' errors turned into stderr lines and a CommandError."""
    try:
        return work()
    except WorkbookError as exc:
        raise console.workbook_refused(command.stderr, exc) from exc
    except (Conflict, PermissionDenied) as exc:
        raise CommandError(str(exc)) from exc
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from exc
