"""ronagh import-plan FILE.xlsx --province CODE --year YYYY [--dry-run] [--create-agencies]"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ronagh.core import console
from ronagh.core.errors import Conflict
from ronagh.lib.digits import to_latin
from ronagh.plans.workbook import WorkbookError, import_plan, read_workbook


def year_from_text(text: str) -> int:
    latin = to_latin(text).strip()
    if not latin.isdigit():
        raise CommandError(_("%(year)s is not a Jalali year.") % {"year": text})
    return int(latin)


def _agency_hint(exc: WorkbookError) -> list[str]:
    if any(e.code == "unknown_agency" for e in exc.cell_errors):
        return [
            _("To create the agencies that do not exist yet, run again with --create-agencies.")
        ]
    return []


class Command(console.Command):
    help = "Import a plan workbook (SPEC 7) as the draft plan of a province and Jalali year."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--province", required=True, help="province code, e.g. qom")
        parser.add_argument("--year", required=True, help="Jalali year, e.g. 1405")
        parser.add_argument("--dry-run", action="store_true", help="check and tell; save nothing")
        parser.add_argument(
            "--create-agencies", action="store_true", help="create agencies the province lacks"
        )

    def handle(self, *args, **opts):
        province = console.province_from_code(opts["province"])
        year = year_from_text(opts["year"])
        reading = self.bar(_("Reading"))
        parsed = read_workbook(opts["file"], progress=reading)
        reading.finish()
        for warning in parsed.warnings:
            self.stderr.write(_("Warning: %(warning)s") % {"warning": warning})

        saving = self.bar(_("Saving"))
        try:
            result = import_plan(
                parsed=parsed,
                province=province,
                year=year,
                create_agencies=opts["create_agencies"],
                dry_run=opts["dry_run"],
                progress=saving,
            )
        except WorkbookError as exc:
            raise console.workbook_refused(self.stderr, exc, hints=_agency_hint) from exc
        except (Conflict, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        finally:
            saving.finish()

        counts = {
            "title": result.title,
            "axes": result.axes,
            "actions": result.actions,
            "agencies": len(result.new_agencies),
        }
        if result.dry_run:
            if result.replaced:
                self.stdout.write(
                    _("Dry run: the draft plan “%(title)s” would be replaced.") % counts
                )
            else:
                self.stdout.write(_("Dry run: the plan “%(title)s” would be created.") % counts)
            self.stdout.write(
                _("Axes: %(axes)s, actions: %(actions)s, new agencies: %(agencies)s.") % counts
            )
        else:
            if result.replaced:
                self.stdout.write(_("The draft plan “%(title)s” was replaced.") % counts)
            else:
                self.stdout.write(_("The plan “%(title)s” was created as a draft.") % counts)
            self.stdout.write(
                _("Axes: %(axes)s, actions: %(actions)s, new agencies: %(agencies)s.") % counts
            )
        if result.new_agencies:
            self.stdout.write(
                _("New agencies: %(names)s") % {"names": "، ".join(result.new_agencies)}
            )
        if result.dry_run:
            self.stdout.write(_("Nothing was saved."))
        else:
            self._report_gaps(result.plan)

    def _report_gaps(self, plan) -> None:
        from ronagh.plans.quality import plan_gaps

        gaps = plan_gaps(plan)
        blocking = sum(1 for g in gaps if g.blocking)
        if blocking:
            self.stdout.write(
                _(
                    "The quality check finds %(blocking)s blocking gaps and %(warnings)s warnings; "
                    "resolve the blocking ones before communicating the plan."
                )
                % {"blocking": blocking, "warnings": len(gaps) - blocking}
            )
        elif gaps:
            self.stdout.write(
                _("The quality check finds no blocking gaps and %(warnings)s warnings.")
                % {"warnings": len(gaps)}
            )
