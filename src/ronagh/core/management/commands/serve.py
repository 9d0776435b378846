import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.utils.translation import gettext as _

from ronagh.core import console


class Command(console.Command):
    help = "Run the production server (gunicorn) after migrating and collecting static files."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2 + 1))
        parser.add_argument("--dev", action="store_true", help="Django's development server")

    def handle(self, *args, **opts):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if opts["dev"] or settings.DEBUG:
            self.stdout.write(
                _("Serving on http://%(h)s:%(p)s/") % {"h": opts["host"], "p": opts["port"]}
            )
            call_command("runserver", f"{opts['host']}:{opts['port']}", use_reloader=False)
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(
            _("Serving on http://%(h)s:%(p)s/") % {"h": opts["host"], "p": opts["port"]}
        )
        sys.stdout.flush()
        os.execvp(
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ronagh.wsgi:application",
                "--bind",
                f"{opts['host']}:{opts['port']}",
                "--workers",
                str(opts["workers"]),
                "--access-logfile",
                "-",
            ],
        )
