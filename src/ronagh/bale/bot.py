"""The conversation (SPEC 4.2.1): what the bot answers to one update.

- `/start CODE` links the chat to the user the code was issued to (notifications.messenger) and
  answers naming the user and the agency; an unknown or expired code links nothing and says so.
- In a chat that is not linked, nothing else works: the bot says how to link it.
- `/list` or «فهرست»: the agency's actions due today with their codes and last values, and a
  reply keyboard with one «CODE =» button per action not yet reported.
- Any other text: report lines `CODE PERCENT [note]` or `CODE =`, each through
  `plans.services.report_progress` (channel `bale`) — the screen's rules — each in its own
  savepoint, so valid lines are stored when others are refused; one answer line per line.
- `/help` or «راهنما»: how to write a report. `/stop`: forget this chat.

`answer(payload, …)` returns the Reply; storing it and sending it are `inbox.py`'s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.i18n import local_date, local_digits, local_number
from ronagh.core.models import User
from ronagh.lib import jalali
from ronagh.lib.text import normalize
from ronagh.notifications import messenger
from ronagh.notifications.bale import keyboard
from ronagh.plans import selectors, services
from ronagh.plans.models import Action, Channel, Plan

from . import lines as parsing
from .models import Update

LIST_LIMIT = 30  # actions listed in one answer
KEYS_LIMIT = 24  # «CODE =» buttons on the keyboard
WRONG_CODES_ALLOWED = 5  # refused codes per chat in WRONG_CODES_WINDOW before it must wait
WRONG_CODES_WINDOW = dt.timedelta(minutes=10)
LIST_WORDS = {"/list", "list", "فهرست", "لیست"}
HELP_WORDS = {"/help", "help", "راهنما"}


@dataclass
class Reply:
    text: str
    outcome: str
    reply_markup: dict | None = None
    lines: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"text": self.text, "reply_markup": self.reply_markup}


def message_of(payload: dict) -> dict | None:
    """The message an update carries (a new one; an edit is not a new report)."""
    message = payload.get("message")
    return message if isinstance(message, dict) else None


def chat_of(payload: dict) -> int | None:
    message = message_of(payload) or payload.get("edited_message") or {}
    chat = message.get("chat") if isinstance(message, dict) else None
    try:
        return int(chat["id"]) if isinstance(chat, dict) else None
    except (KeyError, TypeError, ValueError):
        return None


def report_day(message: dict, today: dt.date) -> dt.date:
    """The day a report speaks of: the day the message was sent (Tehran time) when Bale's stamp
    is today or yesterday — a message sent before midnight and read after it reports its own
    day — and today otherwise (a missing, future or older stamp is not trusted: Bale keeps
    updates only for a day)."""
    try:
        sent = dt.datetime.fromtimestamp(int(message.get("date")), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return today
    day = timezone.localtime(sent).date()
    return day if today - dt.timedelta(days=1) <= day <= today else today


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _help(user: User | None) -> str:
    example = "A-01"
    if user is not None and user.agency_id:
        first = selectors.reportable_actions(user.agency, timezone.localdate()).first()
        example = first.code if first else example
    return "\n".join(
        [
            _(
                "To report, send one line per action: the action's code and its cumulative "
                "progress percent."
            ),
            _("For example:"),
            f"{LRM}{example} 45",
            f"{LRM}{example} 45.5 " + _("a short note"),
            f"{LRM}{example} =   ← " + _("unchanged since the last report"),
            _("“/list” (or «فهرست») shows your agency's actions and their codes."),
        ]
    )


def _not_linked() -> str:
    return _(
        "This chat is not linked to a Ronagh account. On your profile page in Ronagh, press "
        "“Link Bale” and send the code here as: /start CODE"
    )


def answer(payload: dict, *, today: dt.date | None = None, row: Update | None = None) -> Reply:
    """The bot's answer to one update (writes the reports it carries)."""
    today = today or timezone.localdate()
    message = message_of(payload)
    chat_id = chat_of(payload)
    if message is None or chat_id is None:
        return Reply("", Update.Outcome.IGNORED)
    text = str(message.get("text") or "").strip()
    if not text:
        return Reply(_("Send your report as text, one line per action."), Update.Outcome.IGNORED)
    first = text.split(maxsplit=1)
    command = first[0].split("@", 1)[0].lower()
    rest = first[1].strip() if len(first) > 1 else ""

    if command == "/start":
        return _start(chat_id, rest, message, row)
    user = messenger.linked_user(chat_id)
    if user is None:
        return Reply(_not_linked(), Update.Outcome.NOT_LINKED)
    if command == "/stop":
        messenger.unlink_chat(chat_id=chat_id)
        return Reply(
            _("This chat is no longer linked to %(name)s.") % {"name": _name(user)},
            Update.Outcome.UNLINKED,
        )
    if normalize(text) in LIST_WORDS or command in LIST_WORDS:
        return _list(user, report_day(message, today))
    if normalize(text) in HELP_WORDS or command in HELP_WORDS:
        return Reply(_help(user), Update.Outcome.HELP, reply_markup=_menu())
    return _report(user, text, report_day(message, today), today)


def _menu() -> dict:
    return keyboard([["فهرست", "راهنما"]])


def _start(chat_id: int, code: str, message: dict, row: Update | None) -> Reply:
    if not code:
        user = messenger.linked_user(chat_id)
        if user is not None:
            return Reply(
                _("This chat is linked to %(name)s.") % {"name": _name(user)}
                + "\n\n"
                + _help(user),
                Update.Outcome.HELP,
                reply_markup=_menu(),
            )
        return Reply(_not_linked(), Update.Outcome.NOT_LINKED)
    since = timezone.now() - WRONG_CODES_WINDOW
    refused = Update.objects.filter(
        chat_id=chat_id, outcome=Update.Outcome.LINK_REFUSED, processed_at__gte=since
    )
    if row is not None:
        refused = refused.exclude(pk=row.pk)
    if refused.count() >= WRONG_CODES_ALLOWED:
        return Reply(
            _("Too many wrong codes from this chat. Wait ten minutes and try again."),
            Update.Outcome.THROTTLED,
        )
    sender = message.get("from") if isinstance(message.get("from"), dict) else {}
    chat_name = " ".join(
        str(sender.get(k) or "") for k in ("first_name", "last_name") if sender.get(k)
    ) or str(sender.get("username") or "")
    try:
        user = messenger.link_chat(code=code, chat_id=chat_id, chat_name=chat_name)
    except messenger.LinkRefused as exc:
        if exc.reason == "expired":
            text = _(
                "This code has expired (a code is valid for ten minutes). Get a new one on your "
                "profile page in Ronagh and send /start with it."
            )
        else:
            text = _(
                "This code is not valid (it may have been used already). Get a new one on your "
                "profile page in Ronagh and send /start with it."
            )
        return Reply(text, Update.Outcome.LINK_REFUSED)
    # The name as the site shows it, and the username, so the focal point sees whose it is.
    named = f"{_name(user)} ({user.username})" if user.get_full_name() else user.username
    if user.agency_id:
        hello = _("Hello %(name)s! This chat is now linked to your Ronagh account, %(agency)s.") % {
            "name": named,
            "agency": user.agency.name,
        }
    else:
        hello = _("Hello %(name)s! This chat is now linked to your Ronagh account (%(role)s).") % {
            "name": named,
            "role": user.get_role_display(),
        }
    body = [hello, _("Ronagh's reminders will reach you here too.")]
    if user.is_agency_user:
        body += ["", _help(user)]
    return Reply("\n".join(body), Update.Outcome.LINKED, reply_markup=_menu())


def _list(user: User, day: dt.date) -> Reply:
    if not user.is_agency_user or not user.agency_id:
        return Reply(_("Only agency users report from Bale."), Update.Outcome.LISTED)
    actions = list(selectors.reportable_actions(user.agency, day))
    if not actions:
        return Reply(
            _("%(agency)s has no action to report on %(date)s.")
            % {"agency": user.agency.name, "date": local_date(day)},
            Update.Outcome.LISTED,
            reply_markup=_menu(),
        )
    latest = selectors.latest_effective_by_action([a.pk for a in actions], before=day)
    lines = [
        _("Actions of %(agency)s to report on %(date)s:")
        % {"agency": user.agency.name, "date": local_date(day)}
    ]
    keys = []
    for action in actions[:LIST_LIMIT]:
        last = latest.get(action.pk)
        title = action.title if len(action.title) <= 50 else action.title[:49] + "…"
        if last is None:
            value = _("no report yet")
        else:
            value = _("last %(value)s%% on %(date)s") % {
                "value": local_number(last.percent),
                "date": local_date(last.date),
            }
        done = last is not None and last.date == day
        lines.append(f"{'✅' if done else '▫️'} {action.code} — {title} ({value})")
        if not done:
            keys.append(f"{LRM}{action.code} =")
    if len(actions) > LIST_LIMIT:
        lines.append(
            _("… and %(count)s more.") % {"count": local_digits(len(actions) - LIST_LIMIT)}
        )
    lines += ["", _("Reply with “CODE PERCENT”, or tap “CODE =” for unchanged.")]
    keys = keys[:KEYS_LIMIT]
    rows = [keys[i : i + 2] for i in range(0, len(keys), 2)] + [["فهرست", "راهنما"]]
    return Reply("\n".join(lines), Update.Outcome.LISTED, reply_markup=keyboard(rows))


def _find_action(user: User, code: str, day: dt.date) -> Action | None:
    """The action with this code among the communicated plans' actions the user's agency leads
    or partners in; this Jalali year's plan first."""
    wanted = normalize(code)
    candidates = [
        a
        for a in selectors.visible_actions(user).filter(plan__status=Plan.Status.COMMUNICATED)
        if normalize(parsing.clean(a.code)) == wanted
    ]
    if not candidates:
        return None
    year = jalali.current_year(day)
    candidates.sort(key=lambda a: (a.plan.year != year, -a.plan.year))
    return candidates[0]


# Direction marks: a Persian answer line that starts with a Latin code would otherwise be laid out
# left to right, and a line of a code and a number right to left. The parser ignores them, so a
# tapped button («CODE =») reads as typed.
RLM, LRM = "\u200f", "\u200e"


def _answer(mark: str, what: str, text: str) -> str:
    """One answer line: a mark, the code (or the line) it answers, and what became of it."""
    return f"{RLM}{mark} {what}: {text}"


def _refusal(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You may not report on this action.")


def _report(user: User, text: str, day: dt.date, today: dt.date) -> Reply:
    parsed = parsing.parse_message(text)
    if not user.is_agency_user or not user.agency_id:
        return Reply(
            _("Only agency users report from Bale; enter reports on the site."),
            Update.Outcome.REPORTED,
        )
    out = []
    stored = 0
    for line in parsed:
        if line.problem is not None:
            out.append(
                _answer(
                    "❓",
                    f"«{line.text[:40]}»",
                    _(
                        "not understood. Write the action's code and a percent, e.g. A-01 45, "
                        "or A-01 = for unchanged."
                    ),
                )
            )
            continue
        action = _find_action(user, parsing.clean(line.code), day)
        if action is None:
            out.append(
                _answer(
                    "❌",
                    line.code,
                    _("no action of your agency has this code; send /list for the codes."),
                )
            )
            continue
        if action.start is not None and action.start > day:
            starts = _("starts on %(date)s; there is nothing to report yet.")
            out.append(_answer("❌", action.code, starts % {"date": local_date(action.start)}))
            continue
        percent = line.percent
        if line.unchanged:
            last = selectors.latest_effective(action, before=day)
            percent = last.percent if last is not None else Decimal(0)
        try:
            with transaction.atomic():
                report = services.report_progress(
                    actor=user,
                    action=action,
                    date=day,
                    percent=percent,
                    note=line.note,
                    unchanged=line.unchanged,
                    channel=Channel.BALE,
                    today=today,
                )
        except (ValidationError, PermissionDenied) as exc:
            out.append(_answer("❌", action.code, _refusal(exc)))
            continue
        stored += 1
        value = {"value": local_number(report.percent)}
        if line.unchanged:
            out.append(_answer("✅", action.code, _("unchanged (%(value)s%%), stored.") % value))
        else:
            out.append(_answer("✅", action.code, _("%(value)s%% stored.") % value))
    if not out:
        return Reply(_help(user), Update.Outcome.HELP, reply_markup=_menu())
    if stored and day != today:
        sent_on = _("(reported for %(date)s, the day the message was sent)")
        out.append(sent_on % {"date": local_date(day)})
    return Reply("\n".join(out), Update.Outcome.REPORTED, lines=out)
