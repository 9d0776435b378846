"""ronagh remind [--date YYYY/MM/DD] [--dry-run] — the daily job (see jobs/daily.py)."""

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core import console
from ronagh.jobs.daily import run_daily
from ronagh.lib import jalali


class Command(console.Command):
    help = (
        "The daily job: remind reporters of unsent reports, alert managers of stalled or "
        "critical actions and overdue obstacles, send the secretariat its digest. Running it "
        "twice a day sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", default=None, help="the day to run for (Jalali), today by default"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="list who would be told; send nothing"
        )

    def handle(self, *args, **opts):
        today = timezone.localdate()
        if opts["date"]:
            try:
                today = jalali.parse_any(opts["date"])
            except jalali.JalaliDateError as exc:
                raise CommandError(
                    _("“%(text)s” is not a date; write it like %(example)s.")
                    % {"text": opts["date"], "example": jalali.format_date(timezone.localdate())}
                ) from exc
        self.stdout.write(_("Ronagh daily job for %(date)s") % {"date": jalali.format_date(today)})
        if not opts["dry_run"]:
            # The secretariat's review list of suspicious patterns is kept fresh by the same job.
            call_command("detect_flags", as_of=jalali.format_date(today), stdout=self.stdout)
        bar = self.bar(_("Daily job"))
        try:
            summary = run_daily(
                today=today, stdout=self.stdout, dry_run=opts["dry_run"], progress=bar
            )
        finally:
            bar.finish()
        if not summary.working_day:
            return
        total = summary.counts()["total"]
        if opts["dry_run"]:
            self.stdout.write(_("Dry run: nothing was sent."))
        else:
            self.stdout.write(
                _("Total: %(sent)s sent, %(duplicates)s sent before, %(failed)s failed.")
                % {
                    "sent": summary.outcome.total_sent,
                    "duplicates": total["duplicates"],
                    "failed": total["failed"],
                }
            )
        if summary.errors:
            raise CommandError(
                _("%(count)s steps failed: %(steps)s")
                % {
                    "count": len(summary.errors),
                    "steps": ", ".join(s.label for s in summary.errors),
                }
            )
