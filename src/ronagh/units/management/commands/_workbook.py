"""What the units' import commands share: reading with a progress bar, and a WorkbookError
written to stderr cell by cell with a non-zero exit (as `ronagh import-plan` does)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ronagh.core.errors import Conflict
from ronagh.core.workbook import WorkbookError
from ronagh.plans.management.commands.import_plan import ProgressBar


def read(command, reader, path):
    bar = ProgressBar(command.stderr, _("Reading"))
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
        if len(exc.cell_errors) == 1 and exc.cell_errors[0].row is None:
            raise CommandError(exc.cell_errors[0].message) from exc
        for error in exc.cell_errors:
            command.stderr.write(str(error))
        count = len(exc.cell_errors)
        raise CommandError(
            ngettext(
                "Nothing was imported: the workbook has %(count)s problem.",
                "Nothing was imported: the workbook has %(count)s problems.",
                count,
            )
            % {"count": count}
        ) from exc
    except (Conflict, PermissionDenied) as exc:
        raise CommandError(str(exc)) from exc
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from exc
