"""ronagh check-plan --province CODE --year YYYY

The plan quality check of SPEC 4.1 on the command line: every gap, grouped by kind, blocking
ones first. Exit code 1 while a blocking gap remains (communication would be refused), 0
otherwise; 2 when there is no such plan to check."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ronagh.core import console
from ronagh.plans.models import Plan
from ronagh.plans.quality import gap_kind_title, quality_groups

from .import_plan import year_from_text


class Command(console.Command):
    help = "The plan quality check (SPEC 4.1): list every gap; exit 1 while blocking gaps remain."

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="province code, e.g. qom")
        parser.add_argument("--year", required=True, help="Jalali year, e.g. 1405")

    def handle(self, *args, **opts):
        try:
            province = console.province_from_code(opts["province"])
            year = year_from_text(opts["year"])
        except CommandError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        plan = Plan.objects.filter(province=province, year=year).first()
        if plan is None:
            raise CommandError(
                _("%(province)s has no plan for %(year)s.")
                % {"province": province.name, "year": year},
                returncode=2,
            )
        groups = quality_groups(plan)
        self.stdout.write(
            _("Quality check of “%(title)s” (%(status)s)")
            % {"title": plan.title, "status": plan.get_status_display()}
        )
        blocking = sum(len(g.gaps) for g in groups if g.blocking)
        warnings = sum(len(g.gaps) for g in groups if not g.blocking)
        for group in groups:
            kind = _("blocking") if group.blocking else _("warning")
            self.stdout.write("")
            self.stdout.write(
                f"{gap_kind_title(group.code)} ({kind}): {len(group.gaps)}",
                self.style.ERROR if group.blocking else self.style.WARNING,
            )
            for gap in group.gaps:
                self.stdout.write(f"  - {gap.message}")
        self.stdout.write("")
        if not groups:
            self.stdout.write(self.style.SUCCESS(_("No gaps found.")))
            return
        summary = _("%(blocking)s, %(warnings)s.") % {
            "blocking": ngettext("%(n)s blocking gap", "%(n)s blocking gaps", blocking)
            % {"n": blocking},
            "warnings": ngettext("%(n)s warning", "%(n)s warnings", warnings) % {"n": warnings},
        }
        if blocking:
            self.stdout.write(summary)
            raise CommandError(
                _("The plan cannot be communicated while blocking gaps remain."), returncode=1
            )
        self.stdout.write(self.style.SUCCESS(summary + " " + _("Nothing blocks communication.")))
