"""The reports app's weekly step of the daily job (`ronagh remind`): ``weekly_brief`` — every
governor (of a province; a national governor: of every province) gets the weekly brief of each
plan taking reports, in the app and by email with the PDF attached (SPEC 1: the governor receives
the weekly brief).

Once a week: the message's key names the week (its Saturday, SPEC 3's first day of the week) and
the plan, so the first run of the week sends the brief — the week just ended, as of that day —
and every later run that week finds it sent. The figures are `brief.build`'s, the same as the
governor's page shows for that date.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from ronagh.core.i18n import local_date, local_delta, local_digits, local_number, pct_sign
from ronagh.core.models import User
from ronagh.notifications.daily import Context, Message, StepResult, join
from ronagh.notifications.models import Notification
from ronagh.plans.reminders import plan_figures

from . import brief
from .common import file_name

SATURDAY = 5  # date.weekday()


def week_of(day: dt.date) -> dt.date:
    """The Saturday that begins the week of `day`."""
    return day - dt.timedelta(days=(day.weekday() - SATURDAY) % 7)


def governors() -> list[User]:
    """Active governor-role users, who receive the brief."""
    return list(User.objects.filter(role=User.Role.GOVERNOR, is_active=True).order_by("username"))


def brief_lines(b: brief.Brief) -> list[str]:
    """The brief's headline in a few lines, for the in-app notification and the email's text."""
    o = b.overview
    sign = pct_sign()
    words = {
        "plan": b.plan.title,
        "date": local_date(b.as_of),
        "planned": local_number(o.total.planned) + sign,
        "actual": local_number(o.total.actual) + sign,
        "gap": local_number(o.total.gap),
        "change": local_delta(o.actual_change),
        "overdue": local_digits(o.obstacles_overdue),
        "open": local_digits(o.obstacles_open),
        "rate": "—" if o.execution_percent is None else local_number(o.execution_percent, 0) + sign,
    }
    lines = [
        _("%(plan)s, as of %(date)s") % words,
        _(
            "Planned progress %(planned)s, actual progress %(actual)s (%(change)s points in the "
            "week), gap %(gap)s points."
        )
        % words,
    ]
    if o.underperformers:
        lines.append(
            _("Under-performing agencies (grade D): %(names)s.")
            % {"names": join(u.agency.name for u in o.underperformers)}
        )
    else:
        lines.append(_("No agency is graded D."))
    lines.append(
        _("Overdue obstacles: %(overdue)s of %(open)s open. HQ execution rate: %(rate)s.") % words
    )
    lines.append(_("The brief is attached as a PDF; the same figures are on your overview page."))
    return lines


def weekly_brief(ctx: Context, result: StepResult) -> None:
    people = governors()
    if not people:
        return
    week = week_of(ctx.today)
    for pf in plan_figures(ctx):
        plan = pf.plan
        recipients = [u for u in people if u.province_id in (None, plan.province_id)]
        if not recipients:
            continue
        made = brief.build(plan=plan, as_of=pf.as_of, pf=pf)
        name = file_name("brief", plan, made.as_of, "pdf")
        result.messages.append(
            Message(
                recipients=recipients,
                kind=Notification.Kind.WEEKLY_BRIEF,
                title=_("Weekly brief: %(plan)s, as of %(date)s")
                % {"plan": plan.title, "date": local_date(made.as_of)},
                body="\n".join(brief_lines(made)),
                key=f"remind:weekly-brief:{week.isoformat()}:{plan.pk}",
                link=f"{reverse('reports:governor')}?plan={plan.pk}",
                channels=("in_app", "email"),
                attachments=lambda made=made, name=name: [
                    (name, brief.to_pdf(made), "application/pdf")
                ],
            )
        )
