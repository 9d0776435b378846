"""The daily job (`ronagh remind`): reminders and escalations, as a list of steps.

Each step looks at the data and writes down the messages it wants sent (`Message`); `run_daily`
then sends them through `services.notify`, or only lists them on a dry run. The steps:

1. ``unsent_reports`` — the reporters of each agency that has **unsent reports**. Our
   definition: an action that was active on the *previous working day* D (the daily report
   screen's list on D: communicated plan, started, not done, overdue ones included; the plan
   communicated by D) and that has no report dated anywhere from D to today. The job is meant to
   run in the morning, when today's report is not due yet but yesterday's is, and a report is
   cumulative, so a report for today also answers for D. In the app and by SMS.
2. ``stalled_or_critical`` — the managers of each agency whose lead actions are stalled or
   critical (SPEC 4.3) today, with the list. In the app, by email and by SMS.
3. ``overdue_obstacles`` — the managers of the agency responsible for each obstacle past its
   due date (SPEC 5: overdue escalates). Needs `ronagh.obstacles.selectors.overdue_obstacles`;
   skipped with a note while that does not exist.
4. ``digest`` — each secretariat user (of a province, or of all when the user has none): the
   headline planned / actual / gap of every communicated plan, the count of actions in each
   status, the unreported actions, the agencies with the most critical actions and the overdue
   obstacles. In the app and by email (a digest is too long for an SMS).

On a day that is not a working day (Friday, a holiday; SPEC 3) the job sends nothing at all:
nobody reports on such a day, so nothing is late, and nobody wants an official SMS on a day off.

Idempotent: every message's key is `remind:{date}:{step}:{who}`, and the delivery log's unique
(key, channel, recipient) means a second run the same day sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ronagh.core.calendar import working_calendar
from ronagh.core.models import Agency, User
from ronagh.lib import jalali
from ronagh.plans import selectors as plan_selectors
from ronagh.plans.charts import status_labels
from ronagh.plans.rollup import STATUSES
from ronagh.plans.services import reporting_deadline

from .models import Notification
from .selectors import (
    agencies_with_reporters,
    agency_people,
    communicated_plans,
    secretariat_people,
    unsent_actions,
)
from .services import Outcome, local_date, local_digits, notify

logger = logging.getLogger(__name__)

LIST_LIMIT = 10  # actions or obstacles listed in one message; the rest are counted
TOP_AGENCIES = 5


@dataclass
class Message:
    """One message the job wants sent to some people."""

    recipients: list[User]
    kind: str
    title: str
    body: str
    key: str
    link: str = ""
    channels: tuple[str, ...] = ("in_app", "email", "sms")
    sms_text: str | None = None


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
            "failed": self.outcome.total_failed,
            "duplicates": self.outcome.duplicates,
        }


@dataclass
class RunSummary:
    today: dt.date
    working_day: bool
    dry_run: bool
    steps: list[StepResult] = field(default_factory=list)

    @property
    def outcome(self) -> Outcome:
        total = Outcome()
        for step in self.steps:
            total.add(step.outcome)
        return total

    @property
    def errors(self) -> list[StepResult]:
        return [s for s in self.steps if s.error]

    def counts(self) -> dict[str, dict[str, int]]:
        """{step code: {messages, people, in_app, email, sms, failed, duplicates}} and "total"."""
        out = {s.code: s.counts() for s in self.steps}
        total = Counter()
        for c in out.values():
            total.update(c)
        out["total"] = {k: total.get(k, 0) for k in StepResult("", "").counts()}
        return out


@dataclass
class PlanFigures:
    plan: object
    data: plan_selectors.PlanData
    rollup: plan_selectors.PlanRollup


class Context:
    """What the steps share, loaded once per run."""

    def __init__(self, today: dt.date):
        self.today = today
        self.calendar = working_calendar()

    @cached_property
    def previous_working_day(self) -> dt.date:
        day = self.today - dt.timedelta(days=1)
        for _i in range(60):
            if self.calendar.is_working(day):
                break
            day -= dt.timedelta(days=1)
        return day

    @cached_property
    def plans(self) -> list[PlanFigures]:
        out = []
        for plan in communicated_plans():
            first, last = jalali.year_bounds(plan.year)
            if self.today < first:
                continue
            data = plan_selectors.plan_data(plan)
            as_of = min(self.today, last)
            out.append(PlanFigures(plan, data, plan_selectors.plan_rollup(data, as_of)))
        return out

    @cached_property
    def overdue(self) -> list | None:
        """Obstacles past their due date, or None while the obstacles app cannot say."""
        try:
            from ronagh.obstacles.selectors import overdue_obstacles
        except ImportError:
            return None
        qs = overdue_obstacles(today=self.today)
        if hasattr(qs, "select_related"):
            qs = qs.select_related("responsible_agency")
        return list(qs)


# --- text helpers ------------------------------------------------------------------------------


def _pct(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return local_digits(text)


def _join(items) -> str:
    return "، ".join(items) if translation.get_language().startswith("fa") else ", ".join(items)


def _more(count: int) -> list[str]:
    if count <= 0:
        return []
    return [_("… and %(count)s more.") % {"count": local_digits(count)}]


def _action_lines(actions) -> list[str]:
    lines = [f"• {a.code} — {a.title}" for a in actions[:LIST_LIMIT]]
    return lines + _more(len(actions) - LIST_LIMIT)


def _link(*names: str, **kwargs) -> str:
    for name in names:
        try:
            return reverse(name, **kwargs)
        except NoReverseMatch:
            continue
    return ""


# --- the steps ---------------------------------------------------------------------------------


def unsent_reports(ctx: Context, result: StepResult) -> None:
    day = ctx.previous_working_day
    deadline = reporting_deadline(day, ctx.calendar)
    agencies = list(agencies_with_reporters().order_by("name"))
    people = agency_people([a.id for a in agencies], [User.Role.AGENCY_REPORTER])
    words = {"date": local_date(day), "deadline": local_date(deadline)}
    link = f"{reverse('plans:daily_report')}?date={jalali.format_date(day)}"
    for agency in agencies:
        actions = unsent_actions(agency, day=day, today=ctx.today)
        if not actions or agency.id not in people:
            continue
        words.update(agency=agency.name, count=local_digits(len(actions)))
        body = [
            _(
                "%(count)s actions of %(agency)s have no progress report for %(date)s. "
                "You may still report that day until %(deadline)s."
            )
            % words,
            "",
            *_action_lines(actions),
        ]
        result.messages.append(
            Message(
                recipients=people[agency.id],
                kind=Notification.Kind.REPORT_REMINDER,
                title=_("Daily report reminder: %(date)s") % words,
                body="\n".join(body),
                key=f"remind:{ctx.today.isoformat()}:unsent-reports:{agency.id}",
                link=link,
                channels=("in_app", "sms"),
                sms_text=_(
                    "%(count)s actions of your agency have no report for %(date)s; report by %(deadline)s."
                )
                % words,
            )
        )


def stalled_or_critical(ctx: Context, result: StepResult) -> None:
    labels = status_labels()
    rows: dict[int, list] = defaultdict(list)
    agencies: dict[int, Agency] = {}
    as_of = ctx.today
    for pf in ctx.plans:
        as_of = pf.rollup.as_of
        for action_id, fig in pf.rollup.figures.items():
            action = pf.data.actions[action_id]
            if fig.status in ("stalled", "critical") and action.lead_agency_id:
                rows[action.lead_agency_id].append((action, fig))
                agencies[action.lead_agency_id] = action.lead_agency
    people = agency_people(rows.keys(), [User.Role.AGENCY_MANAGER])
    cfg = settings.RONAGH
    for agency_id in sorted(rows, key=lambda i: agencies[i].name):
        if agency_id not in people:
            continue
        items = sorted(rows[agency_id], key=lambda r: (-r[1].gap, r[0].code))
        by_status = Counter(fig.status for _a, fig in items)
        words = {
            "agency": agencies[agency_id].name,
            "date": local_date(as_of),
            "stalled": local_digits(by_status["stalled"]),
            "critical": local_digits(by_status["critical"]),
            "days": local_digits(cfg["STALLED_DAYS"]),
            "gap": local_digits(int(cfg["CRITICAL_GAP"])),
        }
        lines = [
            _(
                "As of %(date)s, %(stalled)s actions of %(agency)s are stalled (no progress in "
                "%(days)s days) and %(critical)s are critical (more than %(gap)s points behind "
                "plan)."
            )
            % words,
            "",
        ]
        for action, fig in items[:LIST_LIMIT]:
            lines.append(
                _("• %(code)s — %(title)s: planned %(planned)s%%, actual %(actual)s%% (%(status)s)")
                % {
                    "code": action.code,
                    "title": action.title,
                    "planned": _pct(fig.planned),
                    "actual": _pct(fig.actual),
                    "status": labels[fig.status],
                }
            )
        lines += _more(len(items) - LIST_LIMIT)
        result.messages.append(
            Message(
                recipients=people[agency_id],
                kind=Notification.Kind.ACTIONS_ALERT,
                title=_("%(agency)s: stalled or critical actions") % words,
                body="\n".join(lines),
                key=f"remind:{ctx.today.isoformat()}:stalled-or-critical:{agency_id}",
                link=reverse("plans:agency", args=[agency_id]),
                sms_text=_(
                    "%(stalled)s stalled and %(critical)s critical actions in your agency as of "
                    "%(date)s."
                )
                % words,
            )
        )


def _obstacle_line(obstacle, today: dt.date, with_agency: bool = False) -> str:
    words = {
        "title": obstacle.title,
        "due": local_date(obstacle.due_date),
        "days": local_digits((today - obstacle.due_date).days),
        "agency": str(getattr(obstacle, "responsible_agency", "") or "—"),
    }
    if with_agency:
        return _("• %(title)s — %(agency)s, due %(due)s (%(days)s days overdue)") % words
    return _("• %(title)s — due %(due)s (%(days)s days overdue)") % words


def overdue_obstacles(ctx: Context, result: StepResult) -> None:
    obstacles = ctx.overdue
    if obstacles is None:
        result.note = _("Obstacles are not available yet; this step was skipped.")
        return
    by_agency: dict[int, list] = defaultdict(list)
    for obstacle in obstacles:
        if obstacle.responsible_agency_id:
            by_agency[obstacle.responsible_agency_id].append(obstacle)
    people = agency_people(by_agency.keys(), [User.Role.AGENCY_MANAGER])
    link = _link("obstacles:list", "obstacles:obstacle_list", "obstacles:index")
    for agency_id, items in sorted(
        by_agency.items(), key=lambda kv: kv[1][0].responsible_agency.name
    ):
        if agency_id not in people:
            continue
        items.sort(key=lambda o: (o.due_date, o.id))
        words = {
            "agency": items[0].responsible_agency.name,
            "count": local_digits(len(items)),
        }
        lines = [
            _(
                "%(count)s obstacles assigned to %(agency)s are past their due date; the "
                "secretariat has been told."
            )
            % words,
            "",
            *[_obstacle_line(o, ctx.today) for o in items[:LIST_LIMIT]],
            *_more(len(items) - LIST_LIMIT),
        ]
        result.messages.append(
            Message(
                recipients=people[agency_id],
                kind=Notification.Kind.OBSTACLE_OVERDUE,
                title=_("%(agency)s: overdue obstacles") % words,
                body="\n".join(lines),
                key=f"remind:{ctx.today.isoformat()}:overdue-obstacles:{agency_id}",
                link=link,
                sms_text=_("%(count)s obstacles assigned to your agency are past their due date.")
                % words,
            )
        )


def overdue_clauses(ctx: Context, result: StepResult) -> None:
    """Follow-up of HQ resolutions: each agency's managers hear of its clauses past their due
    date (the first rung of the escalation ladder; the secretariat records further steps)."""
    from ronagh.hq.selectors import overdue_clauses as overdue

    by_agency: dict[int, list] = defaultdict(list)
    for clause in overdue(as_of=ctx.today).filter(agency__isnull=False):
        by_agency[clause.agency_id].append(clause)
    people = agency_people(by_agency.keys(), [User.Role.AGENCY_MANAGER])
    link = _link("hq:clauses")
    for agency_id, items in sorted(by_agency.items(), key=lambda kv: kv[1][0].agency.name):
        if agency_id not in people:
            continue
        words = {"agency": items[0].agency.name, "count": local_digits(len(items))}
        lines = [
            _("%(count)s clauses of HQ resolutions for %(agency)s are past their due date.")
            % words,
            "",
            *[
                _("• %(code)s — %(obligation)s — due %(due)s")
                % {
                    "code": local_digits(c.code),
                    "obligation": c.obligation[:120],
                    "due": local_date(c.due_date),
                }
                for c in items[:LIST_LIMIT]
            ],
            *_more(len(items) - LIST_LIMIT),
        ]
        result.messages.append(
            Message(
                recipients=people[agency_id],
                kind="clause_overdue",
                title=_("%(agency)s: overdue HQ resolutions") % words,
                body="\n".join(lines),
                key=f"remind:{ctx.today.isoformat()}:overdue-clauses:{agency_id}",
                link=link,
                sms_text=_("%(count)s clauses of HQ resolutions for your agency are overdue.")
                % words,
            )
        )


def _plan_digest(pf: PlanFigures) -> list[str]:
    labels = status_labels()
    total = pf.rollup.total
    words = {
        "plan": pf.plan.title,
        "date": local_date(pf.rollup.as_of),
        "planned": _pct(total.planned),
        "actual": _pct(total.actual),
        "gap": _pct(total.gap),
        "coverage": _pct(total.coverage) if total.coverage is not None else "—",
        "days": local_digits(settings.RONAGH["UNREPORTED_WORKING_DAYS"]),
        "unreported": local_digits(sum(1 for f in pf.rollup.figures.values() if f.unreported)),
    }
    counts = total.status_counts
    critical = Counter(
        pf.data.actions[i].lead_agency_id
        for i, f in pf.rollup.figures.items()
        if f.status == "critical" and pf.data.actions[i].lead_agency_id
    )
    names = {
        a.lead_agency_id: a.lead_agency.name for a in pf.data.actions.values() if a.lead_agency_id
    }
    worst = sorted(critical.items(), key=lambda kv: (-kv[1], names[kv[0]]))[:TOP_AGENCIES]
    lines = [
        _("%(plan)s, as of %(date)s") % words,
        _(
            "Planned progress %(planned)s%%, actual progress %(actual)s%%, gap %(gap)s points "
            "(coverage %(coverage)s%%)."
        )
        % words,
        _("Actions by status: %(counts)s.")
        % {"counts": _join(f"{labels[s]} {local_digits(counts.get(s, 0))}" for s in STATUSES)},
        _("Unreported actions (no report for %(days)s working days or more): %(unreported)s.")
        % words,
    ]
    if worst:
        lines.append(
            _("Agencies with the most critical actions: %(agencies)s.")
            % {"agencies": _join(f"{names[g]} ({local_digits(n)})" for g, n in worst)}
        )
    else:
        lines.append(_("No action is critical."))
    return lines


def _province_of(obstacle) -> int | None:
    province_id = getattr(obstacle, "province_id", None)
    if province_id is None:
        province_id = getattr(obstacle.responsible_agency, "province_id", None)
    return province_id


def digest(ctx: Context, result: StepResult) -> None:
    groups: dict[int | None, list[User]] = defaultdict(list)
    for user in secretariat_people():
        groups[user.province_id].append(user)
    overdue = ctx.overdue
    for province_id, users in groups.items():
        plans = [pf for pf in ctx.plans if province_id in (None, pf.plan.province_id)]
        obstacles = None
        if overdue is not None:
            obstacles = [
                o for o in overdue if province_id is None or _province_of(o) == province_id
            ]
        if not plans and not obstacles:
            continue
        lines = []
        for pf in plans:
            lines += [*_plan_digest(pf), ""]
        if obstacles is not None:
            lines.append(
                _("Overdue obstacles: %(count)s.") % {"count": local_digits(len(obstacles))}
            )
            ordered = sorted(obstacles, key=lambda o: (o.due_date, o.id))
            lines += [_obstacle_line(o, ctx.today, with_agency=True) for o in ordered[:LIST_LIMIT]]
            lines += _more(len(obstacles) - LIST_LIMIT)
        words = {"date": local_date(ctx.today)}
        result.messages.append(
            Message(
                recipients=users,
                kind=Notification.Kind.DIGEST,
                title=_("Daily digest of %(date)s") % words,
                body="\n".join(lines).strip(),
                key=f"remind:{ctx.today.isoformat()}:digest:{province_id or 'all'}",
                link=reverse("plans:plan_dashboard", args=[plans[0].plan.pk]) if plans else "",
                channels=("in_app", "email"),
            )
        )


def steps() -> list[tuple[str, str, Callable[[Context, StepResult], None]]]:
    """The job's steps in the order they run: (code, label, function)."""
    return [
        ("unsent_reports", _("Reporters with unsent reports"), unsent_reports),
        ("stalled_or_critical", _("Managers of agencies with stalled or critical actions"),
         stalled_or_critical),
        ("overdue_obstacles", _("Managers of agencies with overdue obstacles"), overdue_obstacles),
        ("overdue_clauses", _("Managers of agencies with overdue HQ resolutions"), overdue_clauses),
        ("digest", _("Secretariat digest"), digest),
    ]  # fmt: skip


# --- the run -----------------------------------------------------------------------------------


def _write(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")  # a command's OutputWrapper does not double the newline


def describe(step: StepResult, *, dry_run: bool) -> list[str]:
    """The summary lines of one step, in the site's language."""
    c = {k: str(v) for k, v in step.counts().items()} | {"label": step.label}
    if step.error:
        lines = [_("%(label)s: failed: %(error)s") % {"label": step.label, "error": step.error}]
    elif dry_run:
        lines = [_("%(label)s: %(messages)s messages to %(people)s people would be sent.") % c]
        for m in step.messages:
            names = [u.username for u in m.recipients]
            shown = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
            lines.append(f"  → {shown}: {m.title}")
    else:
        lines = [
            _(
                "%(label)s: %(messages)s messages to %(people)s people — in the app %(in_app)s, "
                "email %(email)s, SMS %(sms)s; sent before %(duplicates)s; failed %(failed)s."
            )
            % c
        ]
    if step.note:
        lines.append(f"  {step.note}")
    return lines


def run_daily(*, today: dt.date, stdout=None, dry_run: bool = False) -> RunSummary:
    """Run every step for `today` and send what they ask for (nothing on a dry run); a line per
    step goes to `stdout` when given. Returns the summary with counts per step. A step that
    fails is recorded and the others still run."""
    with translation.override(settings.LANGUAGE_CODE):
        ctx = Context(today)
        summary = RunSummary(
            today=today, working_day=ctx.calendar.is_working(today), dry_run=dry_run
        )
        if not summary.working_day:
            _write(
                stdout,
                _("%(date)s is not a working day: nobody is reminded.")
                % {"date": jalali.format_date(today)},
            )
            return summary
        for code, label, build in steps():
            result = StepResult(code=code, label=label)
            try:
                build(ctx, result)
                if not dry_run:
                    for m in result.messages:
                        result.outcome.add(
                            notify(
                                recipients=m.recipients,
                                kind=m.kind,
                                title=m.title,
                                body=m.body,
                                link=m.link,
                                key=m.key,
                                channels=m.channels,
                                sms_text=m.sms_text,
                            )
                        )
            except Exception as exc:  # one broken step must not stop the others
                logger.exception("remind: step %s failed", code)
                result.error = str(exc) or exc.__class__.__name__
            summary.steps.append(result)
            for line in describe(result, dry_run=dry_run):
                _write(stdout, line)
    return summary
