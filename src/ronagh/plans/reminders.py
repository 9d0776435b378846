"""The plans app's steps of the daily job (`ronagh remind`, run by `jobs.daily`):

1. ``unsent_reports`` — the reporters of each agency that has **unsent reports**. Our
   definition: an action that was active on the *previous working day* D (the daily report
   screen's list on D: communicated plan, started, not done, overdue ones included; the plan
   communicated by D) and that has no report dated anywhere from D to today. The job is meant to
   run in the morning, when today's report is not due yet but yesterday's is, and a report is
   cumulative, so a report for today also answers for D. In the app and by SMS.
2. ``stalled_or_critical`` — the managers of each agency whose lead actions are stalled or
   critical (SPEC 4.3) today, with the list. In the app, by email and by SMS.

`plan_figures(ctx)` — the figures of every plan taking reports, as of the day (kept inside each
plan's year) — is loaded once per run and shared with the other apps' steps (the digest).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ronagh.core.i18n import local_date, local_digits
from ronagh.core.models import Agency, User
from ronagh.lib import jalali
from ronagh.notifications.daily import Context, Message, StepResult, listed, pct
from ronagh.notifications.models import Notification
from ronagh.notifications.selectors import agency_people

from .charts import status_labels
from .figures import PlanFigures, figures
from .models import Action, Plan, ProgressReport
from .rollup import Status
from .selectors import reportable_actions
from .services import reporting_deadline


def plan_figures(ctx: Context) -> list[PlanFigures]:
    """The figures of every plan that takes reports (communicated, neither draft nor closed) and
    whose year has begun, as of the run's day kept inside the plan's year; once per run."""

    def load():
        out = []
        plans = Plan.objects.communicated().select_related("province")
        for plan in plans.order_by("province__name", "-year"):
            first, _last = jalali.year_bounds(plan.year)
            if ctx.today >= first:
                out.append(figures(plan, ctx.today))
        return out

    return ctx.once("plans.figures", load)


def agencies_with_reporters():
    return Agency.objects.filter(
        users__role=User.Role.AGENCY_REPORTER, users__is_active=True
    ).distinct()


def unsent_actions(agency: Agency, *, day: dt.date, today: dt.date) -> list[Action]:
    """The actions an agency had to report for `day` and nobody has reported since: active on
    that day (the report screen's list: communicated plan, started, not done; overdue ones
    included) in a plan communicated by then, with no report dated from `day` to `today`. A
    report is cumulative, so a report for today also covers the day before."""
    actions = reportable_actions(agency, day).filter(plan__communicated_on__lte=day)
    covered = ProgressReport.objects.filter(
        action__in=actions.values("id"), date__gte=day, date__lte=today
    ).values("action_id")
    return list(actions.exclude(id__in=covered))


def _action_lines(actions) -> list[str]:
    return listed([f"• {a.code} — {a.title}" for a in actions])


def unsent_reports(ctx: Context, result: StepResult) -> None:
    day = ctx.previous_working_day
    deadline = reporting_deadline(day, ctx.calendar)
    agencies = list(agencies_with_reporters().order_by("name"))
    people = agency_people([a.id for a in agencies], [User.Role.AGENCY_REPORTER])
    words = {"date": local_date(day), "deadline": local_date(deadline)}
    link = f"{reverse('plans:daily_report')}?date={jalali.format_date(day)}"
    for agency in agencies:
        if agency.id not in people:
            continue
        actions = unsent_actions(agency, day=day, today=ctx.today)
        if not actions:
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
                key=ctx.key("unsent-reports", agency.id),
                link=link,
                channels=("in_app", "sms", "bale"),
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
    for pf in plan_figures(ctx):
        as_of = pf.as_of
        for action_id, fig in pf.actions.items():
            action = pf.data.actions[action_id]
            if fig.status in (Status.STALLED, Status.CRITICAL) and action.lead_agency_id:
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
            "stalled": local_digits(by_status[Status.STALLED]),
            "critical": local_digits(by_status[Status.CRITICAL]),
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
        lines += listed(
            [
                _("• %(code)s — %(title)s: planned %(planned)s%%, actual %(actual)s%% (%(status)s)")
                % {
                    "code": action.code,
                    "title": action.title,
                    "planned": pct(fig.planned),
                    "actual": pct(fig.actual),
                    "status": labels[fig.status],
                }
                for action, fig in items
            ]
        )
        result.messages.append(
            Message(
                recipients=people[agency_id],
                kind=Notification.Kind.ACTIONS_ALERT,
                title=_("%(agency)s: stalled or critical actions") % words,
                body="\n".join(lines),
                key=ctx.key("stalled-or-critical", agency_id),
                link=reverse("plans:agency", args=[agency_id]),
                sms_text=_(
                    "%(stalled)s stalled and %(critical)s critical actions in your agency as of "
                    "%(date)s."
                )
                % words,
            )
        )
