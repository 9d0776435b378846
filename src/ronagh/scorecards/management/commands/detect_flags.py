"""ronagh manage detect_flags [--as-of YYYY/MM/DD]: look for SPEC 4.2's suspicious patterns in
the reports of every communicated plan (the daily job runs it; running it twice adds nothing)."""

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core import console
from ronagh.lib import jalali
from ronagh.plans.models import Plan
from ronagh.scorecards.services import detect_flags


class Command(console.Command):
    help = "Flag suspicious patterns in the progress reports of communicated plans (SPEC 4.2)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="Jalali date (default: today)")

    def handle(self, *args, **opts):
        as_of = timezone.localdate()
        if opts.get("as_of"):
            try:
                as_of = jalali.parse_any(opts["as_of"])
            except jalali.JalaliDateError:
                raise CommandError(
                    _("“%(text)s” is not a valid date; write it like %(example)s.")
                    % {"text": opts["as_of"], "example": "1405/09/01"}
                ) from None
        total = 0
        for plan in Plan.objects.filter(status=Plan.Status.COMMUNICATED):
            _first, last = jalali.year_bounds(plan.year)
            found = detect_flags(plan=plan, as_of=min(as_of, last))
            total += len(found)
            self.stdout.write(
                _("%(plan)s: %(n)s new suspicious patterns.") % {"plan": plan, "n": len(found)}
            )
        self.stdout.write(_("Done: %(n)s new suspicious patterns in all.") % {"n": total})
