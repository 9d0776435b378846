"""Long polling (`ronagh bale-poll [--once]`, SPEC 4.2.1).

The poller asks Bale for updates from `offset` on, which also confirms the earlier ones to Bale.
A new poller (a restart) starts with no offset: Bale hands back whatever it still holds
unconfirmed, and the inbox's unique update_id drops the ones stored before the restart. So an
update is never lost between a fetch and a crash (it is confirmed only after it was stored) and
never processed twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import close_old_connections

from ronagh.notifications.bale import BaleClient, BaleError

from . import inbox
from .models import Update

logger = logging.getLogger(__name__)

ROUNDS_ONCE = 50  # batches `--once` takes at most (100 updates each)


class Poller:
    def __init__(self, client: BaleClient):
        self.client = client
        self.offset: int | None = None

    def fetch(self, *, wait: int = 0) -> inbox.Counts:
        """One getUpdates; every update stored; the offset moves past the batch."""
        updates = self.client.get_updates(offset=self.offset, wait=wait)
        counts = inbox.store(updates, via=Update.Via.POLL)
        if updates:
            newest = max(int(u["update_id"]) for u in updates)
            self.offset = max(self.offset or 0, newest + 1)
        return counts

    def round(self, *, wait: int = 0) -> inbox.Counts:
        counts = self.fetch(wait=wait)
        counts.add(inbox.process_waiting())
        counts.add(inbox.send_replies(self.client))
        return counts

    def once(self) -> inbox.Counts:
        """What is waiting now, processed and answered; then a last call confirms it to Bale.
        Stops as soon as a batch brings nothing new (also against a server that ignores the
        offset and hands the same batch back)."""
        total = inbox.Counts()
        # Updates stored earlier but not processed or answered (a crash, Bale away) go first.
        total.add(inbox.process_waiting())
        total.add(inbox.send_replies(self.client))
        for _round in range(ROUNDS_ONCE):
            counts = self.round(wait=0)
            total.add(counts)
            if counts.received == 0:
                break
        inbox.forget_old()
        return total

    def forever(
        self,
        *,
        wait: int = 25,
        report: Callable[[inbox.Counts], None] | None = None,
        stop: Callable[[], bool] = lambda: False,
    ) -> None:
        """Long polling until stopped; Bale or the database away costs a pause, not the loop."""
        pause = 1.0
        last_cleanup = 0.0
        while not stop():
            try:
                counts = self.round(wait=wait)
            except BaleError as exc:
                logger.warning("bale-poll: %s", exc)
                time.sleep(pause)
                pause = min(pause * 2, 60.0)
                continue
            except Exception:
                logger.exception("bale-poll: a round failed")
                close_old_connections()
                time.sleep(pause)
                pause = min(pause * 2, 60.0)
                continue
            pause = 1.0
            if report is not None and (counts.received or counts.replied or counts.failed):
                report(counts)
            if time.monotonic() - last_cleanup > 3600:
                inbox.forget_old()
                last_cleanup = time.monotonic()
