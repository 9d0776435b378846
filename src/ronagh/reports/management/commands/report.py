"""ronagh report accountability|brief --as-of YYYY/MM/DD --format pdf|xlsx -o FILE
[--province CODE] [--plan ID]"""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ronagh.core import console
from ronagh.core.i18n import local_digits as digits
from ronagh.lib import jalali
from ronagh.reports import accountability, brief, selectors

BUILDERS = {"accountability": accountability, "brief": brief}


class Command(console.Command):
    help = (
        "Write the year-end accountability report or the governor's weekly brief as a PDF or "
        "an Excel workbook (SPEC 7)."
    )

    def add_arguments(self, parser):
        # Checked in handle() rather than by argparse, so that every message is in the
        # user's language.
        parser.add_argument("kind", nargs="?", help="accountability | brief")
        parser.add_argument("--as-of", dest="as_of", help="Jalali date, e.g. 1405/12/29")
        parser.add_argument("--format", dest="fmt", help="pdf | xlsx (default: from -o)")
        parser.add_argument("-o", "--output", help="the file to write")
        parser.add_argument("--province", help="province code, e.g. qom")
        parser.add_argument("--plan", help="the plan's id (instead of the province's plan)")

    def handle(self, *args, **opts):
        kind = (opts["kind"] or "").strip().lower()
        if kind not in BUILDERS:
            raise CommandError(
                _("Name the report: “accountability” or “brief”.")
                if not kind
                else _("Unknown report “%(kind)s”: choose “accountability” or “brief”.")
                % {"kind": opts["kind"]}
            )
        output = opts["output"]
        if not output:
            raise CommandError(_("Give the file to write with -o FILE."))
        fmt = (opts["fmt"] or Path(output).suffix.lstrip(".")).strip().lower()
        if fmt not in selectors.FORMATS:
            raise CommandError(
                _("Unknown format “%(format)s”: choose --format pdf or --format xlsx.")
                % {"format": opts["fmt"] or fmt}
            )
        try:
            as_of = selectors.parse_as_of(opts["as_of"])
            plan = selectors.plan_for(
                as_of=as_of, province_code=opts["province"], plan_id=opts["plan"]
            )
            selectors.check_as_of(plan, as_of)
        except selectors.ReportError as exc:
            raise CommandError(str(exc)) from exc

        module = BUILDERS[kind]
        bar = self.bar(_("Report"))
        say = bar.stages(2)
        try:
            say(_("Figures as of %(date)s…") % {"date": jalali.format_date(as_of)})
            report = module.build(plan=plan, as_of=as_of)
            say(_("Writing the PDF…") if fmt == "pdf" else _("Writing the workbook…"))
            content = module.to_pdf(report) if fmt == "pdf" else module.to_xlsx(report)
        finally:
            bar.finish()
        try:
            Path(output).write_bytes(content)
        except OSError as exc:
            raise CommandError(
                _("The file “%(name)s” cannot be written: %(reason)s")
                % {"name": output, "reason": exc.strerror or exc}
            ) from exc
        self.stdout.write(
            _("Wrote %(file)s: %(plan)s, as of %(date)s.")
            % {"file": output, "plan": plan.title, "date": digits(jalali.format_date(as_of))}
        )
