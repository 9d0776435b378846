"""The shape of the daily job's steps (`ronagh remind`): each app owns its steps (plans: unsent
reports and stalled or critical actions; obstacles: overdue obstacles; hq: overdue clauses;
reports: the secretariat's digest), and `jobs.daily` runs them in order. A step looks at the data
and writes down the `Message`s it wants sent; the runner sends them through `services.notify`,
or only lists them on a dry run.

Idempotent: every message's key is `remind:{date}:{step}:{who}`, and the delivery log's unique
(key, channel, recipient) means a second run the same day sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from ronagh.core.calendar import working_calendar
from ronagh.core.i18n import is_persian, local_digits
from ronagh.core.models import User

from .services import Outcome, notify

LIST_LIMIT = 10  # actions, obstacles or clauses listed in one message; the rest are counted


@dataclass
class Message:
    """One message a step wants sent to some people."""

    recipients: list[User]
    kind: str
    title: str
    body: str
    key: str
    link: str = ""
    channels: tuple[str, ...] = ("in_app", "email", "sms", "bale")
    sms_text: str | None = None
    # (file name, content, MIME type) for the email; a function giving them, so that a file
    # is made only when the message is really sent (not on a dry run)
    attachments: Callable[[], list[tuple[str, bytes, str]]] | None = None

    def send(self) -> Outcome:
        return notify(
            recipients=self.recipients,
            kind=self.kind,
            title=self.title,
            body=self.body,
            link=self.link,
            key=self.key,
            channels=self.channels,
            sms_text=self.sms_text,
            attachments=self.attachments() if self.attachments else (),
        )


class Context:
    """What the steps of one run share: the day, the working calendar, and whatever one step
    loaded that another needs too (`once`)."""

    def __init__(self, today: dt.date):
        self.today = today
        self.calendar = working_calendar()
        self._memo: dict[str, object] = {}

    @cached_property
    def previous_working_day(self) -> dt.date:
        day = self.today - dt.timedelta(days=1)
        for _i in range(60):
            if self.calendar.is_working(day):
                break
            day -= dt.timedelta(days=1)
        return day

    def once(self, key: str, load: Callable[[], object]):
        """`load()` the first time a key is asked for in this run, the same object after."""
        if key not in self._memo:
            self._memo[key] = load()
        return self._memo[key]

    def key(self, step: str, who) -> str:
        return f"remind:{self.today.isoformat()}:{step}:{who}"


@dataclass
class StepResult:
    code: str
    label: str
    messages: list[Message] = field(default_factory=list)
    note: str = ""
    error: str = ""
    outcome: Outcome = field(default_factory=Outcome)

    @property
    def people(self) -> int:
        return len({u.pk for m in self.messages for u in m.recipients})

    def counts(self) -> dict[str, int]:
        return {
            "messages": len(self.messages),
            "people": self.people,
            "in_app": self.outcome.sent["in_app"],
            "email": self.outcome.sent["email"],
            "sms": self.outcome.sent["sms"],
            "bale": self.outcome.sent["bale"],
            "failed": self.outcome.total_failed,
            "duplicates": self.outcome.duplicates,
        }


@dataclass(frozen=True)
class Step:
    """One step of the daily job: a code (stable, in keys and counts), a label for the summary
    (a function: it is read in the site's language at run time) and the function."""

    code: str
    label: Callable[[], str]
    run: Callable[[Context, StepResult], None]


def count_totals(results: list[StepResult]) -> dict[str, int]:
    total = Counter()
    for r in results:
        total.update(r.counts())
    return {k: total.get(k, 0) for k in StepResult("", "").counts()}


# --- text helpers the steps share ---------------------------------------------------------------


def pct(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return local_digits(text)


def join(items) -> str:
    return "، ".join(items) if is_persian() else ", ".join(items)


def more(count: int) -> list[str]:
    if count <= 0:
        return []
    return [_("… and %(count)s more.") % {"count": local_digits(count)}]


def listed(lines: list[str]) -> list[str]:
    """The first LIST_LIMIT lines and a line counting the rest."""
    return lines[:LIST_LIMIT] + more(len(lines) - LIST_LIMIT)
