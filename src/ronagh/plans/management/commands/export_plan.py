"""ronagh export-plan --province CODE --year YYYY -o FILE.xlsx"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ronagh.core import console
from ronagh.plans.models import Plan
from ronagh.plans.workbook import export_plan

from .import_plan import year_from_text


class Command(console.Command):
    help = "Write a plan as a workbook in the import layout (SPEC 7)."

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="province code, e.g. qom")
        parser.add_argument("--year", required=True, help="Jalali year, e.g. 1405")
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def handle(self, *args, **opts):
        province = console.province_from_code(opts["province"])
        year = year_from_text(opts["year"])
        plan = Plan.objects.filter(province=province, year=year).first()
        if plan is None:
            raise CommandError(
                _("%(province)s has no plan for %(year)s.")
                % {"province": province.name, "year": year}
            )
        console.write_output(opts["output"], export_plan(plan))
        self.stdout.write(
            _("Wrote %(file)s: axes: %(axes)s, actions: %(actions)s.")
            % {"file": opts["output"], "axes": plan.axes.count(), "actions": plan.actions.count()}
        )
