from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ronagh.core import console
from ronagh.core.i18n import separator
from ronagh.demo import province as demo
from ronagh.lib.jalali import format_date
from ronagh.plans.charts import status_labels


class Command(console.Command):
    help = "Build the demo province (SPEC 8), print the demo users and serve the site."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Jalali year, e.g. 1398")
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
        parser.add_argument(
            "--scale", type=float, default=1.0, help=_("plan size, 1 = 300 actions")
        )
        parser.add_argument(
            "--reset", action="store_true", help=_("drop the demo plan and rebuild")
        )
        parser.add_argument("--no-serve", action="store_true")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, **opts):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        self.stderr.write(_("Migrating the database…"))
        call_command("migrate", interactive=False, verbosity=0)
        bar = self.bar(_("Demo"))
        try:
            summary = demo.build(
                seed=opts["seed"],
                year=opts["year"],
                scale=opts["scale"],
                reset=opts["reset"],
                progress=bar.stages(demo.STAGES),
            )
        except demo.DemoError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.finish()
        self.print_summary(summary)
        if not opts["no_serve"]:
            call_command("serve", host=opts["host"], port=opts["port"], dev=True)

    def print_summary(self, s):
        c, total = s.counts, s.figures.total
        if s.built:
            self.stdout.write(_("Demo built in %(s).1f s.") % {"s": s.seconds})
        else:
            self.stdout.write(_("The demo plan is already there (use --reset to rebuild it)."))
        self.stdout.write(f"\n{s.plan.title}")
        self.stdout.write(
            _(
                "%(agencies)s agencies, %(axes)s axes, %(actions)s actions, "
                "%(milestones)s milestones, %(reports)s reports (%(corrections)s corrections, "
                "%(by_secretariat)s entered late by the secretariat)"
            )
            % c
        )
        self.stdout.write(
            _("As of %(date)s: planned %(p).1f%%, actual %(a).1f%%, coverage %(c).0f%%")
            % {
                "date": format_date(s.as_of),
                "p": total.planned,
                "a": total.actual,
                "c": total.coverage or 0,
            }
        )
        labels = status_labels()
        self.stdout.write(
            separator().join(
                f"{labels[k]}: {n}" for k, n in total.status_counts.items() if k in labels
            )
        )

        rows = [(_("username"), _("password"), _("role"), _("agency"))]
        for u in s.users:
            agency = u.agency.name if u.agency_id else ""
            rows.append((u.username, demo.DEMO_PASSWORD, str(u.get_role_display()), agency))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        self.stdout.write("")
        for r in rows:
            self.stdout.write("  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3])
        self.stdout.write(
            _("Every other agency has a reporter rabet-<code> with the same password.")
        )
