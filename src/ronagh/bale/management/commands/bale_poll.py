"""`ronagh bale-poll [--once]` (SPEC 4.2.1): fetch the Bale bot's updates by long polling, store
each, process it exactly once and answer it. `--once` processes what is waiting and exits (for
cron, or a test); without it the command runs until stopped. `--set-webhook BASE_URL` registers
the webhook instead (a bot with a public address), `--delete-webhook` removes it."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ronagh.core.i18n import local_digits
from ronagh.notifications.bale import BaleError, client

from ...poll import Poller
from ...webhook import webhook_secret


class Command(BaseCommand):
    help = "Fetch and process the Bale bot's updates (long polling)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Process what is waiting and exit.")
        parser.add_argument(
            "--wait", type=int, default=25, help="Seconds one long poll waits (default 25)."
        )
        parser.add_argument("--set-webhook", metavar="BASE_URL", help="Register the webhook.")
        parser.add_argument("--delete-webhook", action="store_true", help="Remove the webhook.")

    def handle(self, *args, **opts):
        with translation.override(settings.LANGUAGE_CODE):
            return self._handle(**opts)

    def _say(self, counts) -> None:
        self.stdout.write(
            _(
                "Bale: %(received)s new updates (%(duplicates)s seen before), %(processed)s "
                "processed, %(failed)s failed; %(replied)s answers sent, %(reply_failed)s not "
                "sent."
            )
            % {k: local_digits(v) for k, v in vars(counts).items()}
        )

    def _handle(self, *, once, wait, set_webhook, delete_webhook, **_opts):
        bot = client()
        if not bot.configured:
            raise CommandError(_("The Bale bot is not configured (RONAGH_BALE_TOKEN)."))
        try:
            if set_webhook:
                url = set_webhook.rstrip("/") + reverse("bale:webhook", args=[webhook_secret()])
                bot.set_webhook(url)
                self.stdout.write(_("The webhook is set; Bale now sends updates to the site."))
                return
            if delete_webhook:
                bot.delete_webhook()
                self.stdout.write(_("The webhook is removed; use long polling."))
                return
            poller = Poller(bot)
            if once:
                self._say(poller.once())
                return
            self.stdout.write(_("Polling Bale for updates; stop with Ctrl+C."))
            poller.forever(wait=max(0, min(wait, 50)), report=self._say)
        except BaleError as exc:
            raise CommandError(str(exc)) from None
        except KeyboardInterrupt:
            self.stdout.write(_("Stopped."))
