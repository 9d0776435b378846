"""The obstacles app's step of the daily job (`ronagh remind`): ``overdue_obstacles`` — the
managers of the agency responsible for each obstacle past its due date hear of it, and the
province's secretariat gets the escalation itself (SPEC 5: overdue escalates to the secretariat)
as a notification of its own, linking to the escalation page; the digest repeats the list.
`overdue(ctx)` is loaded once per run and shared with the digest."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from ronagh.core.i18n import local_date, local_digits
from ronagh.core.models import User
from ronagh.notifications.daily import Context, Message, StepResult, listed
from ronagh.notifications.models import Notification
from ronagh.notifications.selectors import agency_people, secretariat_people

from .models import Obstacle
from .selectors import overdue_obstacles as overdue_query


def overdue(ctx: Context) -> list[Obstacle]:
    """Every province's overdue obstacles on the run's day, oldest due first; once per run."""
    return ctx.once("obstacles.overdue", lambda: list(overdue_query(today=ctx.today)))


def obstacle_line(obstacle: Obstacle, today, with_agency: bool = False) -> str:
    words = {
        "title": obstacle.title,
        "due": local_date(obstacle.due_date),
        "days": local_digits((today - obstacle.due_date).days),
        "agency": str(obstacle.responsible_agency or "—"),
    }
    if with_agency:
        return _("• %(title)s — %(agency)s, due %(due)s (%(days)s days overdue)") % words
    return _("• %(title)s — due %(due)s (%(days)s days overdue)") % words


def overdue_obstacles(ctx: Context, result: StepResult) -> None:
    by_agency: dict[int, list[Obstacle]] = defaultdict(list)
    for obstacle in overdue(ctx):
        if obstacle.responsible_agency_id:
            by_agency[obstacle.responsible_agency_id].append(obstacle)
    people = agency_people(by_agency.keys(), [User.Role.AGENCY_MANAGER])
    link = reverse("obstacles:list")
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
            *listed([obstacle_line(o, ctx.today) for o in items]),
        ]
        result.messages.append(
            Message(
                recipients=people[agency_id],
                kind=Notification.Kind.OBSTACLE_OVERDUE,
                title=_("%(agency)s: overdue obstacles") % words,
                body="\n".join(lines),
                key=ctx.key("overdue-obstacles", agency_id),
                link=link,
                sms_text=_("%(count)s obstacles assigned to your agency are past their due date.")
                % words,
            )
        )

    _escalate_to_secretariat(ctx, result)


def _escalate_to_secretariat(ctx: Context, result: StepResult) -> None:
    """One notification per province to its secretariat (a national secretariat gets every
    province's): the overdue obstacles, the longest overdue first."""
    by_province: dict[int, list[Obstacle]] = defaultdict(list)
    for obstacle in overdue(ctx):
        by_province[obstacle.province_id].append(obstacle)
    if not by_province:
        return
    people = secretariat_people()
    link = reverse("obstacles:escalation")
    for province_id, items in sorted(by_province.items()):
        recipients = [u for u in people if u.province_id in (None, province_id)]
        if not recipients:
            continue
        words = {"count": local_digits(len(items)), "province": items[0].province.name}
        result.messages.append(
            Message(
                recipients=recipients,
                kind=Notification.Kind.OBSTACLE_OVERDUE,
                title=_("%(province)s: %(count)s overdue obstacles escalated to the secretariat")
                % words,
                body="\n".join(
                    listed([obstacle_line(o, ctx.today, with_agency=True) for o in items])
                ),
                key=ctx.key("overdue-obstacles-secretariat", province_id),
                link=link,
                channels=("in_app", "email"),
            )
        )
