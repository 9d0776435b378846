"""ronagh import-units FILE.xlsx --province CODE [--dry-run]"""

from django.utils.translation import gettext as _

from ronagh.core import console
from ronagh.units.workbook import import_units, read_units

from . import _workbook


class Command(console.Command):
    help = "Import a production-units workbook (SPEC 7) into a province's registry."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--province", required=True, help="province code, e.g. qom")
        parser.add_argument("--dry-run", action="store_true", help="check and tell; save nothing")

    def handle(self, *args, **opts):
        province = console.province_from_code(opts["province"])
        parsed = _workbook.read(self, read_units, opts["file"])
        result = _workbook.run(
            self,
            lambda: import_units(parsed=parsed, province=province, dry_run=opts["dry_run"]),
        )
        words = {"created": result.created, "updated": result.updated}
        if result.dry_run:
            self.stdout.write(
                _("Dry run: %(created)s units would be created and %(updated)s updated.") % words
            )
            self.stdout.write(_("Nothing was saved."))
            return
        self.stdout.write(_("%(created)s units created, %(updated)s updated.") % words)
        if result.new_parks:
            self.stdout.write(
                _("New industrial parks: %(names)s") % {"names": "، ".join(result.new_parks)}
            )
