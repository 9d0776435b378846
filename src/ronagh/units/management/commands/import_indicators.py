"""ronagh import-indicators FILE.xlsx [--dry-run]"""

from django.utils.translation import gettext as _

from ronagh.core import console
from ronagh.lib import jalali
from ronagh.units.workbook import import_indicators, read_indicators

from . import _workbook


class Command(console.Command):
    help = "Import a monthly-indicators workbook (SPEC 7) and rescore the months it touches."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--dry-run", action="store_true", help="check and tell; save nothing")

    def handle(self, *args, **opts):
        parsed = _workbook.read(self, read_indicators, opts["file"])
        result = _workbook.run(
            self, lambda: import_indicators(parsed=parsed, dry_run=opts["dry_run"])
        )
        words = {
            "rows": result.rows,
            "units": result.units,
            "first": jalali.format_month(result.months[0]) if result.months else "—",
            "last": jalali.format_month(result.months[-1]) if result.months else "—",
            "scores": result.scores,
            "cases": result.cases,
        }
        if result.dry_run:
            self.stdout.write(
                _(
                    "Dry run: %(rows)s unit-months of %(units)s units (%(first)s to %(last)s) "
                    "would be stored."
                )
                % words
            )
            self.stdout.write(_("Nothing was saved."))
            return
        self.stdout.write(
            _("%(rows)s unit-months of %(units)s units stored (%(first)s to %(last)s).") % words
        )
        self.stdout.write(
            _("%(scores)s monthly risk scores computed; %(cases)s preventive cases opened.") % words
        )
