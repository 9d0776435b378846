"""ronagh export-units --province CODE -o FILE.xlsx [--indicators]"""

from django.utils.translation import gettext as _

from ronagh.core import console
from ronagh.units.models import ProductionUnit, UnitIndicator
from ronagh.units.workbook import export_indicators, export_units


class Command(console.Command):
    help = "Write a province's units (or their monthly indicators) in the import layout."

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="province code, e.g. qom")
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
        parser.add_argument("--indicators", action="store_true", help="the monthly indicators")

    def handle(self, *args, **opts):
        province = console.province_from_code(opts["province"])
        if opts["indicators"]:
            rows = UnitIndicator.objects.filter(unit__province=province)
            data, count = export_indicators(rows), rows.count()
        else:
            units = ProductionUnit.objects.filter(province=province)
            data, count = export_units(units), units.count()
        console.write_output(opts["output"], data)
        self.stdout.write(
            _("Wrote %(file)s: %(count)s rows.") % {"file": opts["output"], "count": count}
        )
